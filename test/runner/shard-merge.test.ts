// Shard, then merge: on a tiny two-point sweep (2 points × 3 replicates = 6 units), 1, 3 and 7 shards
// merged in any order give epochs.csv, replicates.csv and points.csv byte-identical to one run, and
// the same manifest outputs. Then every way merge refuses its input: a missing shard (named with the
// command that runs it), a shard twice, another config, corrupt or missing data, a folder that is
// not a shard, results already in --out. A refused merge writes nothing.
import { copyFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { runBatch, type BatchOptions } from '../../src/runner/batch.ts';
import { mergeShards } from '../../src/runner/merge.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';
import { LOCK_FILE, SPOOL_DIR } from '../../src/io/outdir.ts';
import { fsCalls } from '../../src/io/write-fully.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');

const tmp = tempDirs('hm-shard-');
const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
const manifestOf = (dir: string) => JSON.parse(read(dir, 'manifest.json'));

let config: string;
let work: string;
let refDir: string;

function batch(out: string, extra: Partial<BatchOptions> = {}, file = config) {
  const { experiment } = loadExperiment(file);
  return runBatch({ file, experiment, outDir: out, workers: 1, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {}, ...extra });
}

/** Runs every shard of an N-way layout into WORK/nN/shard-I; returns the folders in shard order. */
async function shards(count: number): Promise<string[]> {
  const dirs: string[] = [];
  for (let index = 0; index < count; index++) {
    const dir = join(work, `n${count}`, `shard-${index}`);
    if (!existsSync(join(dir, 'manifest.json'))) await batch(dir, { shard: { index, count } });
    dirs.push(dir);
  }
  return dirs;
}

/** Expects a merge to be refused with a UserError matching `message`, leaving `out` unwritten. */
async function refused(dirs: string[], message: RegExp): Promise<void> {
  const out = join(tmp(), 'merged');
  const attempt = mergeShards({ dirs, outDir: out, force: false });
  await expect(attempt).rejects.toBeInstanceOf(UserError);
  await expect(attempt).rejects.toThrow(message);
  expect(existsSync(out)).toBe(false);
}

/** A copy of a shard folder, to damage. */
function copyOf(dir: string): string {
  const copy = join(tmp(), 'shard-1');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  const dir = tmp();
  config = join(dir, 'tiny-sweep.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: TINY,
      name: 'tiny-sweep',
      replicates: 3,
      sweep: { design: 'grid', points: 2, parameters: [{ path: 'model.regions.us.powerPrice.meanUsdPerKwh', min: 0.04, max: 0.08 }] },
    }),
  );
  work = tmp();
  refDir = join(work, 'single');
  await batch(refDir, { workers: 2 });
});

describe('run --shard I/N', () => {
  it('writes only its block of units, with a manifest naming the shard, its range and the config hash', async () => {
    const [, s1] = await shards(3);
    expect(readdirSync(s1).sort()).toEqual(['manifest.json', 'replicates.csv', 'units.f64', 'units.jsonl']);
    const m = manifestOf(s1);
    expect(m.configSha256).toBe(manifestOf(refDir).configSha256);
    expect(m.shard).toMatchObject({ index: 1, count: 3, firstUnit: 2, endUnit: 4, totalUnits: 6 });
    expect(m.shard.command).toBe(`hashmigrate run ${config} --replicates 3 --seed ${m.seedScheme.rootSeed} --shard 1/3 --out ${s1}`);
    expect(Object.keys(m.outputs)).toEqual(['replicates.csv', 'units.f64', 'units.jsonl']);
    // units 2 and 3 are replicate 2 of point 0 and replicate 0 of point 1: the same rows as the single run
    const single = read(refDir, 'replicates.csv').trimEnd().split('\n');
    expect(read(s1, 'replicates.csv').trimEnd().split('\n')).toEqual([single[0], single[3], single[4]]);
    expect(read(s1, 'units.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l).u)).toEqual([2, 3]);
    expect(readdirSync(s1)).not.toContain(SPOOL_DIR);
  });
});

describe('run --shard I/N --resume', () => {
  it('completes an interrupted shard from its spool to the same bytes', async () => {
    const spec = { index: 1, count: 2 }; // units 3-5
    const dir = join(tmp(), 'shard-1');
    const done = join(dir, SPOOL_DIR, 'done.jsonl');
    const doneUnits = () => (existsSync(done) ? readFileSync(done, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).u as number) : []);
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (doneUnits().length >= 1) controller.abort();
    }, 5);
    try {
      await expect(batch(dir, { shard: spec, chunkSize: 1, signal: controller.signal })).rejects.toThrow();
    } finally {
      clearInterval(poll);
    }
    const kept = doneUnits();
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(3);
    for (const u of kept) expect(u).toBeGreaterThanOrEqual(3);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);

    await batch(dir, { shard: spec, resume: true });
    const fresh = join(tmp(), 'shard-1');
    await batch(fresh, { shard: spec });
    for (const name of ['units.f64', 'units.jsonl', 'replicates.csv']) expect(readFileSync(join(dir, name)).equals(readFileSync(join(fresh, name))), name).toBe(true);
    expect(manifestOf(dir).outputs).toEqual(manifestOf(fresh).outputs);
    expect(readdirSync(dir)).not.toContain(SPOOL_DIR);
  });
});

