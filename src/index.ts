// The public API of the `hashmigrate` package: load and validate a config, run one replicate, run a
// batch, read a finished run's results. Everything else in src/ is internal and may change.
export { loadConfig, validateConfig, type ConfigCheck } from './api/config.ts';
export { runReplicate, type ReplicateOptions } from './api/run-replicate.ts';
export { runBatch, type RunOptions, type BatchResult } from './api/run-batch.ts';
export { writeRunReport } from './api/report.ts';
export { readResults as readRun, seriesOf, type Results, type StatRow, type ReadOptions, type ReportManifest } from './report/results.ts';
export { UserError } from './config/errors.ts';
export { ReplicateFailure } from './runner/pool.ts';
export type { LoadedExperiment } from './config/load.ts';
export type { Experiment, Sweep } from './config/experiment.ts';
export type { ModelConfig, RegionConfig, EventConfig, AsicConfig } from './config/schema.ts';
export type { ReplicateOutput, SeriesKey } from './model/output.ts';
export type { Manifest } from './io/manifest.ts';
export type { ProgressMode } from './runner/progress.ts';
export type { TableFormat } from './io/table-format.ts';
