// The `hashmigrate` command line. User errors print one line and exit with 2; I/O failures (a full
// disk, no permission) print one line and exit with 1; unexpected errors print their stack and exit
// with 1; Ctrl-C stops workers and exits with 130.
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { loadExperiment } from '../config/load.ts';
import { validateConfig } from '../api/config.ts';
import { experimentSchemaText } from '../config/json-schema.ts';
import { UserError } from '../config/errors.ts';
import { MAX_REPLICATES } from '../config/experiment.ts';
import { IoError, unwrappedIoError } from '../io/io-error.ts';
import { runBatch } from '../runner/batch.ts';
import { defaultWorkerCount, ReplicateFailure } from '../runner/pool.ts';
import { PROGRESS_MODES, type ProgressMode } from '../runner/progress.ts';
import { DEFAULT_TABLE_FORMAT, TABLE_FORMATS, type TableFormat } from '../io/table-format.ts';
import { printSummary } from './summary.ts';
import { parseEpochList, simulateCommand } from './simulate.ts';
import { addMergeCommand, defaultShardDir, shardOption, shardSize } from './merge.ts';
import { formatReproduction, reproduce } from './reproduce.ts';
import { addCompareCommand } from './compare.ts';
import { runBacktests } from './backtest.ts';
import { readScorecard, scorecardText } from './scorecard.ts';

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name}: ${JSON.stringify(value)} is not an integer >= ${min}`);
    if (n > max) throw new InvalidArgumentError(`${name}: ${JSON.stringify(value)} is not valid (expected at most ${max}, as in experiment files)`);
    return n;
  };
}

/** `--format`: one of TABLE_FORMATS. */
export function tableFormat(value: string): TableFormat {
  if (!(TABLE_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`--format: ${JSON.stringify(value)} is not valid (expected ${TABLE_FORMATS.join(' or ')})`);
  return value as TableFormat;
}

function withSeed(file: string, seed: number | undefined) {
  const loaded = loadExperiment(file);
  if (seed !== undefined) loaded.experiment.seed = seed;
  return loaded;
}

/** The report module loads Observable Plot and resvg, so only the commands that write a report import it. */
async function writeReportLazily(dir: string, options: { point?: number } = {}): Promise<void> {
  const { reportCommand } = await import('../report/command.ts');
  await reportCommand(dir, options);
}

/**
 * Runs `work` with an AbortSignal raised by the given signals (Ctrl-C): on interruption it prints
 * `message` and exits with 130; other errors go on to handleError.
 */
async function interruptible(signals: NodeJS.Signals[], message: string, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  for (const sig of signals) process.once(sig, onSignal);
  try {
    await work(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) {
      process.stderr.write(`hashmigrate: ${message}\n`);
      process.exit(130);
    }
    throw err;
  } finally {
    for (const sig of signals) process.off(sig, onSignal);
  }
}

export function buildProgram(): Command {
  const program = new Command()
    .name('hashmigrate')
    .description('Agent-based Monte Carlo simulator of Bitcoin miner migration and hashrate concentration')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  program
    .command('simulate')
    .description('run one replicate and write DIR/trajectory.csv (tidy: epoch,date,metric,region,value) and DIR/manifest.json')
    .argument('<config>', 'experiment file (JSON)')
    .option('--replicate <k>', 'replicate index', integer('--replicate', 0), 0)
    .option('--point <p>', 'sweep point index (a config with a sweep)', integer('--point', 0), 0)
    .option('--seed <s>', 'root seed (default: the config\'s seed)', integer('--seed', 0))
    .option('--out <dir>', 'output folder', 'results/simulate')
    .option('--excel', 'spreadsheet-friendly CSV: BOM, CRLF, formula-safe text', false)
    .option('--force', 'replace a trajectory already in the output folder', false)
    .option('--agents <epochs>', 'also write DIR/agents.csv: every operator (region, status, hashrate, efficiency, cash, debt) at these epochs, e.g. 0,52,104')
    .action(async (config, opts) => {
      const loaded = withSeed(config, opts.seed);
      const agents = opts.agents === undefined ? undefined : parseEpochList(opts.agents);
      const line = await simulateCommand(loaded, { replicate: opts.replicate, point: opts.point, outDir: opts.out, excel: opts.excel, force: opts.force, agents });
      process.stdout.write(`${line}\n`);
    });

  program
    .command('run')
    .description('run a Monte Carlo batch on worker threads and aggregate it (epochs.csv, replicates.csv, manifest.json)')
    .argument('<config>', 'experiment file (JSON)')
    .option('--replicates <n>', 'number of replicates (default: the config\'s)', integer('--replicates', 1, MAX_REPLICATES))
    .option('--workers <w>', 'worker threads (default: SLURM_CPUS_PER_TASK, else the available cores)', integer('--workers', 1))
    .option('--seed <s>', 'root seed (default: the config\'s seed)', integer('--seed', 0))
    .option('--out <dir>', 'output folder (default: results/<name>)')
    .option('--chunk-size <n>', 'replicates per task sent to a worker (default: automatic)', integer('--chunk-size', 1))
    .addOption(new Option('--progress <mode>', 'progress display').choices(PROGRESS_MODES as ProgressMode[]).default('auto' as ProgressMode))
    .option('--trajectories', 'also write trajectories.csv: every replicate\'s per-epoch metrics', false)
    .option('--agents <epochs>', 'also write agents.csv: every operator of every replicate (region, status, hashrate, efficiency, cash, debt) at these epochs, e.g. 0,52,104')
    .option('--excel', 'spreadsheet-friendly CSV: BOM, CRLF, formula-safe text', false)
    .option('--format <format>', `format of the tables: ${TABLE_FORMATS.join(' or ')} (Parquet: typed columns, Snappy-compressed, one .parquet file per table)`, tableFormat, DEFAULT_TABLE_FORMAT)
    .option('--force', 'replace results already in the output folder', false)
    .option('--resume', 'complete a run that was stopped, keeping its finished replicates', false)
    .option('--allow-large', 'run even when the estimate before the start says the run is large (over half the memory, or over a day); one beyond the memory is refused anyway', false)
    .option('--no-summary', 'do not print the summary table at the end')
    .option('--no-report', 'do not write report.html and figures/ at the end')
    .option('--shard <i/n>', 'run only shard I of N (0-based) into a shard folder for `merge`; /N or auto take I (and N) from the Slurm job array')
    .action(async (config, opts) => {
      const { file, experiment } = withSeed(config, opts.seed);
      if (opts.replicates !== undefined) experiment.replicates = opts.replicates;
      const shard = shardOption(opts.shard);
      const agents = opts.agents === undefined ? undefined : parseEpochList(opts.agents);
      const outDir = opts.out ?? (shard ? defaultShardDir(experiment.name, shard) : join('results', experiment.name));
      const started = performance.now();
      await interruptible(
        ['SIGINT', 'SIGTERM'],
        `interrupted; finished replicates are kept in ${join(outDir, '.partial')}: run again with --resume to complete`,
        async (signal) => {
          const result = await runBatch({
            file,
            experiment,
            outDir,
            workers: opts.workers ?? defaultWorkerCount(),
            chunkSize: opts.chunkSize,
            progress: opts.progress,
            trajectories: opts.trajectories,
            excel: opts.excel,
            format: opts.format,
            force: opts.force,
            resume: opts.resume,
            allowLarge: opts.allowLarge,
            agents,
            shard,
            signal,
          });
          const seconds = (performance.now() - started) / 1000;
          process.stdout.write(`wrote ${result.outputs.concat('manifest.json').map((f) => join(outDir, f)).join(', ')} (${shard ? `shard ${shard.index}/${shard.count}: ${shardSize(result)}; ` : ''}${experiment.replicates} replicates, seed ${experiment.seed}, ${seconds.toFixed(1)} s)\n`);
          if (opts.summary && !shard) printSummary(outDir, result.plan);
          if (opts.summary && result.backtest) process.stdout.write(scorecardText(`backtest of ${experiment.name}`, readScorecard(outDir), result.backtest));
          if (opts.report && !shard) await writeReportLazily(outDir);
        },
      );
    });

  program
    .command('backtest')
    .description('run each config that names observed series (field `observed`) and print its scorecard: per series n, median absolute log error, 50%/90% coverage, CRPS')
    .argument('<configs...>', 'experiment files (JSON) with an `observed` field, e.g. configs/history/*.json')
    .option('--replicates <n>', 'number of replicates (default: each config\'s)', integer('--replicates', 1, MAX_REPLICATES))
    .option('--workers <w>', 'worker threads (default: SLURM_CPUS_PER_TASK, else the available cores)', integer('--workers', 1))
    .option('--out <dir>', 'parent folder: each config runs into DIR/<name>', join('results', 'backtest'))
    .option('--force', 'replace results already in the output folders', false)
    .addOption(new Option('--progress <mode>', 'progress display').choices(PROGRESS_MODES as ProgressMode[]).default('auto' as ProgressMode))
    .option('--no-report', 'do not write report.html and figures/ for each run')
    .action(async (configs, opts) => {
      await interruptible(['SIGINT', 'SIGTERM'], 'interrupted; run again with --force to start over', async (signal) => {
        await runBacktests(configs, {
          replicates: opts.replicates,
          workers: opts.workers ?? defaultWorkerCount(),
          out: opts.out,
          force: opts.force,
          progress: opts.progress,
          report: opts.report,
          signal,
          writeReport: writeReportLazily,
        });
      });
    });

  program
    .command('reproduce')
    .description('re-run a published experiment from its manifest and compare every output with the recorded hash (exit 0 only when all match)')
    .argument('<manifest>', 'manifest.json of a finished run, e.g. results/baseline-2026/manifest.json')
    .option('--workers <w>', 'worker threads (default: SLURM_CPUS_PER_TASK, else the available cores)', integer('--workers', 1))
    .option('--out <dir>', 'folder to re-run into, kept afterwards (default: a temporary folder, removed when everything matches)')
    .option('--tolerance <x>', 'relative tolerance for values when the run was made on another Node major', (v) => {
      const x = Number(v);
      if (!(x >= 0 && x < 1)) throw new InvalidArgumentError(`--tolerance: ${JSON.stringify(v)} is not a number in [0, 1)`);
      return x;
    }, 1e-9)
    .addOption(new Option('--progress <mode>', 'progress display').choices(PROGRESS_MODES as ProgressMode[]).default('auto' as ProgressMode))
    .action(async (manifestPath, opts) => {
      await interruptible(['SIGINT'], 'interrupted', async (signal) => {
        const result = await reproduce({ manifestPath, workers: opts.workers ?? defaultWorkerCount(), tolerance: opts.tolerance, progress: opts.progress, outDir: opts.out, signal });
        process.stdout.write(formatReproduction(result).join('\n') + '\n');
        if (!result.ok) process.exitCode = 1;
      });
    });

  program
    .command('report')
    .description('write DIR/report.html (self-contained) and DIR/figures/*.svg, *.png from a finished run (DIR/report-point-P.html with --point P)')
    .argument('<dir>', 'output folder of `hashmigrate run`')
    .option('--point <p>', 'sweep point to show, written to DIR/report-point-P.html and DIR/figures/point-P/ ("all": one page per point); without it report.html shows point 0', (v) => (v === 'all' ? ('all' as const) : integer('--point', 0)(v)))
    .action(async (dir, opts) => {
      if (opts.point === 'all') {
        const { reportAllPoints } = await import('../report/command.ts');
        await reportAllPoints(dir);
      } else await writeReportLazily(dir, opts.point === undefined ? {} : { point: opts.point });
    });

  program
    .command('validate')
    .description('check an experiment file and print every problem (exit 2 on any)')
    .argument('<config>', 'experiment file (JSON)')
    .action((config) => {
      const { problems } = validateConfig(config);
      if (problems.length) throw new UserError(problems.join('\n'), problems);
      process.stdout.write(`${config}: valid\n`);
    });

  program
    .command('schema')
    .description('print the JSON Schema of experiment files (for editor completion)')
    .action(() => {
      process.stdout.write(experimentSchemaText());
    });

  addMergeCommand(program, writeReportLazily);
  addCompareCommand(program, { integer, interruptible, writeReport: writeReportLazily });

  return program;
}

export function handleError(err: unknown): never {
  const e = err as { code?: string; exitCode?: number; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('commander.')) {
    // commander has printed its own message (help, version, or a usage error).
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof UserError) {
    process.stderr.write(`hashmigrate: ${err.message}\n`);
    process.exit(2);
  }
  const io = err instanceof IoError ? err : unwrappedIoError(err);
  if (io) {
    process.stderr.write(`hashmigrate: ${io.message}\n`);
    process.exit(1);
  }
  if (err instanceof ReplicateFailure) {
    process.stderr.write(`hashmigrate: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`hashmigrate: unexpected error (please report it):\n${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram()
    .parseAsync(argv)
    .catch(handleError);
}

const invoked = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\u0000');
if (invoked && !process.env.HASHMIGRATE_NO_MAIN) await main(process.argv);
