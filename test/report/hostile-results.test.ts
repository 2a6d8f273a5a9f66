// The report's reader over damaged results: an epochs.csv that is a folder, or that holds a value no
// run can produce (a share of -7, quantiles out of order), is one UserError naming file, line and
// value, never a figure drawn from it.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';
import { readResults } from '../../src/report/results.ts';
import { statProblem } from '../../src/report/metric-bounds.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-hostile-report-');

let run: string;
beforeAll(async () => {
  run = join(tmp(), 'run');
  const { experiment } = loadExperiment(TINY);
  experiment.replicates = 2;
  await runBatch({ file: TINY, experiment, outDir: run, workers: 1, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {} });
});

/** A copy of the run whose epochs.csv line `k` (1-based, header = 1) has its `column` set to `value`. */
function withCell(match: (cells: string[]) => boolean, column: string, value: string): { dir: string; line: number } {
  const dir = join(tmp(), 'copy');
  cpSync(run, dir, { recursive: true });
  const lines = readFileSync(join(dir, 'epochs.csv'), 'utf8').split('\n');
  const header = lines[0].split(',');
  const k = lines.findIndex((l, i) => i > 0 && match(l.split(',')));
  const cells = lines[k].split(',');
  cells[header.indexOf(column)] = value;
  lines[k] = cells.join(',');
  writeFileSync(join(dir, 'epochs.csv'), lines.join('\n'));
  return { dir, line: k + 1 };
}

describe('readResults on damaged results', () => {
  it('reads the intact run', () => {
    expect(readResults(run).series.size).toBeGreaterThan(10);
  });

  it('refuses a share of -7, naming the line and the bound', () => {
    const { dir, line } = withCell((c) => c[0] === 'share' && c[2] === '5', 'min', '-7');
    expect(() => readResults(dir)).toThrow(UserError);
    expect(() => readResults(dir)).toThrow(new RegExp(`epochs\\.csv: line ${line}: share\\[\\w+\\]: min -7 is not valid \\(expected share within \\[0, 1\\]\\)`));
  });

  it('refuses statistics out of order', () => {
    const { dir, line } = withCell((c) => c[0] === 'hashrate_ehs' && c[2] === '3', 'p95', '0');
    expect(() => readResults(dir)).toThrow(new RegExp(`line ${line}: hashrate_ehs: p95 0 is below p75 .* \\(expected min <= p05 <= \\.\\.\\. <= max\\)`));
  });

  it('refuses an epochs.csv that is a folder', () => {
    const dir = join(tmp(), 'copy');
    cpSync(run, dir, { recursive: true });
    rmSync(join(dir, 'epochs.csv'));
    mkdirSync(join(dir, 'epochs.csv'));
    expect(() => readResults(dir)).toThrow(UserError);
    expect(() => readResults(dir)).toThrow(/epochs\.csv: not a file; expected the output of `hashmigrate run`/);
  });
});

describe('statProblem', () => {
  const ok = { min: 0.1, p05: 0.1, p25: 0.1, p50: 0.1, p75: 0.1, p95: 0.1, max: 0.1, mean: 0.1, sd: 0 };
  it('lets rounding of a few ulps pass and names what is wrong otherwise', () => {
    expect(statProblem('share', ok)).toBeUndefined();
    expect(statProblem('share', { ...ok, mean: (12 * 0.1) / 12 })).toBeUndefined();
    expect(statProblem('share', { ...ok, max: 1.5, p95: 1.5 })).toBe('max 1.5 is not valid (expected share within [0, 1])');
    expect(statProblem('hhi_region', { ...ok, sd: -1 })).toBe('sd -1 is not valid (expected >= 0)');
    expect(statProblem('some_new_metric', { ...ok, min: -7, p05: -7, p25: -7, p50: -7, p75: -7, p95: -7, max: -7, mean: -7 })).toBeUndefined();
  });
});
