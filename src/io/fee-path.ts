// Reads replayed fee ratios: a CSV `date,fee_ratio[,source]` (ISO dates; fees as a ratio to the
// subsidy, >= 0), sorted by date. Each row is in force from its date until the next (a step function).
import type { FeePoint } from '../model/params.ts';
import { readDatedCsv } from './dated-csv.ts';

export function readFeePath(file: string, field: string): FeePoint[] {
  return readDatedCsv(file, field, { name: 'fee_ratio', expected: 'a number >= 0', valid: (v) => v >= 0 }).map((r) => ({ date: r.date, feeRatio: r.value }));
}
