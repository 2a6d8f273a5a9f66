// A Monte Carlo batch from a program: the library's counterpart of `hashmigrate run`.
import type { LoadedExperiment } from '../config/load.ts';
import { runBatch as runBatchInFolder, type BatchResult } from '../runner/batch.ts';
import { defaultWorkerCount } from '../runner/pool.ts';
import type { ProgressMode } from '../runner/progress.ts';
import type { TableFormat } from '../io/table-format.ts';

export interface RunOptions {
  /** output folder (required); refused if it holds results, unless `force` */
  outDir: string;
  /** replicates per sweep point (default: the config's `replicates`) */
  replicates?: number;
  /** root seed (default: the config's `seed`) */
  seed?: number;
  /** worker threads (default: SLURM_CPUS_PER_TASK if set, else the available cores) */
  workers?: number;
  /** replicates sent to a worker at a time (default: automatic) */
  chunkSize?: number;
  /** progress on stderr (default 'none') */
  progress?: ProgressMode;
  /** also write trajectories.csv (default false) */
  trajectories?: boolean;
  /** spreadsheet-friendly CSV (default false; not with format 'parquet') */
  excel?: boolean;
  /** the tables' format: 'csv' (default) or 'parquet' (docs/OUTPUTS.md) */
  format?: TableFormat;
  /** replace results already in outDir (default false) */
  force?: boolean;
  /** complete a stopped run from its finished replicates (default false) */
  resume?: boolean;
  /** stops the workers when aborted; finished replicates stay for `resume` */
  signal?: AbortSignal;
}

export type { BatchResult };

/**
 * Runs every replicate (and sweep point) of a loaded config on worker threads and writes
 * epochs.csv, replicates.csv, points.csv (sweeps) (or the same tables as .parquet), datapackage.json
 * and manifest.json into outDir.
 * The outputs are byte-identical to `hashmigrate run`'s with the same config and seed.
 */
export async function runBatch(config: LoadedExperiment, options: RunOptions): Promise<BatchResult> {
  const experiment = structuredClone(config.experiment);
  if (options.seed !== undefined) experiment.seed = options.seed;
  if (options.replicates !== undefined) experiment.replicates = options.replicates;
  return runBatchInFolder({
    file: config.file,
    experiment,
    outDir: options.outDir,
    workers: options.workers ?? defaultWorkerCount(),
    chunkSize: options.chunkSize,
    progress: options.progress ?? 'none',
    trajectories: options.trajectories ?? false,
    excel: options.excel ?? false,
    format: options.format,
    force: options.force ?? false,
    resume: options.resume ?? false,
    signal: options.signal,
  });
}
