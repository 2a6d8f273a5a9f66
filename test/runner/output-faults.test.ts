// runBatch when the results folder cannot take the outputs: an --out that is a file, a full disk or a
// read-only folder while the outputs are written (injected), a folder in place of an output. Each is
// one line naming the file and the reason; no output that could pass for complete results is left;
// the spool is kept, and --resume then gives the bytes of an uninterrupted run.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { cliRunner } from '../support/cli.ts';
import { runBatch, type BatchOptions } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';
import { IoError } from '../../src/io/io-error.ts';
import { fsCalls } from '../../src/io/write-fully.ts';
import { LOCK_FILE, SPOOL_DIR } from '../../src/io/outdir.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-outfault-');
const cli = cliRunner(60_000);
const realOpen = fsCalls.open;
afterEach(() => {
  fsCalls.open = realOpen;
});

function batch(out: string, extra: Partial<BatchOptions> = {}) {
  const { experiment } = loadExperiment(TINY);
  experiment.replicates = 3;
  return runBatch({ file: TINY, experiment, outDir: out, workers: 1, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {}, ...extra });
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
const OUTPUTS = ['epochs.csv', 'replicates.csv', 'datapackage.json', 'manifest.json'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Makes the atomic writer's temporary file for `target` fail with `code` on its first write. */
function failWritesOf(target: string, code: 'ENOSPC' | 'EROFS'): void {
  fsCalls.open = async (path, flags) => {
    if (!path.includes(`/.${target}.`)) return realOpen(path, flags);
    if (code === 'EROFS') throw Object.assign(new Error(`EROFS: read-only file system, open '${path}'`), { code, syscall: 'open', path });
    const handle = await realOpen(path, flags);
    const fail = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code, syscall: 'write' });
    };
    return new Proxy(handle, {
      get(t, key) {
        if (key === 'write' || key === 'writeFile') return fail;
        const v = Reflect.get(t, key);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
  };
}

/** Nothing in `dir` that looks like finished results, and the spool kept for --resume. */
function expectResumable(dir: string): void {
  const names = readdirSync(dir);
  for (const name of OUTPUTS) expect(names, name).not.toContain(name);
  expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  expect(names).not.toContain(LOCK_FILE);
  expect(names).toContain(SPOOL_DIR);
}

async function resumesToReference(dir: string): Promise<void> {
  await batch(dir, { resume: true });
  for (const name of ['epochs.csv', 'replicates.csv', 'datapackage.json']) expect(read(dir, name), name).toBe(read(refDir, name));
  expect(JSON.parse(read(dir, 'manifest.json')).outputs).toEqual(JSON.parse(read(refDir, 'manifest.json')).outputs);
}

let refDir: string;
beforeAll(async () => {
  refDir = join(tmp(), 'ref');
  await batch(refDir);
});

describe('runBatch: an --out that cannot be a folder', () => {
  it('refuses a file, or a path below one, as bad input before writing', async () => {
    const file = join(tmp(), 'file');
    writeFileSync(file, 'x');
    await expect(batch(file)).rejects.toThrow(UserError);
    await expect(batch(file)).rejects.toThrow(new RegExp(`^--out: "${escape(file)}" is not valid \\(it is a file; expected a folder`));
    await expect(batch(join(file, 'below'))).rejects.toThrow(new RegExp(`\\(${escape(file)} is a file; expected a folder`));
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses to resume over a file in place of the spool folder', async () => {
    const dir = join(tmp(), 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, SPOOL_DIR), 'not a folder');
    await expect(batch(dir, { resume: true })).rejects.toThrow(/\.partial: is a file, not the folder of an unfinished run \(use --force to start again\)/);
  });
});

describe('runBatch: a failure while the outputs are written', () => {
  it('a full disk at epochs.csv: one line naming it, no outputs, spool kept, resume gives the same bytes', async () => {
    const dir = join(tmp(), 'out');
    failWritesOf('epochs.csv', 'ENOSPC');
    const run = batch(dir);
    await expect(run).rejects.toThrow(IoError);
    await expect(run).rejects.toThrow(new RegExp(`^cannot write ${escape(join(dir, 'epochs.csv'))}: no space left on device \\(the finished replicates are kept in .*\\.partial: free some room and run again with --resume\\)$`));
    fsCalls.open = realOpen;
    expectResumable(dir);
    await resumesToReference(dir);
  });

  it('a read-only folder at replicates.csv with --force over finished results removes them all, manifest first', async () => {
    const dir = join(tmp(), 'out');
    await batch(dir);
    failWritesOf('replicates.csv', 'EROFS');
    await expect(batch(dir, { force: true })).rejects.toThrow(new RegExp(`^cannot write ${escape(join(dir, 'replicates.csv'))}: read-only file system`));
    fsCalls.open = realOpen;
    expectResumable(dir);
    await resumesToReference(dir);
  });

  it('a folder in place of replicates.csv: the epochs.csv already written is removed again', async () => {
    const dir = join(tmp(), 'out');
    mkdirSync(join(dir, 'replicates.csv', 'inside'), { recursive: true });
    await expect(batch(dir)).rejects.toThrow(new RegExp(`^cannot write ${escape(join(dir, 'replicates.csv'))}: `));
    expect(existsSync(join(dir, 'epochs.csv'))).toBe(false);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    rmSync(join(dir, 'replicates.csv'), { recursive: true });
    await resumesToReference(dir);
  });

  it('Ctrl-C while the outputs are written stops before the manifest, leaving only the spool', async () => {
    const dir = join(tmp(), 'out');
    const controller = new AbortController();
    fsCalls.open = async (path, flags) => {
      if (path.includes('/.epochs.csv.')) controller.abort();
      return realOpen(path, flags);
    };
    await expect(batch(dir, { signal: controller.signal })).rejects.toThrow(/abort/i);
    fsCalls.open = realOpen;
    expectResumable(dir);
    await resumesToReference(dir);
  });

  it('a run clears the temporary files a killed writer left, and only those', async () => {
    const dir = join(tmp(), 'out');
    mkdirSync(dir);
    const dead = 999_999;
    let running = true;
    try {
      process.kill(dead, 0);
    } catch {
      running = false;
    }
    expect(running, `pid ${dead} happens to run; pick another`).toBe(false);
    const stale = `.epochs.csv.${dead}.1-abc.tmp`;
    const live = `.epochs.csv.${process.ppid}.1-abc.tmp`;
    writeFileSync(join(dir, stale), 'half');
    writeFileSync(join(dir, live), 'being written');
    await batch(dir);
    const names = readdirSync(dir);
    expect(names).not.toContain(stale);
    expect(names).toContain(live);
  });

  it('the CLI prints it as one line with exit 1, not as an unexpected error', () => {
    const dir = join(tmp(), 'out');
    mkdirSync(join(dir, 'replicates.csv', 'inside'), { recursive: true });
    const r = cli('run', TINY, '--replicates', '2', '--workers', '1', '--progress', 'none', '--no-summary', '--no-report', '--out', dir);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^hashmigrate: cannot write ${escape(join(dir, 'replicates.csv'))}: .*--resume\\)$`));
    expect(existsSync(join(dir, 'epochs.csv'))).toBe(false);
  });

  it('the CLI refuses an --out below a file with exit 2', () => {
    const file = join(tmp(), 'file');
    writeFileSync(file, 'x');
    const r = cli('run', TINY, '--replicates', '2', '--progress', 'none', '--out', join(file, 'below'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--out: .* is not valid \(.*file is a file; expected a folder/);
  });
});

