// The observations a run is scored against: the experiment's `observed` file, read and checked
// (src/io/observed.ts), matched to the run's series. Rows for a region the config does not have,
// or dated before model.start.date or after model.horizon.endDate, are skipped and counted, not
// errors: one file of history serves episodes with different regions and dates.
import { dirname, resolve } from 'node:path';
import type { Experiment } from '../config/experiment.ts';
import type { SeriesKey } from '../model/output.ts';
import { readObservedCsv, type ObservedRow } from '../io/observed.ts';

export interface ObservedPoint extends ObservedRow {
  /** index of the matching series in the plan's series */
  series: number;
}

export interface ObservedPlan {
  /** the file as the run resolved it */
  file: string;
  /** rows to score, in series order, then date, then line */
  points: ObservedPoint[];
  /** rows dated before the start or after the horizon's end date */
  skippedDates: number;
  /** rows of a region (or destination) the config does not have */
  skippedRegion: number;
}

/** Reads the experiment's observed file (a path relative to `configFile`); null without one. */
export function planObserved(configFile: string, e: Experiment, series: SeriesKey[]): ObservedPlan | null {
  if (e.observed === undefined) return null;
  const file = resolve(dirname(configFile), e.observed);
  const rows = readObservedCsv(file, `${configFile}: observed`);
  const index = new Map(series.map((s, i) => [`${s.metric}|${s.region}`, i]));
  const start = e.model.start.date;
  const end = e.model.horizon.endDate;
  const points: ObservedPoint[] = [];
  let skippedDates = 0;
  let skippedRegion = 0;
  for (const row of rows) {
    const s = index.get(`${row.metric}|${row.region}`);
    if (s === undefined) skippedRegion += 1;
    else if (row.date < start || row.date > end) skippedDates += 1;
    else points.push({ ...row, series: s });
  }
  points.sort((a, b) => a.series - b.series || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) || a.line - b.line);
  return { file, points, skippedDates, skippedRegion };
}
