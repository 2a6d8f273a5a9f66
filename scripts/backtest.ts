// `npm run backtest [-- --replicates N] [--workers W] [--out DIR] [CONFIG...]`: runs every episode in
// configs/history/ (or the configs given) with `hashmigrate backtest` and writes DIR/SCORECARD.md
// (default results/backtest/SCORECARD.md, committed): the command that made it, the git commit, and
// one scorecard table per episode.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '../src/io/atomic.ts';
import { softwareInfo } from '../src/io/manifest.ts';
import { UserError } from '../src/config/errors.ts';
import { handleError } from '../src/cli/main.ts';
import { defaultWorkerCount } from '../src/runner/pool.ts';
import { runBacktests, type BacktestRun } from '../src/cli/backtest.ts';
import { outcomeLine, scorecardMarkdown } from '../src/cli/scorecard.ts';

const DEFAULT_REPLICATES = 50;
const HISTORY = join('configs', 'history');

interface Args {
  replicates: number;
  workers: number;
  out: string;
  configs: string[];
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { replicates: DEFAULT_REPLICATES, workers: defaultWorkerCount(), out: join('results', 'backtest'), configs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`${a}: missing value`);
      return v;
    };
    const count = (v: string) => {
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new UserError(`${a}: ${JSON.stringify(v)} is not an integer >= 1`);
      return Number(v);
    };
    if (a === '--replicates') args.replicates = count(value());
    else if (a === '--workers') args.workers = count(value());
    else if (a === '--out') args.out = value();
    else if (a.startsWith('--')) throw new UserError(`${a}: unknown option (expected --replicates N, --workers W, --out DIR or config files)`);
    else args.configs.push(a);
  }
  if (args.configs.length === 0) {
    args.configs = readdirSync(HISTORY).filter((f) => f.endsWith('.json')).sort().map((f) => join(HISTORY, f));
  }
  return args;
}

function episodeSection(run: BacktestRun): string {
  return [
    `## ${run.name}`,
    '',
    `${run.question}`,
    '',
    `Config \`${run.file}\`, observed series \`${relative(process.cwd(), run.observedFile)}\`, ${run.replicates} replicates, seed ${run.seed}: ${outcomeLine(run.outcome)}.`,
    '',
    scorecardMarkdown(run.rows),
  ].join('\n');
}

export function scorecardDocument(runs: BacktestRun[], command: string, software: { gitCommit: string; gitDirty: boolean | null }): string {
  const commit = `${software.gitCommit}${software.gitDirty ? ' (with uncommitted changes)' : ''}`;
  return [
    '# Backtest scorecard',
    '',
    `Made with \`${command}\` at git commit \`${commit}\`.`,
    '',
    'Each episode of `configs/history/` is run and every observation in its `observed` file is scored against the',
    "replicates' values at its date (docs/OUTPUTS.md, `backtest.csv` and `backtest-summary.csv`). Columns: observations",
    'scored (n); median absolute log error of the simulated median (MdALE; 0.1 is about 10% off); share of observations',
    'inside the 50% and the 90% central intervals (about 50% and 90% when the bands are calibrated); mean CRPS in the',
    "metric's unit, and divided by the mean observation (lower is better).",
    '',
    ...runs.map(episodeSection),
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const runs = await runBacktests(args.configs, { replicates: args.replicates, workers: args.workers, out: args.out, force: true, progress: 'log', report: false });
  const command = ['npm run backtest', ...(argv.length ? ['--', ...argv] : [])].join(' ');
  const file = join(args.out, 'SCORECARD.md');
  await writeFileAtomic(file, scorecardDocument(runs, command, softwareInfo()));
  process.stdout.write(`wrote ${file}\n`);
}

await main(process.argv.slice(2)).catch(handleError);
