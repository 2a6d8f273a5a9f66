// A report page that no longer describes the outputs beside it is never left behind: a run that
// replaces the outputs removes the old report (with --no-report too), and a report that fails leaves
// no page rather than an earlier one that looks complete.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { ROOT } from '../support/cli.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { writeReport } from '../../src/report/write-report.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-stale-report-');

async function run(outDir: string, replicates: number, force = false) {
  const { experiment } = loadExperiment(TINY);
  experiment.replicates = replicates;
  await runBatch({ file: TINY, experiment, outDir, workers: 1, progress: 'none', trajectories: false, excel: false, force, resume: false, log: () => {} });
}

let reported: string;
beforeAll(async () => {
  reported = join(tmp(), 'run');
  await run(reported, 2);
  await writeReport(reported, { png: false });
}, 120_000);

function copy(): string {
  const dir = join(tmp(), 'copy');
  cpSync(reported, dir, { recursive: true });
  expect(existsSync(join(dir, 'report.html'))).toBe(true);
  return dir;
}

describe('stale reports', () => {
  it('a run that replaces the outputs removes the report drawn from the old ones', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'report-point-3.html'), '<p>old</p>');
    await run(dir, 3, true);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(existsSync(join(dir, 'report-point-3.html'))).toBe(false);
    expect(existsSync(join(dir, 'figures'))).toBe(false);
    expect(existsSync(join(dir, 'epochs.csv'))).toBe(true);
  }, 120_000);

  it('a report that cannot write its figures leaves no page', async () => {
    const dir = copy();
    rmSync(join(dir, 'figures'), { recursive: true });
    writeFileSync(join(dir, 'figures'), 'a file where the folder goes');
    await expect(writeReport(dir, { png: false })).rejects.toThrow();
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('a report of damaged results leaves no page', async () => {
    const dir = copy();
    const lines = readFileSync(join(dir, 'epochs.csv'), 'utf8').split('\n');
    const header = lines[0].split(',');
    const k = lines.findIndex((l, i) => i > 0 && l.startsWith('share,'));
    const cells = lines[k].split(',');
    cells[header.indexOf('min')] = '-7';
    lines[k] = cells.join(',');
    writeFileSync(join(dir, 'epochs.csv'), lines.join('\n'));
    await expect(writeReport(dir, { png: false })).rejects.toThrow(/min -7 is not valid/);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});
