// `hashmigrate merge SHARD_DIR... --out DIR`: shard folders from `run --shard I/N` into the outputs of
// one run (src/runner/merge.ts). Also the pieces of `run --shard` that belong to the command line.
import type { Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { mergeShards } from '../runner/merge.ts';
import { formatUnits, parseShard, type ShardSpec } from '../runner/shard.ts';
import type { BatchResult } from '../runner/batch.ts';
import { printSummary } from './summary.ts';
import { readScorecard, scorecardText } from './scorecard.ts';

/** Writes the report of a finished output folder; set by whoever provides one (see addMergeCommand). */
export type ReportWriter = (outDir: string) => Promise<unknown>;

/** `--shard` of `run`: the spec, read against the environment (Slurm array variables). */
export function shardOption(value: string | undefined, env: NodeJS.ProcessEnv = process.env): ShardSpec | undefined {
  return value === undefined ? undefined : parseShard(value, env);
}

/** Where `run --shard I/N` writes when no --out is given: results/<name>-shards/shard-I. */
export function defaultShardDir(name: string, spec: ShardSpec): string {
  return join('results', `${name}-shards`, `shard-${spec.index}`);
}

/** "units 4-7 of 12" for a shard run's closing line. */
export function shardSize(result: BatchResult): string {
  const s = result.manifest.shard;
  return s ? `units ${formatUnits({ first: s.firstUnit, end: s.endUnit })} of ${s.totalUnits}` : '';
}

/**
 * Registers `merge` on the program. `writeReport`, when given, runs at the end unless --no-report,
 * so that a merged folder gets the same report as a single run's.
 */
export function addMergeCommand(program: Command, writeReport?: ReportWriter): void {
  program
    .command('merge')
    .description('merge shard folders from run --shard I/N into the outputs of a single run (epochs.csv, replicates.csv, points.csv, manifest.json)')
    .argument('<shard-dirs...>', 'shard folders, in any order')
    .requiredOption('--out <dir>', 'output folder for the merged results')
    .option('--force', 'replace results already in the output folder', false)
    .option('--no-report', 'do not write the report')
    .option('--no-summary', 'do not print the summary table at the end')
    .action(async (dirs, opts) => {
      const started = performance.now();
      const result = await mergeShards({ dirs, outDir: opts.out, force: opts.force });
      const files = result.outputs.concat('manifest.json').map((f) => join(opts.out, f));
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`wrote ${files.join(', ')} (merged ${result.shards.length} shards, ${result.plan.replicates} replicates, ${seconds.toFixed(1)} s)\n`);
      if (opts.summary) printSummary(opts.out, result.plan);
      if (opts.summary && result.backtest) process.stdout.write(scorecardText(`backtest of ${result.plan.experiment.name}`, readScorecard(opts.out), result.backtest));
      if (opts.report && writeReport) await writeReport(opts.out);
    });
}
