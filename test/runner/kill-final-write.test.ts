// SIGKILL while a batch writes its final outputs (nothing in the process can clean up): the folder must
// not look like finished results (no manifest.json, no epochs.csv or other output beside the spool),
// and --resume must finish it to the bytes of an uninterrupted run.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { ROOT } from '../support/cli.ts';
import { runBatch, type BatchOptions } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { SPOOL_DIR } from '../../src/io/outdir.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const KILLER = join(ROOT, 'test', 'runner', 'fixtures', 'kill-at-output.ts');
const tmp = tempDirs('hm-killwrite-');
const CSVS = ['epochs.csv', 'replicates.csv', 'trajectories.csv'];
const OUTPUTS = [...CSVS, 'datapackage.json', 'manifest.json'];

function batch(out: string, extra: Partial<BatchOptions> = {}) {
  const { experiment } = loadExperiment(TINY);
  experiment.replicates = 3;
  return runBatch({ file: TINY, experiment, outDir: out, workers: 1, progress: 'none', trajectories: true, excel: false, force: false, resume: false, log: () => {}, ...extra });
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');

let refDir: string;
beforeAll(async () => {
  refDir = join(tmp(), 'ref');
  await batch(refDir);
});

describe('runBatch: SIGKILL during the final write', () => {
  for (const target of ['epochs.csv', 'trajectories.csv', 'datapackage.json', 'manifest.json']) {
    it(`killed as ${target} is written: no output looks finished, and --resume gives the same bytes`, async () => {
      const dir = join(tmp(), 'out');
      const r = spawnSync(process.execPath, ['--import', 'tsx', KILLER, dir, target], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(r.signal, r.stderr).toBe('SIGKILL');
      const names = readdirSync(dir);
      for (const name of OUTPUTS) expect(names, name).not.toContain(name);
      expect(names).toContain(SPOOL_DIR);
      await batch(dir, { resume: true });
      for (const name of CSVS) expect(read(dir, name), name).toBe(read(refDir, name));
      expect(JSON.parse(read(dir, 'manifest.json')).outputs).toEqual(JSON.parse(read(refDir, 'manifest.json')).outputs);
      expect(readdirSync(dir)).not.toContain(SPOOL_DIR);
    }, 90_000);
  }
});
