// Disk space a run needs, checked before any worker starts: the spool's records of the units still
// to run, and the outputs (estimated from their row counts). A run that cannot fit is refused with
// one line instead of failing on a full disk hours later.
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Plan } from './plan.ts';
import { IoError } from '../io/io-error.ts';
import { derivedSeries } from './derived.ts';

/** Bytes a row of epochs.csv takes at most in practice (names, a date, nine statistics at full precision). */
export const EPOCHS_ROW_BYTES = 256;
/** Bytes a row of trajectories.csv takes at most in practice (indices, a date, names, one value). */
export const TRAJECTORY_ROW_BYTES = 96;

export interface DiskNeed {
  /** the records of the units still to run, bytes */
  spoolBytes: number;
  /** the outputs, estimated, bytes */
  outputBytes: number;
}

/** What a run of `units` more units (of `plan`) needs on disk; a shard writes a copy of its records instead of the CSVs. */
export function diskNeed(plan: Plan, units: number, o: { trajectories: boolean; shardUnits?: number }): DiskNeed {
  const recordBytes = (plan.series.length + 1) * plan.epochCount * 8;
  if (o.shardUnits !== undefined) return { spoolBytes: units * recordBytes, outputBytes: o.shardUnits * recordBytes };
  const trajectories = o.trajectories;
  const rows = plan.points.length * (plan.series.length + derivedSeries(plan.series).length) * plan.epochCount;
  const allUnits = plan.points.length * plan.replicates;
  const trajectoryRows = trajectories ? allUnits * plan.series.length * plan.epochCount : 0;
  return { spoolBytes: units * recordBytes, outputBytes: rows * EPOCHS_ROW_BYTES + trajectoryRows * TRAJECTORY_ROW_BYTES };
}

/** Free bytes for an unprivileged writer on the file system holding `dir` (or its nearest existing parent). */
export function freeBytes(dir: string): number | undefined {
  for (let p = resolve(dir); ; p = dirname(p)) {
    try {
      const s = statfsSync(p);
      return s.bavail * s.bsize;
    } catch {
      if (dirname(p) === p) return undefined;
    }
  }
}

const gb = (bytes: number) => `${(bytes / 1e9).toFixed(bytes < 1e8 ? 3 : 1)} GB`;

/** Throws an IoError (exit 1) when `need` does not fit in `free` bytes. */
export function checkDiskSpace(dir: string, need: DiskNeed, free = freeBytes(dir)): void {
  if (free === undefined) return;
  const total = need.spoolBytes + need.outputBytes;
  if (total <= free) return;
  throw new IoError(
    `cannot write ${dir}: the run needs about ${gb(total)} (records ${gb(need.spoolBytes)}, outputs ${gb(need.outputBytes)}) and ${gb(free)} is free (free some room, use another --out, or run fewer replicates or shards)`,
    'ENOSPC',
  );
}
