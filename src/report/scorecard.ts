// The scorecard of a run, read back from its backtest-summary.csv or .parquet (src/runner/backtest.ts),
// and the way its scores are printed, shared by the report and the command line.
import { readTable, tablePath } from '../io/table-read.ts';
import { regionOfCell } from '../io/region-cell.ts';
import { BACKTEST_TABLES } from '../runner/backtest.ts';

export interface ScorecardRow {
  point: number | null;
  metric: string;
  region: string;
  n: number;
  mdale: number | null;
  coverage50: number;
  coverage90: number;
  crpsMean: number;
  crpsRelative: number | null;
}

/** Reads DIR/backtest-summary.csv (or .parquet: the one `outputs`, the manifest's, lists, else the one there). */
export function readScorecard(dir: string, outputs?: Record<string, string>): ScorecardRow[] {
  const { header, rows } = readTable(tablePath(dir, BACKTEST_TABLES.summary, outputs));
  const col = (name: string) => header.indexOf(name);
  const num = (r: string[], name: string) => (r[col(name)] === '' || col(name) < 0 ? null : Number(r[col(name)]));
  return rows.map((r) => ({
    point: num(r, 'point'),
    metric: r[col('metric')],
    region: regionOfCell(r[col('region')]),
    n: num(r, 'n') ?? 0,
    mdale: num(r, 'mdale'),
    coverage50: num(r, 'coverage50') ?? 0,
    coverage90: num(r, 'coverage90') ?? 0,
    crpsMean: num(r, 'crps_mean') ?? 0,
    crpsRelative: num(r, 'crps_relative'),
  }));
}

/** Three significant digits; exponent form for very large or small magnitudes (difficulty). */
export function formatScore(value: number | null): string {
  if (value === null) return '–';
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e6 || a < 1e-3) return value.toExponential(2).replace('e+', 'e');
  return String(Number(value.toPrecision(3)));
}