describe('merge', () => {
  it.each([
    [1, [0]],
    [3, [2, 0, 1]],
    [7, [4, 6, 0, 2, 5, 1, 3]],
  ])('merges %i shards, given in the order %j, byte for byte into the single run', async (count, order) => {
    const dirs = await shards(count);
    const out = join(tmp(), 'merged');
    const result = await mergeShards({ dirs: order.map((i) => dirs[i]), outDir: out, force: false });
    for (const name of ['epochs.csv', 'replicates.csv', 'points.csv']) expect(read(out, name), name).toBe(read(refDir, name));
    // the series the runner derives from pairs of recorded ones (underwater) and the Monte Carlo
    // columns of points.csv come out of the merge too, not only the recorded series
    expect(read(out, 'epochs.csv')).toMatch(/^1,underwater,us,\d+,/m);
    expect(read(out, 'points.csv').split('\n')[0]).toContain('final_hhi_region_se_mean');
    const merged = manifestOf(out);
    const single = manifestOf(refDir);
    expect(merged.outputs).toEqual(single.outputs);
    expect(Object.keys(merged.outputs)).toEqual(expect.arrayContaining(['epochs.csv', 'points.csv', 'replicates.csv']));
    // the only difference (same machine, same code): the list of shards it was made from
    const { mergedFrom, ...mergedRest } = merged;
    expect(mergedRest).toEqual(single);
    expect(merged.software).toEqual(manifestOf(dirs[0]).software);
    expect(mergedFrom.map((s: { index: number }) => s.index)).toEqual(dirs.map((_, i) => i));
    expect(mergedFrom.map((s: { dir: string }) => s.dir)).toEqual(dirs);
    expect(result.shards).toHaveLength(count);
    expect(readdirSync(out)).not.toContain(SPOOL_DIR);
    expect(readdirSync(out)).not.toContain(LOCK_FILE);
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('names the missing shards with the command that runs each', async () => {
    const [s0, , s2] = await shards(3);
    const seed = manifestOf(s0).seedScheme.rootSeed;
    const command = `hashmigrate run ${config} --replicates 3 --seed ${seed} --shard 1/3 --out ${join(work, 'n3', 'shard-1')}`;
    await refused([s2, s0], new RegExp(`^merge: shard 1/3 \\(units 2-3\\) missing \\(expected all 3 of 3\\); run: ${command.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  });

  it('refuses a shard given twice', async () => {
    const [s0, s1, s2] = await shards(3);
    await refused([s0, s1, copyOf(s1), s2], /shard: 1\/3 \(units 2-3\) overlaps .*manifest\.json, the same shard \(expected each shard once\)/);
  });

  it('refuses a shard of another config', async () => {
    const [s0, , s2] = await shards(3);
    const other = join(tmp(), 'shard-1');
    await batch(other, { shard: { index: 1, count: 3 }, experiment: { ...loadExperiment(config).experiment, seed: 99 } });
    await refused([s0, other, s2], /manifest\.json: configSha256: "[0-9a-f]{64}" differs from .*manifest\.json \(expected "[0-9a-f]{64}": shards of one config/);
  });

  it('refuses shards of two layouts', async () => {
    const [s0] = await shards(3);
    const [, , t2] = await shards(7);
    await refused([s0, t2], /shard\.count: 7 differs from .* \(expected 3: shards of one --shard I\/N layout\)/);
  });

  it('refuses shards run by different code', async () => {
    const [s0, s1, s2] = await shards(3);
    const other = copyOf(s1);
    const m = manifestOf(other);
    m.software.gitCommit = '0'.repeat(40);
    writeFileSync(join(other, 'manifest.json'), JSON.stringify(m));
    await refused([s0, other, s2], /shard-1\/manifest\.json: software: .*"gitCommit":"0{40}".* differs from .* \(expected .*: shards run by the same hashmigrate version, commit and dependencies\)/);
  });

  it('refuses a corrupt record file, naming it and the re-run command', async () => {
    const [s0, s1, s2] = await shards(3);
    const bad = copyOf(s1);
    const bytes = readFileSync(join(bad, 'units.f64'));
    bytes[100] ^= 1;
    writeFileSync(join(bad, 'units.f64'), bytes);
    await refused([s0, bad, s2], /units\.f64: SHA-256 [0-9a-f]{64} does not match .*manifest\.json \(expected [0-9a-f]{64}; the file is corrupt or was changed; re-run the shard: hashmigrate run .* --shard 1\/3 /);
  });

  it('refuses a record holding a NaN even with its hash updated, before writing anything', async () => {
    const [s0, s1, s2] = await shards(3);
    const bad = copyOf(s1);
    const bytes = readFileSync(join(bad, 'units.f64'));
    const values = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
    const perRecord = values.length / 2;
    values[perRecord + 5] = NaN; // the second unit of the shard, unit 3
    writeFileSync(join(bad, 'units.f64'), bytes);
    const m = manifestOf(bad);
    m.outputs['units.f64'] = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(bad, 'manifest.json'), JSON.stringify(m, null, 2));
    await refused([s0, bad, s2], /units\.f64: unit 3: value 5 of its record is NaN \(expected finite numbers, as every run writes; re-run the shard: hashmigrate run .* --shard 1\/3 /);
  });

  it('a full disk while merging leaves no output folder behind', async () => {
    const dirs = await shards(3);
    const out = join(tmp(), 'merged');
    const real = fsCalls.writeSync;
    fsCalls.writeSync = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    };
    try {
      await expect(mergeShards({ dirs, outDir: out, force: false })).rejects.toThrow(/^cannot write .*merged\/\.partial\/values\.f64: no space left on device$/);
    } finally {
      fsCalls.writeSync = real;
    }
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a truncated record file', async () => {
    const [s0, s1, s2] = await shards(3);
    const bad = copyOf(s1);
    const bytes = readFileSync(join(bad, 'units.f64'));
    writeFileSync(join(bad, 'units.f64'), bytes.subarray(0, bytes.length - 8));
    await refused([s0, bad, s2], new RegExp(`units\\.f64: ${bytes.length - 8} bytes is not valid \\(expected ${bytes.length}: 2 records`));
  });

  it('refuses a shard without its unit log', async () => {
    const [s0, s1, s2] = await shards(3);
    const bad = copyOf(s1);
    rmSync(join(bad, 'units.jsonl'));
    await refused([s0, bad, s2], /units\.jsonl: missing \(expected the shard's units\.jsonl/);
  });

  it('refuses an edited manifest whose config no longer matches its hash', async () => {
    const [s0, s1, s2] = await shards(3);
    const bad = copyOf(s1);
    const m = manifestOf(bad);
    m.config.seed += 1;
    writeFileSync(join(bad, 'manifest.json'), JSON.stringify(m));
    await refused([s0, bad, s2], /manifest\.json: configSha256: "[0-9a-f]{64}" does not match the config it holds/);
  });

  it('refuses a folder that is not a shard: an unsharded run, an unfinished shard, nothing', async () => {
    const [s0] = await shards(3);
    await refused([s0, refDir], /single\/manifest\.json: shard: missing \(expected a shard folder/);
    const unfinished = copyOf(s0);
    rmSync(join(unfinished, 'manifest.json'));
    writeFileSync(join(unfinished, SPOOL_DIR), '');
    await refused([unfinished], /manifest\.json: missing \(expected a shard folder written by hashmigrate run --shard I\/N\) \(it holds an unfinished run/);
    await refused([join(tmp(), 'nowhere')], /nowhere\/manifest\.json: missing/);
  });

  it('refuses results already in --out unless forced, and --out equal to a shard', async () => {
    const dirs = await shards(3);
    const out = join(tmp(), 'merged');
    cpSync(refDir, out, { recursive: true });
    copyFileSync(join(dirs[0], 'replicates.csv'), join(out, 'replicates.csv'));
    await expect(mergeShards({ dirs, outDir: out, force: false })).rejects.toThrow(/holds results already \(use --force/);
    await mergeShards({ dirs, outDir: out, force: true });
    expect(read(out, 'replicates.csv')).toBe(read(refDir, 'replicates.csv'));
    await expect(mergeShards({ dirs, outDir: dirs[1], force: true })).rejects.toThrow(/--out: ".*shard-1" is not valid \(expected a folder other than the shard folders\)/);
    expect(manifestOf(dirs[1]).shard.index).toBe(1);
  });
});
