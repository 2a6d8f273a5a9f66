// `hashmigrate backtest CONFIG...`: runs each config that names observed series and prints its
// scorecard (src/cli/scorecard.ts). Each run is an ordinary batch in OUT/<name>, with all its outputs.
import { join } from 'node:path';
import { loadExperiment } from '../config/load.ts';
import { UserError } from '../config/errors.ts';
import { runBatch } from '../runner/batch.ts';
import type { BacktestOutcome } from '../runner/backtest.ts';
import type { ProgressMode } from '../runner/progress.ts';
import { readScorecard, scorecardText } from './scorecard.ts';
import type { ScorecardRow } from '../report/scorecard.ts';

export interface BacktestOptions {
  replicates?: number;
  workers: number;
  /** parent folder: each config runs into OUT/<name> */
  out: string;
  force: boolean;
  progress: ProgressMode;
  report: boolean;
  signal?: AbortSignal;
  /** writes a finished folder's report (the CLI passes one that loads the report module lazily) */
  writeReport?: (dir: string) => Promise<unknown>;
  print?: (text: string) => void;
}

export interface BacktestRun {
  file: string;
  name: string;
  question: string;
  replicates: number;
  seed: number;
  outDir: string;
  observedFile: string;
  outcome: BacktestOutcome;
  rows: ScorecardRow[];
}

/** Runs the configs one after another; every config is checked before the first run starts. */
export async function runBacktests(configs: string[], o: BacktestOptions): Promise<BacktestRun[]> {
  const print = o.print ?? ((text: string) => process.stdout.write(text));
  const loaded = configs.map((file) => {
    const l = loadExperiment(file);
    if (l.experiment.observed === undefined) {
      throw new UserError(`${file}: observed: missing (expected the path of a CSV of observed series date,metric,region,value[,source] to score the run against; see docs/CONFIG.md)`);
    }
    if (o.replicates !== undefined) l.experiment.replicates = o.replicates;
    return l;
  });
  const names = new Map<string, string>();
  for (const { file, experiment } of loaded) {
    const other = names.get(experiment.name);
    if (other !== undefined) throw new UserError(`${file}: name: "${experiment.name}" is not valid (expected a name other than that of ${other}: both would run into ${join(o.out, experiment.name)})`);
    names.set(experiment.name, file);
  }
  const runs: BacktestRun[] = [];
  for (const { file, experiment } of loaded) {
    const outDir = join(o.out, experiment.name);
    const started = performance.now();
    const result = await runBatch({ file, experiment, outDir, workers: o.workers, progress: o.progress, trajectories: false, excel: false, force: o.force, resume: false, signal: o.signal });
    const rows = readScorecard(outDir);
    const outcome = result.backtest!;
    const seconds = (performance.now() - started) / 1000;
    print(scorecardText(`${experiment.name} (${experiment.replicates} replicates, seed ${experiment.seed}, ${seconds.toFixed(1)} s, ${outDir})`, rows, outcome));
    if (o.report && o.writeReport) await o.writeReport(outDir);
    runs.push({ file, name: experiment.name, question: experiment.question, replicates: experiment.replicates, seed: experiment.seed, outDir, observedFile: result.plan.observed!.file, outcome, rows });
  }
  return runs;
}
