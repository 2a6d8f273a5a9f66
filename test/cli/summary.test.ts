import { describe, expect, it } from 'vitest';
import { formatCell, summaryTable } from '../../src/cli/summary.ts';

const HEADER = 'point,metric,region,epoch,date,mean,sd,min,p05,p25,p50,p75,p95,max';
const csv = [
  HEADER,
  '0,nakamoto_region,network,1,2027-01-01,2,0.5,1,1,2,2,3,3.05,4',
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
      '  nakamoto_region               2  [1, 3.05]',
      '  share us                    0.3  [0.1, 0.5]',
      '  every point: results/x/points.csv; its page: hashmigrate report results/x --point P (or --point all)',
      '',
    ]);
  });

  it('formatCell drops trailing zeros and decimals of whole numbers', () => {
    expect(['2', '3.05', '0.123456', '1234.5', '0', '-0.5'].map(formatCell)).toEqual(['2', '3.05', '0.123', '1235', '0', '-0.5']);
  });
});
