// runBatch over a damaged or cut-off spool: a full disk stops the run with a one-line I/O error, and
// --resume after a short write, a truncated or deleted values.f64 or an edited done.jsonl gives the
// bytes of an uninterrupted run; a resume with another seed, or without the layout, is refused.
import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { runBatch, type BatchOptions, type BatchResult } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';
import { IoError } from '../../src/io/io-error.ts';
import { fsCalls } from '../../src/io/write-fully.ts';
import { LOCK_FILE, SPOOL_DIR } from '../../src/io/outdir.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-resume-');
const realWriteSync = fsCalls.writeSync;
afterEach(() => {
  fsCalls.writeSync = realWriteSync;
});

function batch(out: string, extra: Partial<BatchOptions> = {}, seed?: number): Promise<BatchResult> {
  const { experiment } = loadExperiment(TINY);
  if (seed !== undefined) experiment.seed = seed;
  return runBatch({ file: TINY, experiment, outDir: out, workers: 1, chunkSize: 2, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {}, ...extra });
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
const OUTPUTS = ['epochs.csv', 'replicates.csv', 'datapackage.json'];

/**
 * Makes the spool's `call`-th write (counting from 1) fail as `fail` says. With one worker and chunks of
 * two, chunk c writes its two records (calls 3c+1, 3c+2), then its two log lines (call 3c+3).
 */
function failWrite(call: number, fail: 'short' | 'ENOSPC'): void {
  let calls = 0;
  fsCalls.writeSync = (fd, buffer, offset, length, position) => {
    calls += 1;
    if (calls !== call) return realWriteSync(fd, buffer, offset, length, position);
    if (fail === 'short') return realWriteSync(fd, buffer, offset, Math.floor(length / 3), position);
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  };
}

/** A run stopped by a full disk after 6 of its 12 units were spooled; returns its folder. */
async function stoppedRun(): Promise<string> {
  const dir = join(tmp(), 'out');
  failWrite(10, 'ENOSPC');
  await expect(batch(dir)).rejects.toThrow(IoError);
  fsCalls.writeSync = realWriteSync;
  return dir;
}

async function resumeMatches(dir: string, expectLog: RegExp): Promise<void> {
  const logs: string[] = [];
  await batch(dir, { resume: true, log: (l) => logs.push(l) });
  expect(logs.join('\n')).toMatch(expectLog);
  for (const name of OUTPUTS) expect(read(dir, name), name).toBe(read(refDir, name));
  expect(JSON.parse(read(dir, 'manifest.json')).outputs).toEqual(JSON.parse(read(refDir, 'manifest.json')).outputs);
  expect(existsSync(join(dir, SPOOL_DIR))).toBe(false);
}

let refDir: string;
beforeAll(async () => {
  refDir = join(tmp(), 'ref');
  await batch(refDir);
});

describe('runBatch: a full disk', () => {
  it('stops on a short record write with one line naming values.f64, no outputs, and resumes to the same bytes', async () => {
    const dir = join(tmp(), 'out');
    failWrite(5, 'short');
    const run = batch(dir);
    await expect(run).rejects.toThrow(IoError);
    await expect(run).rejects.toThrow(/^cannot write .*\.partial\/values\.f64: only \d+ of \d+ bytes were written/);
    fsCalls.writeSync = realWriteSync;
    for (const name of [...OUTPUTS, 'manifest.json', LOCK_FILE]) expect(existsSync(join(dir, name)), name).toBe(false);
    // chunk 0 is done; chunk 1 had its first record cut off and never reached the log
    await resumeMatches(dir, /resuming: 2 of 12/);
  });

  it('stops on ENOSPC while logging a chunk, and resumes to the same bytes', async () => {
    const dir = join(tmp(), 'out');
    failWrite(6, 'ENOSPC');
    await expect(batch(dir)).rejects.toThrow(/^cannot write .*\.partial\/done\.jsonl: no space left on device$/);
    fsCalls.writeSync = realWriteSync;
    await resumeMatches(dir, /resuming: 2 of 12/);
  });
});

describe('runBatch: --resume over a damaged spool', () => {
  it('re-runs the units of a truncated values.f64 (the cut one too) instead of reading zeros', async () => {
    const dir = await stoppedRun();
    const values = join(dir, SPOOL_DIR, 'values.f64');
    const record = statSync(values).size / 6;
    truncateSync(values, Math.floor(3.5 * record));
    await resumeMatches(dir, /3 spooled replicates failed their checks.*units 3-5[\s\S]*resuming: 3 of 12/);
  });

  it('re-runs every unit when values.f64 is deleted', async () => {
    const dir = await stoppedRun();
    rmSync(join(dir, SPOOL_DIR, 'values.f64'));
    await resumeMatches(dir, /6 spooled replicates failed their checks.*units 0-5/);
  });

  it('re-runs a unit whose summary line was edited, so the edit never reaches replicates.csv', async () => {
    const dir = await stoppedRun();
    const done = join(dir, SPOOL_DIR, 'done.jsonl');
    const lines = read(join(dir, SPOOL_DIR), 'done.jsonl').split('\n').filter(Boolean);
    const line = JSON.parse(lines[4]);
    line.s[0] = 0.999;
    lines[4] = JSON.stringify(line);
    writeFileSync(done, lines.join('\n') + '\n');
    await resumeMatches(dir, new RegExp(`1 spooled replicate failed its checks.*units ${line.u}\\b[\\s\\S]*resuming: 5 of 12`));
  });

  it('refuses to resume with another seed, in one line, keeping the spool', async () => {
    const dir = await stoppedRun();
    const before = read(join(dir, SPOOL_DIR), 'done.jsonl');
    const run = batch(dir, { resume: true }, 8);
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(/used seed 20260401, not 8 \(resume with --seed 20260401\); use --force to start again$/);
    expect(read(join(dir, SPOOL_DIR), 'done.jsonl')).toBe(before);
  });

  it('refuses to resume when layout.json is gone, rather than mix seeds', async () => {
    const dir = await stoppedRun();
    rmSync(join(dir, SPOOL_DIR, 'layout.json'));
    await expect(batch(dir, { resume: true }, 8)).rejects.toThrow(/layout\.json: missing \(cannot tell which configuration and seed/);
    await expect(batch(dir, { resume: true })).rejects.toThrow(UserError);
    expect(existsSync(join(dir, 'epochs.csv'))).toBe(false);
  });
});
