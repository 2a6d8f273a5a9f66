// `hashmigrate compare BASE SCENARIO...`: paired comparison with common random numbers. Given
// experiment files, it runs every arm with one seed, the same replicate indices and one horizon
// (src/runner/compare-arms.ts); given finished run folders, it checks that they pair. Either way it
// writes differences.csv, compare.json and compare.html (src/runner/compare.ts, src/report/compare-*.ts).
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import { compareRuns, writeComparison, type Comparison } from '../runner/compare.ts';
import { runArms } from '../runner/compare-arms.ts';
import { defaultWorkerCount } from '../runner/pool.ts';
import { PROGRESS_MODES, type ProgressMode } from '../runner/progress.ts';
import { formatNumber } from '../report/format.ts';
import type { ReportWriter } from './merge.ts';

export interface CompareCliHelpers {
  integer: (name: string, min: number) => (value: string) => number;
  interruptible: (signals: NodeJS.Signals[], message: string, work: (signal: AbortSignal) => Promise<void>) => Promise<void>;
  writeReport?: ReportWriter;
}

const SUMMARY_METRICS = [
  ['hashrate_ehs', '', 'EH/s', 1],
  ['hhi_region', '', 'HHI', 1],
  ['share', 'us', 'pp', 100],
] as const;

/** A few lines for the terminal: each arm's effect at the last epoch on key series. */
export function compareSummary(c: Comparison): string[] {
  const last = c.epochCount - 1;
  const lines: string[] = [];
  for (const a of c.arms) {
    for (const [metric, region, unit, k] of SUMMARY_METRICS) {
      const s = a.series.find((x) => x.key.metric === metric && x.key.region === region);
      if (!s) continue;
      const d = s.epochs[last];
      const iv = (lo: number | null, hi: number | null) => (lo === null || hi === null ? '–' : `[${formatNumber(lo * k)}, ${formatNumber(hi * k)}]`);
      lines.push(
        `${a.arm.label} − ${c.base.label}, ${metric}${region ? ` ${region}` : ''} at ${c.dates[last]}: ${formatNumber(d.mean * k)} ${unit}, 95% ${iv(d.low, d.high)} paired, ${iv(d.unpairedLow, d.unpairedHigh)} unpaired (sd of differences ${formatNumber(d.sd * k)})`,
      );
    }
  }
  return lines;
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

export function addCompareCommand(program: Command, h: CompareCliHelpers): void {
  program
    .command('compare')
    .description('paired comparison with common random numbers: run BASE and SCENARIO configs (or take finished run folders) and write differences.csv and compare.html')
    .argument('<runs...>', 'the base, then one or more scenarios: experiment files (JSON), or finished run folders with trajectories.csv')
    .option('--replicates <n>', 'replicates of every arm (default: the base config\'s)', h.integer('--replicates', 1))
    .option('--seed <s>', 'root seed of every arm (default: the base config\'s)', h.integer('--seed', 0))
    .option('--until <date>', 'horizon end date of every arm, YYYY-MM-DD (default: the earliest of the configs\')')
    .option('--out <dir>', 'output folder (default: results/compare-<base name>)')
    .option('--workers <w>', 'worker threads (default: SLURM_CPUS_PER_TASK, else the available cores)', h.integer('--workers', 1))
    .addOption(new Option('--progress <mode>', 'progress display').choices(PROGRESS_MODES as ProgressMode[]).default('auto' as ProgressMode))
    .option('--force', 'replace results already in the output folder', false)
    .option('--no-report', 'do not write each arm\'s report.html (compare.html is always written)')
    .action(async (runs, opts) => {
      const folders = runs.map(isDir);
      const byFolder = folders.every(Boolean);
      if (!byFolder && folders.some(Boolean)) {
        throw new UserError(`compare: ${runs[folders.indexOf(true)]} is a folder and ${runs[folders.indexOf(false)]} is not; expected all experiment files or all run folders`);
      }
      if (byFolder) {
        for (const [flag, value] of [['--replicates', opts.replicates], ['--seed', opts.seed], ['--until', opts.until]] as const) {
          if (value !== undefined) throw new UserError(`compare: ${flag}: applies when experiment files are given; finished run folders are compared as they are`);
        }
      }
      if (opts.until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.until)) throw new InvalidArgumentError(`--until: ${JSON.stringify(opts.until)} is not a date (expected YYYY-MM-DD)`);
      const baseName = byFolder ? runs[0].replace(/\/+$/, '').split('/').pop() : runs[0].replace(/\.json$/, '').split('/').pop();
      const outDir = opts.out ?? join('results', `compare-${baseName}`);
      if (!opts.force && existsSync(join(outDir, 'differences.csv'))) throw new UserError(`${outDir}: holds a comparison already (use --force to replace it, or another --out)`);
      const started = performance.now();
      await h.interruptible(['SIGINT', 'SIGTERM'], 'interrupted; compare wrote no differences', async (signal) => {
        let dirs = runs;
        let extra: Record<string, unknown> = {};
        if (!byFolder) {
          const ran = await runArms({
            files: runs,
            outDir,
            replicates: opts.replicates,
            seed: opts.seed,
            until: opts.until,
            workers: opts.workers ?? defaultWorkerCount(),
            progress: opts.progress,
            force: opts.force,
            signal,
            onArm: opts.report && h.writeReport ? async (dir) => void (await h.writeReport!(dir)) : undefined,
          });
          dirs = ran.dirs;
          extra = { configFiles: runs, until: ran.until };
        }
        const comparison = await compareRuns(dirs);
        mkdirSync(outDir, { recursive: true });
        const written = await writeComparison(comparison, outDir, extra);
        const { writeCompareReport } = await import('../report/compare-report.ts');
        await writeCompareReport(comparison, outDir);
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(compareSummary(comparison).join('\n') + '\n');
        for (const note of comparison.notes) process.stdout.write(`note: ${note}\n`);
        process.stdout.write(`wrote ${[...written, 'compare.html'].map((f) => join(outDir, f)).join(', ')} (${comparison.arms.length} arm${comparison.arms.length === 1 ? '' : 's'} against ${comparison.base.label}, ${comparison.replicates} paired replicates, ${seconds.toFixed(1)} s)\n`);
      });
    });
}
