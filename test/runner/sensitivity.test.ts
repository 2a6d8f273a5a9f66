// Morris and Sobol sweeps end to end on the tiny fixture: sensitivity.csv recomputed by hand from
// points.csv (whose *_mean columns are each point's mean across replicates at the last epoch), the
// same bytes whatever the worker count, and the refusals of bad sensitivity options.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { tempDirs } from '../support/tmp.ts';
import { cliRunner } from '../support/cli.ts';

const cli = cliRunner(180_000);
const tmp = tempDirs('hm-sens-');
type Row = Record<string, string>;
const rowsOf = (file: string): Row[] => parse(readFileSync(file, 'utf8'), { columns: true });

function run(config: string, workers: number): string {
  const out = join(tmp(), 'run');
  const r = cli('run', config, '--workers', String(workers), '--progress', 'none', '--no-report', '--no-summary', '--out', out);
  expect(r.status, r.stderr).toBe(0);
  return out;
}

const index = (rows: Row[], metric: string, parameter: string, name: string) => Number(rows.find((r) => r.metric === metric && r.parameter === parameter && r.index === name)!.value);

describe('Morris sweep (tiny-morris: k = 2, r = 3)', () => {
  let out = '';
  beforeAll(() => {
    out = run('test/fixtures/tiny-morris.json', 1);
  }, 180_000);

  it('gives mu, mu* and sigma equal to the elementary effects computed by hand from points.csv', () => {
    const points = rowsOf(join(out, 'points.csv'));
    const sens = rowsOf(join(out, 'sensitivity.csv'));
    const params = [
      { path: 'model.market.price.volatilityPerYear', min: 0.3, max: 0.9 },
      { path: 'model.regions.*.powerPrice.meanUsdPerKwh', min: 0.75, max: 1.5 },
    ];
    expect(points).toHaveLength(3 * 3);
    for (const [metric, column] of [['hhi_region', 'final_hhi_region_mean'], ['hashrate_ehs', 'final_hashrate_ehs_mean']]) {
      const effects: number[][] = [[], []];
      for (let t = 0; t < 3; t++) {
        for (let m = 1; m <= 2; m++) {
          const a = points[t * 3 + m - 1];
          const b = points[t * 3 + m];
          const moved = params.findIndex((p) => a[p.path] !== b[p.path]);
          const p = params[moved];
          expect(params.filter((q) => a[q.path] !== b[q.path])).toHaveLength(1);
          const du = (Number(b[p.path]) - Number(a[p.path])) / (p.max - p.min);
          expect(Math.abs(du)).toBeCloseTo(2 / 3, 12);
          effects[moved].push((Number(b[column]) - Number(a[column])) / du);
        }
      }
      params.forEach((p, i) => {
        const ee = effects[i];
        const mu = ee.reduce((s, x) => s + x, 0) / 3;
        expect(index(sens, metric, p.path, 'mu')).toBeCloseTo(mu, 6);
        expect(index(sens, metric, p.path, 'mu_star')).toBeCloseTo(ee.reduce((s, x) => s + Math.abs(x), 0) / 3, 6);
        expect(index(sens, metric, p.path, 'sigma')).toBeCloseTo(Math.sqrt(ee.reduce((s, x) => s + (x - mu) ** 2, 0) / 2), 6);
      });
    }
    expect(new Set(sens.map((r) => `${r.metric}:${r.region}`))).toEqual(new Set(['hhi_region:network', 'share:us', 'hashrate_ehs:network']));
  });

  it('scales every region\'s power price by the factor of the point (multiply over "*")', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.sweep.design).toBe('morris');
    const factors = manifest.sweep.points.map((p: { values: { value: number }[] }) => p.values[1].value);
    for (const f of factors) expect([0.75, 1.25, 1.5, 1].some((v) => Math.abs(v - f) < 1e-12)).toBe(true);
  });

  it('writes the same sensitivity.csv with 2 workers', () => {
    const again = run('test/fixtures/tiny-morris.json', 2);
    expect(readFileSync(join(again, 'sensitivity.csv'), 'utf8')).toBe(readFileSync(join(out, 'sensitivity.csv'), 'utf8'));
  }, 180_000);
});

describe('Sobol sweep (tiny-sobol: k = 2, N = 4)', () => {
  it('gives S1 (Saltelli 2010) and ST (Jansen) equal to the estimators applied by hand to points.csv', () => {
    const out = run('test/fixtures/tiny-sobol.json', 1);
    const y = rowsOf(join(out, 'points.csv')).map((r) => Number(r.final_hashrate_ehs_mean));
    expect(y).toHaveLength(4 * 4);
    const N = 4;
    const fA = y.slice(0, N);
    const fB = y.slice(N, 2 * N);
    const pooled = [...fA, ...fB];
    const mean = pooled.reduce((s, x) => s + x, 0) / (2 * N);
    const V = pooled.reduce((s, x) => s + (x - mean) ** 2, 0) / (2 * N - 1);
    const sens = rowsOf(join(out, 'sensitivity.csv'));
    ['model.market.price.volatilityPerYear', 'model.operators.hurdleRatePerYear'].forEach((path, i) => {
      const fAB = y.slice((2 + i) * N, (3 + i) * N);
      const s1 = fB.reduce((s, b, j) => s + b * (fAB[j] - fA[j]), 0) / N / V;
      const st = fA.reduce((s, a, j) => s + (a - fAB[j]) ** 2, 0) / (2 * N) / V;
      expect(index(sens, 'hashrate_ehs', path, 'S1')).toBeCloseTo(s1, 8);
      expect(index(sens, 'hashrate_ehs', path, 'ST')).toBeCloseTo(st, 8);
    });
    // the log-uniform factor on the hurdle rate stays within [0.5, 2]
    const factors = rowsOf(join(out, 'points.csv')).map((r) => Number(r['model.operators.hurdleRatePerYear']));
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...factors)).toBeLessThanOrEqual(2);
  }, 180_000);
});

describe('sensitivity options', () => {
  const variant = (edit: (c: Record<string, any>) => void): string => {
    const config = JSON.parse(readFileSync('test/fixtures/tiny-morris.json', 'utf8'));
    config.extends = join(process.cwd(), 'test/fixtures/tiny.json');
    edit(config);
    const file = join(tmp(), 'config.json');
    writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it('validate names an unknown output series, a misplaced option and a log range through 0 (exit 2)', () => {
    let r = cli('validate', variant((c) => (c.sweep.outputs = ['share:atlantis'])));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep\.outputs\[0\]: "share:atlantis" is not a series/);
    r = cli('validate', variant((c) => Object.assign(c.sweep, { design: 'sobol', levels: 6 })));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep\.levels: 6 is not valid \(expected only with "design": "morris"\)/);
    r = cli('validate', variant((c) => Object.assign(c.sweep.parameters[0], { min: 0, scale: 'log' })));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep\.parameters\[0\]\.min: 0 is not valid \(expected > 0 with "scale": "log"\)/);
    r = cli('validate', variant((c) => (c.sweep.parameters[1].path = 'model.regions.*.powerPrice')));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep\.parameters\[1\]\.path: "model\.regions\.\*\.powerPrice" is not valid .*expected a number or a list of numbers/);
  }, 60_000);
});
