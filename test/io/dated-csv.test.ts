import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeePath } from '../../src/io/fee-path.ts';
import { readPricePath } from '../../src/io/price-path.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hashmigrate-dated-');

function file(text: string): string {
  const f = join(tmp(), 'series.csv');
  writeFileSync(f, text);
  return f;
}

describe('readFeePath(file, field)', () => {
  it('reads date,fee_ratio rows with a source column holding commas and quotes', () => {
    const f = file('date,fee_ratio,source\n2024-01-01,0.05,"mempool.space, daily mean"\n2024-04-20,0.9,"""runes"" launch"\n');
    expect(readFeePath(f, 'x.json: model.market.fees.pathCsv')).toEqual([
      { date: '2024-01-01', feeRatio: 0.05 },
      { date: '2024-04-20', feeRatio: 0.9 },
    ]);
  });

  it('reads the columns in any order, with CRLF line ends and a BOM', () => {
    const f = file('\ufeffsource,fee_ratio,date\r\nx,0,2024-01-01\r\n');
    expect(readFeePath(f, 'field')).toEqual([{ date: '2024-01-01', feeRatio: 0 }]);
  });

  it.each([
    ['a wrong header', 'date,fees\n2024-01-01,0.1\n', /line 1: "date,fees" is not valid \(expected the header date,fee_ratio or date,fee_ratio,source\)$/],
    ['an unknown column', 'date,fee_ratio,note\n2024-01-01,0.1,x\n', /line 1: .* is not valid \(expected the header date,fee_ratio/],
    ['a negative ratio', 'date,fee_ratio\n2024-01-01,-0.1\n', /line 2: fee_ratio "-0.1" is not valid \(expected a number >= 0\)$/],
    ['an empty ratio', 'date,fee_ratio\n2024-01-01,\n', /line 2: fee_ratio "" is not valid/],
    ['a bad date', 'date,fee_ratio\n2024-02-30,0.1\n', /line 2: date "2024-02-30" is not valid \(expected an ISO date YYYY-MM-DD\)$/],
    ['dates out of order', 'date,fee_ratio\n2024-02-01,0.1\n2024-01-01,0.1\n', /line 3: date 2024-01-01 is not valid \(expected dates in increasing order\)$/],
    ['a short row', 'date,fee_ratio\n2024-02-01\n', /line 2: 1 fields; expected 2 as in the header$/],
    ['no rows', 'date,fee_ratio\n', /no rows \(expected at least one date,fee_ratio row\)$/],
  ])('refuses %s with one line naming the file', (_what, text, message) => {
    const f = file(text);
    expect(() => readFeePath(f, 'field')).toThrow(message);
    expect(() => readFeePath(f, 'field')).toThrow(f);
  });

  it('names the config field when the file cannot be read', () => {
    expect(() => readFeePath(join(tmp(), 'missing.csv'), 'x.json: model.market.fees.pathCsv')).toThrow(
      /^x\.json: model\.market\.fees\.pathCsv: ".*missing\.csv" cannot be read \(expected a CSV file with header date,fee_ratio\[,source\]\)$/,
    );
  });
});

describe('readPricePath(file, field)', () => {
  it('reads date,price and accepts a source column too', () => {
    expect(readPricePath(file('date,price\n2024-01-01,42000\n'), 'f')).toEqual([{ date: '2024-01-01', priceUsd: 42000 }]);
    expect(readPricePath(file('date,price,source\n2024-01-01,42000,CoinMetrics\n'), 'f')).toEqual([{ date: '2024-01-01', priceUsd: 42000 }]);
  });

  it('refuses a price of 0', () => {
    expect(() => readPricePath(file('date,price\n2024-01-01,0\n'), 'f')).toThrow(/line 2: price "0" is not valid \(expected a number > 0\)$/);
  });
});
