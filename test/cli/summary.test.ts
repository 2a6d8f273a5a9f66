import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCell, lastEpochRows, summaryTable } from '../../src/cli/summary.ts';
import { tempDirs } from '../support/tmp.ts';

const tmp = tempDirs('hm-summary-');

const HEADER = 'point,metric,region,epoch,date,mean,sd,min,p05,p25,p50,p75,p95,max';
const csv = [
  HEADER,
  '0,nakamoto_region,network,1,2027-01-01,2,0.5,1,1,2,2,3,3.25,4',
  '0,share,us,1,2027-01-01,0.3,0.1,0,0.1,0.2,0.3,0.4,0.5,0.6',
  '1,nakamoto_region,network,1,2027-01-01,9,0,9,9,9,9,9,9,9',
].join('\n');

describe('summaryTable', () => {
  it('names the sweep point it shows, with its values, and where the other points are', () => {
    const points = [
      { index: 0, values: [{ path: 'model.market.fees.medianRatio', value: 0.01 }] },
      { index: 1, values: [{ path: 'model.market.fees.medianRatio', value: 0.05 }] },
    ];
    const text = summaryTable(csv, 1, points, 'results/x');
    expect(text.split('\n')).toEqual([
      'final epoch 1 (2027-01-01), sweep point 0 of 2 (model.market.fees.medianRatio = 0.01): median [5%, 95%]',
      '  nakamoto_region               2  [1, 3.3]',
      '  share us                    0.3  [0.1, 0.5]',
      '  every point: results/x/points.csv; its page: hashmigrate report results/x --point P (or --point all)',
      '',
    ]);
  });

  it('reads only the header and the last epoch of point 0 from the file, and gives the same table', () => {
    const file = join(tmp(), 'epochs.csv');
    writeFileSync(file, [HEADER, '0,share,us,0,2026-03-21,0.4,0,0.4,0.4,0.4,0.4,0.4,0.4,0.4', ...csv.split('\n').slice(1)].join('\n') + '\n');
    const kept = lastEpochRows(file, 1);
    expect(kept.trimEnd().split('\n')).toEqual(csv.split('\n').slice(0, 3));
    expect(summaryTable(kept, 1, [], 'results/x')).toBe(summaryTable(csv, 1, [], 'results/x'));
  });

  it('prints count metrics as whole numbers, or with one decimal for a quantile between two replicates', () => {
    const rows = [
      'metric,region,epoch,date,mean,sd,min,p05,p25,p50,p75,p95,max',
      'nakamoto_region,network,1,2027-01-01,2,0.5,1,1.55,2,2,3,3.05,4',
      'nakamoto_operator,network,1,2027-01-01,30,1,28,28.125,29,30,31,31.95,33',
      'operators_mining,network,1,2027-01-01,140,1,130,131.4,140,140,145,148.6,150',
      'capitulations,network,1,2027-01-01,0.4,0.5,0,0,0,0,1,1.45,2',
      'top3_share_region,network,1,2027-01-01,0.6,0.1,0.5,0.5126,0.6,0.6,0.7,0.7005,0.8',
    ].join('\n');
    expect(summaryTable(rows, 1).split('\n').slice(1, -1)).toEqual([
      '  nakamoto_region               2  [1.6, 3]',
      '  top3_share_region           0.6  [0.513, 0.701]',
    ]);
    expect(['2', '2.000', '1.55', '28.125', '31.96', '0', '1.45', '131.4'].map((v) => formatCell(v, 'nakamoto_operator'))).toEqual(['2', '2', '1.6', '28.1', '32', '0', '1.4', '131']);
    for (const metric of ['nakamoto_region', 'nakamoto_operator', 'operators_mining', 'capitulations', 'entries', 'relocations_total', 'relocations_out', 'relocations', 'ai_pivots']) {
      expect(formatCell('3.050', metric), metric).toMatch(/^\d+(\.\d)?$/);
    }
    expect(formatCell('3.05', 'share')).toBe('3.05');
  });

  it('formatCell drops trailing zeros and decimals of whole numbers', () => {
    expect(['2', '3.05', '0.123456', '1234.5', '0', '-0.5'].map((v) => formatCell(v))).toEqual(['2', '3.05', '0.123', '1235', '0', '-0.5']);
  });
});
