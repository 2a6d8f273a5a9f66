// One replicate's trajectory as a tidy CSV: epoch,date,metric,region,value.
import type { ReplicateOutput } from '../model/output.ts';
import { CsvWriter, type CsvOptions } from './csv.ts';
import { dateAfter } from '../model/time.ts';
import { regionCell } from './region-cell.ts';

export const TRAJECTORY_HEADER = ['epoch', 'date', 'metric', 'region', 'value'] as const;

/** The part of a replicate's output a trajectory is written from. */
export type TrajectoryView = Pick<ReplicateOutput, 'epochCount' | 'daysElapsed' | 'series' | 'values'>;

/** Rows of one replicate (no header), epoch by epoch, series in output order; `prefix` cells go first. */
export function trajectoryRows(out: TrajectoryView, startDate: string, writer: CsvWriter, prefix: (string | number)[] = []): string {
  const E = out.epochCount;
  const parts: string[] = [];
  for (let e = 0; e < E; e++) {
    const date = dateAfter(startDate, out.daysElapsed[e]);
    out.series.forEach((s, k) => {
      parts.push(writer.row([...prefix, e, date, s.metric, regionCell(s.region), out.values[k * E + e]]));
    });
  }
  return parts.join('');
}

export function trajectoryCsv(out: ReplicateOutput, startDate: string, opts: CsvOptions = {}): string {
  const writer = new CsvWriter(TRAJECTORY_HEADER, opts);
  return writer.start() + trajectoryRows(out, startDate, writer);
}
