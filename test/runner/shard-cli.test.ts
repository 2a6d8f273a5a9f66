// `run --shard` and `merge` through the real command line (bin/hashmigrate.mjs): the shard from the
// Slurm array variables, the closing lines, and a refused merge as one line with exit code 2.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-shard-cli-');

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/hashmigrate.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return r;
}

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const RUN = ['run', TINY, '--replicates', '2', '--workers', '1', '--progress', 'none'];

describe('hashmigrate run --shard and merge', () => {
  const work = tmp();
  const shard = (i: number) => join(work, `shard-${i}`);

  it('takes the shard from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT with --shard auto', () => {
    const r = cli([...RUN, '--shard', 'auto', '--out', shard(1)], { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\(shard 1\/2: units 1 of 2; 2 replicates, seed \d+, [\d.]+ s\)\n$/);
    expect(r.stdout).not.toContain('final epoch'); // no summary table for a shard
    expect(manifestOf(shard(1)).shard).toMatchObject({ index: 1, count: 2, firstUnit: 1, endUnit: 2, totalUnits: 2 });
  });

  it('names the missing shard with its command, in one line, exit 2, and writes nothing', () => {
    const out = join(work, 'merged');
    const r = cli(['merge', shard(1), '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `hashmigrate: merge: shard 0/2 (units 0) missing (expected all 2 of 2); run: hashmigrate run ${TINY} --replicates 2 --seed ${manifestOf(shard(1)).seedScheme.rootSeed} --shard 0/2 --out ${shard(0)}`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('runs the named command and merges, with the summary and without a report when asked', () => {
    const r0 = cli([...RUN, '--shard', '0/2', '--out', shard(0)]);
    expect(r0.status, r0.stderr).toBe(0);
    const out = join(work, 'merged');
    const r = cli(['merge', shard(1), shard(0), '--out', out, '--no-report']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*epochs\.csv, .*replicates\.csv, .*manifest\.json \(merged 2 shards, 2 replicates, [\d.]+ s\)\n/);
    expect(r.stdout).toMatch(/final epoch \d+/);
    expect(existsSync(join(out, 'report.html'))).toBe(false);
    expect(manifestOf(out).mergedFrom.map((s: { index: number }) => s.index)).toEqual([0, 1]);
  });

  it('refuses a bad --shard in one line with exit 2', () => {
    const r = cli([...RUN, '--shard', '2/2', '--out', join(work, 'bad')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('hashmigrate: --shard: "2/2": index 2 is not valid (expected 0 <= I < 2)\n');
    expect(existsSync(join(work, 'bad'))).toBe(false);
  });
});
