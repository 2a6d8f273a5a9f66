// `hashmigrate compare`: arms run with common random numbers, differences checked against a hand
// computation from `simulate`-level replicates, folder mode, and the refusals.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { tempDirs } from '../support/tmp.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { resolveParams } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';

const cli = cliRunner(180_000);
const tmp = tempDirs('hm-compare-');
const R = 4;

type Row = Record<string, string>;
const rowsOf = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true });
const find = (rows: Row[], arm: string, metric: string, region: string, epoch: number) =>
  rows.find((r) => r.arm === arm && r.metric === metric && r.region === region && Number(r.epoch) === epoch)!;

/** Replicate values of a series at an epoch, computed here from the model directly. */
function replicateValues(config: string, metric: string, region: string, epoch: number): number[] {
  const { experiment } = loadExperiment(join(ROOT, config));
  const params = resolveParams(experiment.model, null);
  return Array.from({ length: R }, (_, r) => {
    const out = simulateReplicate(params, { rootSeed: experiment.seed, replicate: r, point: null });
    const s = out.series.findIndex((k) => k.metric === metric && k.region === region);
    return out.values[s * out.epochCount + epoch];
  });
}

describe('hashmigrate compare', () => {
  let out = '';
  let rows: Row[] = [];
  let last = 0;
  beforeAll(() => {
    out = join(tmp(), 'cmp');
    const r = cli('compare', 'test/fixtures/tiny.json', 'test/fixtures/tiny-us-shock.json', '--replicates', String(R), '--workers', '1', '--progress', 'none', '--no-report', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    rows = rowsOf(join(out, 'differences.csv'));
    last = Math.max(...rows.map((x) => Number(x.epoch)));
  }, 180_000);

  it('writes differences.csv, compare.json, compare.html and each arm as a run folder with trajectories', () => {
    for (const f of ['differences.csv', 'compare.json', 'compare.html', 'figures/difference-hashrate_ehs.svg', 'arms/tiny/trajectories.csv', 'arms/tiny-us-shock/manifest.json']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const html = readFileSync(join(out, 'compare.html'), 'utf8');
    expect(html).toContain('href="arms/tiny-us-shock"');
    expect(html).toContain('Effects at the last epoch');
    expect(new Set(rows.map((x) => x.arm))).toEqual(new Set(['tiny-us-shock']));
  });

  it('matches a hand computation of the final hashrate difference from the model run directly', () => {
    const base = replicateValues('test/fixtures/tiny.json', 'hashrate_ehs', '', last);
    const arm = replicateValues('test/fixtures/tiny-us-shock.json', 'hashrate_ehs', '', last);
    const d = arm.map((a, i) => a - base[i]);
    const mean = d.reduce((s, x) => s + x, 0) / R;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (R - 1));
    const half = (3.1824463052837078 * sd) / Math.sqrt(R); // t(0.975, 3), scipy.stats.t.ppf
    const row = find(rows, 'tiny-us-shock', 'hashrate_ehs', 'network', last);
    expect(Number(row.n)).toBe(R);
    expect(Number(row.diff_mean)).toBeCloseTo(mean, 8);
    expect(Number(row.diff_sd)).toBeCloseTo(sd, 8);
    expect(Number(row.ci95_low)).toBeCloseTo(mean - half, 8);
    expect(Number(row.ci95_high)).toBeCloseTo(mean + half, 8);
    // (Its sign is the model's business: with free entry the network can end above the base a year
    // after the shock, as other regions build; the US share's response is checked below.)
  });

  it('pairs the streams: before the tariff starts (2026-07-01) every series is identical replicate by replicate', () => {
    const before = rows.filter((x) => x.date < '2026-06-20');
    expect(new Set(before.map((x) => x.epoch)).size).toBeGreaterThan(4);
    for (const x of before) expect([x.metric, x.region, x.epoch, x.diff_mean, x.diff_sd]).toEqual([x.metric, x.region, x.epoch, '0', '0']);
    // In the months after the shock the US share is below the base's at every epoch (later, with
    // free entry and 150 operators, the arms can meet again).
    const after = rows.filter((x) => x.date > '2026-08-01' && x.date < '2027-01-31' && x.metric === 'share' && x.region === 'us');
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((x) => Number(x.diff_mean) < 0)).toBe(true);
  });

  it('pairing narrows the interval of the hashrate difference, whose noise the shared price drives', () => {
    const row = find(rows, 'tiny-us-shock', 'hashrate_ehs', 'network', last);
    expect(Number(row.correlation)).toBeGreaterThan(0.5);
    const paired = Number(row.ci95_high) - Number(row.ci95_low);
    const unpaired = Number(row.unpaired_ci95_high) - Number(row.unpaired_ci95_low);
    expect(paired).toBeLessThan(unpaired / 2);
  });

  it('compares finished run folders too: a run against itself differs by exactly 0', () => {
    const dir = join(out, 'arms', 'tiny');
    const self = join(tmp(), 'self');
    const r = cli('compare', dir, dir, '--out', self);
    expect(r.status, r.stderr).toBe(0);
    const own = rowsOf(join(self, 'differences.csv'));
    expect(new Set(own.map((x) => x.arm))).toEqual(new Set(['tiny#2']));
    expect(own.every((x) => x.diff_mean === '0' && x.diff_sd === '0')).toBe(true);
  }, 60_000);

  it('refuses folders that do not pair, saying why (exit 2, nothing written)', () => {
    const bad = join(tmp(), 'bad');
    cpSync(join(out, 'arms', 'tiny-us-shock'), bad, { recursive: true });
    rmSync(join(bad, 'trajectories.csv'));
    const target = join(tmp(), 'none');
    let r = cli('compare', join(out, 'arms', 'tiny'), bad, '--out', target);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not pairable: .*bad: has no trajectories\.csv; run it again with --trajectories/);
    expect(existsSync(join(target, 'differences.csv'))).toBe(false);
    r = cli('compare', join(out, 'arms', 'tiny'), 'test/fixtures/tiny.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/expected all experiment files or all run folders/);
    r = cli('compare', join(out, 'arms', 'tiny'), join(out, 'arms', 'tiny'), '--seed', '3', '--out', target);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--seed: applies when experiment files are given/);
    r = cli('compare', join(out, 'arms', 'tiny'), join(out, 'arms', 'tiny'), '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds a comparison already \(use --force/);
  }, 60_000);
});
