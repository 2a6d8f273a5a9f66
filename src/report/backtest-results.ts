// The backtest of a run, for the report: the observations of backtest.csv by series (drawn on the
// fan charts) and the scorecard of backtest-summary.csv. Both files are read only when the run's
// manifest lists them (a config with `observed`), as .csv or .parquet.
import { existsSync } from 'node:fs';
import { UserError, showValue } from '../config/errors.ts';
import { readTable, tablePath } from '../io/table-read.ts';
import { TABLE_FORMATS, tableFile } from '../io/table-format.ts';
import { BACKTEST_TABLES } from '../runner/backtest.ts';
import { readScorecard, type ScorecardRow } from './scorecard.ts';
import { regionOfCell } from '../io/region-cell.ts';

export interface ObservedMark {
  /** UTC midnight of the observation's date */
  date: Date;
  observed: number;
  in90: boolean;
}

export interface BacktestResults {
  /** observations of the shown point by `metric|region`, in date order */
  observed: Map<string, ObservedMark[]>;
  /** backtest-summary.csv rows of the shown point */
  scorecard: ScorecardRow[];
}

/** Reads a run's backtest files for sweep point `point` (null without a sweep); null when the run has none. */
export function readBacktest(dir: string, outputs: Record<string, string> | undefined, point: number | null): BacktestResults | null {
  if (!outputs || !TABLE_FORMATS.some((f) => outputs[tableFile(BACKTEST_TABLES.points, f)] !== undefined)) return null;
  const file = tablePath(dir, BACKTEST_TABLES.points, outputs);
  for (const name of Object.values(BACKTEST_TABLES)) {
    const path = tablePath(dir, name, outputs);
    if (!existsSync(path)) throw new UserError(`${path}: missing; expected the backtest output that manifest.json lists`);
  }
  const { header, rows } = readTable(file);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new UserError(`${file}: header: column ${showValue(name)} missing; expected the columns of docs/OUTPUTS.md`);
    return i;
  };
  const [pc, mc, rc, dc, oc, ic] = [point === null ? -1 : col('point'), col('metric'), col('region'), col('date'), col('observed'), col('in90')];
  const observed = new Map<string, ObservedMark[]>();
  rows.forEach((r, k) => {
    if (pc >= 0 && Number(r[pc]) !== point) return;
    const value = Number(r[oc]);
    const date = new Date(`${r[dc]}T00:00:00Z`);
    if (!Number.isFinite(value) || Number.isNaN(date.getTime())) throw new UserError(`${file}: line ${k + 2}: ${showValue(r.join(','))} is not valid (expected a date and a finite observed value)`);
    const key = `${r[mc]}|${regionOfCell(r[rc])}`;
    let list = observed.get(key);
    if (!list) observed.set(key, (list = []));
    list.push({ date, observed: value, in90: r[ic] === 'TRUE' });
  });
  const scorecard = readScorecard(dir, outputs).filter((row) => row.point === point);
  return { observed, scorecard };
}
