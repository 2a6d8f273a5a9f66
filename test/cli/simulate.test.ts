// `hashmigrate simulate` on a sweep: --point, a manifest beside the trajectory, no silent overwrite,
// and the re-run command a failing sweep run names.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliRunner, ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const cli = cliRunner(120_000);
const tmp = tempDirs('hm-simulate-');
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
let sweepFile: string;

beforeAll(() => {
  sweepFile = join(tmp(), 'tiny-sweep.json');
  writeFileSync(
    sweepFile,
    JSON.stringify({
      extends: join(ROOT, 'test', 'fixtures', 'tiny.json'),
      name: 'tiny-sweep',
      replicates: 2,
      sweep: { design: 'grid', points: 2, parameters: [{ path: 'model.market.price.startUsd', min: 50000, max: 90000 }] },
    }),
  );
});

describe('hashmigrate simulate --point', () => {
  it("writes the rows of that point's replicate in `run --trajectories`, and a manifest hashing them", () => {
    const run = join(tmp(), 'run');
    expect(cli('run', sweepFile, '--workers', '1', '--progress', 'none', '--no-report', '--no-summary', '--trajectories', '--out', run).status).toBe(0);
    const out = join(tmp(), 'one');
    const r = cli('simulate', sweepFile, '--replicate', '1', '--point', '1', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^wrote \S*trajectory\.csv, \S*manifest\.json \(replicate 1 of point 1, seed 20260401, /);
    const [header, ...rows] = lines(readFileSync(join(run, 'trajectories.csv'), 'utf8'));
    expect(header).toBe('point,replicate,epoch,date,metric,region,value');
    const expected = rows.filter((l) => l.startsWith('1,1,')).map((l) => l.slice(4));
    const trajectory = readFileSync(join(out, 'trajectory.csv'), 'utf8');
    expect(lines(trajectory).slice(1)).toEqual(expected);
    const point0 = rows.filter((l) => l.startsWith('0,1,')).map((l) => l.slice(4));
    expect(point0).not.toEqual(expected);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.simulate).toMatchObject({ replicate: 1, point: 1 });
    expect(manifest.outputs).toEqual({ 'trajectory.csv': createHash('sha256').update(trajectory).digest('hex') });
    expect(manifest.config.name).toBe('tiny-sweep');
    const again = cli('reproduce', join(out, 'manifest.json'));
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/simulate: replicate 1 of point 1 is not valid \(expected the manifest of a run; re-run this replicate with: hashmigrate simulate \S+ --replicate 1 --point 1 --seed 20260401\)/);
  }, 120_000);

  it('refuses a point the config does not have', () => {
    const r = cli('simulate', sweepFile, '--point', '2', '--out', join(tmp(), 'none'));
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/point: 2 is not a sweep point \(expected 0\.\.1\)$/)]);
  });

  it('refuses to overwrite a trajectory without --force', () => {
    const out = join(tmp(), 'twice');
    expect(cli('simulate', sweepFile, '--out', out).status).toBe(0);
    const before = readFileSync(join(out, 'trajectory.csv'), 'utf8');
    const r = cli('simulate', sweepFile, '--replicate', '1', '--out', out);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([`hashmigrate: ${out}: holds results already (use --force to replace them, or another --out)`]);
    expect(readFileSync(join(out, 'trajectory.csv'), 'utf8')).toBe(before);
    expect(cli('simulate', sweepFile, '--replicate', '1', '--out', out, '--force').status).toBe(0);
    expect(readFileSync(join(out, 'trajectory.csv'), 'utf8')).not.toBe(before);
  });
});

describe('hashmigrate run on a sweep: an exception in a replicate', () => {
  it('names a simulate command with --point that re-runs that unit', () => {
    const out = join(tmp(), 'thrown');
    // unit 3 is replicate 1 of point 1 (2 replicates per point)
    const r = spawnSync(process.execPath, [...CLI, 'run', sweepFile, '--workers', '1', '--progress', 'none', '--no-report', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HASHMIGRATE_TEST_THROW_AT_UNIT: '3' },
    });
    expect(r.status).toBe(1);
    expect(lines(r.stderr)[0]).toMatch(/re-run one alone with: hashmigrate simulate \S+tiny-sweep\.json --replicate 1 --point 1 --seed 20260401$/);
  });
});

describe('hashmigrate simulate --agents', () => {
  it('writes every operator at the chosen epochs, consistent with the network series', () => {
    const out = join(tmp(), 'agents');
    const r = cli('simulate', join(ROOT, 'test', 'fixtures', 'tiny.json'), '--agents', '3,0', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [header, ...rows] = lines(readFileSync(join(out, 'agents.csv'), 'utf8')).map((l) => l.split(','));
    expect(header.join(',')).toBe('epoch,date,operator,region,status,hashrate_ths,running_ths,efficiency_j_th,site_mw,cash_usd,debt_usd');
    // tiny.json: 150 operators and the baseline's 1,000 free slots for entrants (every slot is written,
    // free ones as exited), at epochs 0 and 3
    expect(rows.map((x) => x[0]).filter((e, i, a) => a.indexOf(e) === i)).toEqual(['0', '3']);
    expect(rows).toHaveLength(2 * (150 + 1000));
    const regions = new Set(['us', 'ru', 'cn', 'py', 'ae', 'om', 'ca', 'kz', 'et', 'no', 'my', 'row']);
    for (const x of rows) {
      expect(regions.has(x[3]), x[3]).toBe(true);
      expect(['mining', 'transit', 'ai', 'exited']).toContain(x[4]);
      for (const v of x.slice(5)) expect(Number.isFinite(Number(v)) && v !== '', v).toBe(true);
    }
    // The operators' running hashrate adds up to the network's (hashrate_ehs, EH/s) exactly at epoch
    // 0. A snapshot of a later epoch is taken at its close, after its decisions (capitulations,
    // relocations, retirements), while hashrate_ehs is what mined the epoch: at most a few percent
    // less, never more.
    const trajectory = lines(readFileSync(join(out, 'trajectory.csv'), 'utf8')).map((l) => l.split(','));
    const network = (epoch: string) => Number(trajectory.find((t) => t[0] === epoch && t[2] === 'hashrate_ehs')![4]);
    const running = (epoch: string, region?: string) => rows.filter((x) => x[0] === epoch && (!region || x[3] === region)).reduce((s, x) => s + Number(x[6]), 0) / 1e6;
    expect(running('0') / network('0')).toBeCloseTo(1, 9);
    const usShare = Number(trajectory.find((t) => t[0] === '0' && t[2] === 'share' && t[3] === 'us')![4]);
    expect(running('0', 'us') / network('0')).toBeCloseTo(usShare, 9);
    expect(running('3') / network('3')).toBeLessThanOrEqual(1 + 1e-9);
    expect(running('3') / network('3')).toBeGreaterThan(0.95);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.outputs)).toEqual(['agents.csv', 'trajectory.csv']);
    const bad = cli('simulate', join(ROOT, 'test', 'fixtures', 'tiny.json'), '--agents', '0,9999', '--out', join(tmp(), 'bad'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/agents: epoch 9999 is not valid \(expected an epoch in 0\.\.\d+\)/);
  });
});
