// The observed file of a backtest: read with its sources; every bad row is one line naming the
// file, the line, the field, the value and what was expected.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readObservedCsv } from '../../src/io/observed.ts';
import { UserError } from '../../src/config/errors.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hm-observed-');

function file(text: string): string {
  const path = join(tmp(), 'observed.csv');
  writeFileSync(path, text);
  return path;
}

function refused(text: string): string {
  const path = file(text);
  try {
    readObservedCsv(path, 'x.json: observed');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message.startsWith(`${path}: `)).toBe(true);
    expect(message).not.toMatch(/\n/);
    return message.slice(path.length + 2);
  }
  throw new Error('expected the file to be refused');
}

const HEADER = 'date,metric,region,value,source\n';

describe('readObservedCsv', () => {
  it('reads rows with their line, region and source', () => {
    const rows = readObservedCsv(file(`${HEADER}2024-04-24,difficulty,,88104191118793,"mempool.space, adjustments"\n2021-01-01,share,us,0.17,CCAF [est]\n`), 'f');
    expect(rows).toEqual([
      { line: 2, date: '2024-04-24', metric: 'difficulty', region: '', value: 88104191118793, source: 'mempool.space, adjustments' },
      { line: 3, date: '2021-01-01', metric: 'share', region: 'us', value: 0.17, source: 'CCAF [est]' },
    ]);
  });

  it('takes the source column as optional', () => {
    expect(readObservedCsv(file('date,metric,region,value\n2024-01-01,hashrate_ehs,,500\n'), 'f')[0].source).toBe('');
  });

  it('refuses an unknown metric', () => {
    expect(refused(`${HEADER}2024-01-01,hashrate,,500,x\n`)).toBe('line 2: metric: "hashrate" is not valid (expected a metric of docs/OUTPUTS.md, such as hashrate_ehs, difficulty, btc_price_usd or share)');
  });

  it('refuses a bad or impossible date', () => {
    expect(refused(`${HEADER}2024-1-01,hashrate_ehs,,500,x\n`)).toBe('line 2: date: "2024-1-01" is not valid (expected an ISO date YYYY-MM-DD)');
    expect(refused(`${HEADER}2024-01-01,hashrate_ehs,,500,x\n2023-02-30,hashrate_ehs,,500,x\n`)).toMatch(/^line 3: date: "2023-02-30" is not valid/);
  });

  it('refuses a value that is not a finite number', () => {
    expect(refused(`${HEADER}2024-01-01,hashrate_ehs,,abc,x\n`)).toBe('line 2: value: "abc" is not valid (expected a finite number)');
    expect(refused(`${HEADER}2024-01-01,hashrate_ehs,,Infinity,x\n`)).toMatch(/^line 2: value: "Infinity"/);
    expect(refused(`${HEADER}2024-01-01,hashrate_ehs,,,x\n`)).toMatch(/^line 2: value: "" is not valid/);
  });

  it('refuses a region that does not fit the metric', () => {
    expect(refused(`${HEADER}2024-01-01,hashrate_ehs,us,500,x\n`)).toBe('line 2: region: "us" is not valid (expected an empty region or "network" for the network metric hashrate_ehs)');
    expect(refused(`${HEADER}2024-01-01,share,,0.3,x\n`)).toBe('line 2: region: "" is not valid (expected a region id for the regional metric share)');
  });

  it('refuses another header and rows of the wrong length', () => {
    expect(refused('date,price\n2024-01-01,40000\n')).toBe('line 1: "date,price" is not valid (expected the header date,metric,region,value[,source])');
    expect(refused(`${HEADER}2024-01-01,hashrate_ehs,,500\n`)).toMatch(/^line 2: 4 fields; expected 5/);
  });

  it('names the config field when the file cannot be read', () => {
    expect(() => readObservedCsv(join(tmp(), 'none.csv'), 'x.json: observed')).toThrow(/^x.json: observed: ".*none.csv" cannot be read/);
  });
});
