// One replicate's trajectory as a tidy CSV: epoch,date,metric,region,value.
import type { ReplicateOutput } from '../model/output.ts';
import { CsvWriter, type CsvCell, type CsvOptions } from './csv.ts';
import { dateAfter } from '../model/time.ts';
import { regionCell } from './region-cell.ts';

export const TRAJECTORY_HEADER = ['epoch', 'date', 'metric', 'region', 'value'] as const;

/** The part of a replicate's output a trajectory is written from. */
export type TrajectoryView = Pick<ReplicateOutput, 'epochCount' | 'daysElapsed' | 'series' | 'values'>;

/** Calls `row` with the cells of each row of one replicate, epoch by epoch, series in output order; `prefix` cells go first. */
export function forEachTrajectoryRow(out: TrajectoryView, startDate: string, prefix: readonly (string | number)[], row: (cells: CsvCell[]) => void): void {
  const E = out.epochCount;
  for (let e = 0; e < E; e++) {
    const date = dateAfter(startDate, out.daysElapsed[e]);
    out.series.forEach((s, k) => row([...prefix, e, date, s.metric, regionCell(s.region), out.values[k * E + e]]));
  }
}

/** Rows of one replicate (no header), epoch by epoch, series in output order; `prefix` cells go first. */
export function trajectoryRows(out: TrajectoryView, startDate: string, writer: CsvWriter, prefix: (string | number)[] = []): string {
  const parts: string[] = [];
  forEachTrajectoryRow(out, startDate, prefix, (cells) => parts.push(writer.row(cells)));
  return parts.join('');
}

export function trajectoryCsv(out: ReplicateOutput, startDate: string, opts: CsvOptions = {}): string {
  const writer = new CsvWriter(TRAJECTORY_HEADER, opts);
  return writer.start() + trajectoryRows(out, startDate, writer);
}
