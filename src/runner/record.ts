// A unit's result as it travels from a worker and sits in the spool: days elapsed, then every series.
import type { ReplicateOutput, SeriesKey } from '../model/output.ts';
import type { TrajectoryView } from '../io/trajectory.ts';
import { summarizeReplicate } from './summary.ts';

export interface UnitResult {
  unit: number;
  seedDigest: string;
  /** (series + 1) * epochs doubles: daysElapsed, then series-major values */
  record: Float64Array;
  summary: number[];
  /** `run --agents`: the unit's rows of agents.csv */
  agentsCsv?: string;
}

export function recordDoubles(seriesCount: number, epochCount: number): number {
  return (seriesCount + 1) * epochCount;
}

export function encodeUnit(unit: number, out: ReplicateOutput): UnitResult {
  const E = out.epochCount;
  const record = new Float64Array(recordDoubles(out.series.length, E));
  record.set(out.daysElapsed, 0);
  record.set(out.values, E);
  return { unit, seedDigest: out.seedDigest, record, summary: summarizeReplicate(out) };
}

/** A spooled record read back as a trajectory: views into `record`, no copy. */
export function decodeRecord(record: Float64Array, series: SeriesKey[], epochCount: number): TrajectoryView {
  return { epochCount, daysElapsed: record.subarray(0, epochCount), series, values: record.subarray(epochCount) };
}
