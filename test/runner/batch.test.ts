// End-to-end tests of runBatch on a tiny config (150 operators, one year, 12 replicates): outputs do
// not depend on worker count or chunking, a dying worker is survived, an interrupted run resumes to
// the same bytes, the results folder is protected (--force, lock file), and the CSV shapes.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { runBatch, type BatchOptions, type BatchResult } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { UserError } from '../../src/config/errors.ts';
import { LOCK_FILE, SPOOL_DIR } from '../../src/io/outdir.ts';
import { derivedSeries } from '../../src/runner/derived.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const BASELINE = join(ROOT, 'configs', 'baseline.json');
const EPOCHS_HEADER = 'metric,region,epoch,date,mean,sd,min,p05,p25,p50,p75,p95,max,se_mean,p05_low,p05_high,p50_low,p50_high,p95_low,p95_high';

const tmp = tempDirs('hm-batch-');

/** A fresh output folder path (not created). */
const outDir = (): string => join(tmp(), 'out');

function batch(file: string, out: string, extra: Partial<BatchOptions> = {}): Promise<BatchResult> {
  const { experiment } = loadExperiment(file);
  return runBatch({
    file,
    experiment,
    outDir: out,
    workers: 1,
    progress: 'none',
    trajectories: false,
    excel: false,
    force: false,
    resume: false,
    log: () => {},
    ...extra,
  });
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
const manifestOutputs = (dir: string): Record<string, string> => JSON.parse(read(dir, 'manifest.json')).outputs;

/** Writes an experiment file extending baseline.json into a temp folder. */
function writeConfig(body: Record<string, unknown>): string {
  const file = join(tmp('hm-cfg-'), `${String(body.name)}.json`);
  writeFileSync(file, JSON.stringify({ extends: BASELINE, ...body }, null, 2));
  return file;
}

const TINY_OVERRIDES = { 'model.operators.count': 150, 'model.horizon.endDate': '2027-03-31' };

function expectClean(dir: string): void {
  const names = readdirSync(dir);
  expect(names).not.toContain(SPOOL_DIR);
  expect(names).not.toContain(LOCK_FILE);
  expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
}

/** Splits a CSV without quoted fields (these outputs have none) into rows of cells. */
function rows(text: string): string[][] {
  return text.trimEnd().split('\n').map((l) => l.split(','));
}

let refDir: string;
let ref: BatchResult;

beforeAll(async () => {
  refDir = outDir();
  ref = await batch(TINY, refDir, { workers: 1, chunkSize: 12 });
});

describe('runBatch: determinism', () => {
  it('writes epochs.csv, replicates.csv, datapackage.json and manifest.json and leaves nothing else behind', () => {
    expect(ref.outputs).toEqual(['epochs.csv', 'replicates.csv', 'datapackage.json']);
    expect(readdirSync(refDir).sort()).toEqual(['datapackage.json', 'epochs.csv', 'manifest.json', 'replicates.csv']);
    const manifest = JSON.parse(read(refDir, 'manifest.json'));
    expect(manifest.replicates).toBe(12);
    expect(manifest.name).toBe('tiny');
    expect(Object.keys(manifest.outputs)).toEqual(['datapackage.json', 'epochs.csv', 'replicates.csv']);
    for (const h of Object.values(manifest.outputs)) expect(h).toMatch(/^[0-9a-f]{64}$/);
  });

  // With the reference run (1 worker, one chunk of 12) these cover workers 1, 2, 4 and chunks 1, 5, 12;
  // each run costs ~0.7 s of worker start-up, so the grid is not crossed in full.
  it.each([
    [2, 5],
    [4, 1],
  ])('gives byte-identical outputs with %i workers and chunks of %i', async (workers, chunkSize) => {
    const dir = outDir();
    await batch(TINY, dir, { workers, chunkSize });
    expect(read(dir, 'epochs.csv')).toBe(read(refDir, 'epochs.csv'));
    expect(read(dir, 'replicates.csv')).toBe(read(refDir, 'replicates.csv'));
    expect(manifestOutputs(dir)).toEqual(manifestOutputs(refDir));
    expectClean(dir);
  });

  it('survives a worker that dies mid-run, with the same outputs', async () => {
    const dir = outDir();
    const marker = join(tmp(), 'killed');
    await batch(TINY, dir, { workers: 2, chunkSize: 2, killAtUnit: { unit: 3, marker } });
    expect(existsSync(marker)).toBe(true); // the hook did fire
    expect(read(dir, 'epochs.csv')).toBe(read(refDir, 'epochs.csv'));
    expect(read(dir, 'replicates.csv')).toBe(read(refDir, 'replicates.csv'));
    expectClean(dir);
  });
});

describe('runBatch: resume', () => {
  it('resumes an interrupted run to byte-identical outputs', async () => {
    const dir = outDir();
    const done = join(dir, SPOOL_DIR, 'done.jsonl');
    const controller = new AbortController();
    const doneLines = () => (existsSync(done) ? readFileSync(done, 'utf8').split('\n').filter(Boolean).length : 0);
    const poll = setInterval(() => {
      if (doneLines() >= 2) controller.abort();
    }, 5);
    try {
      await expect(batch(TINY, dir, { workers: 1, chunkSize: 2, signal: controller.signal })).rejects.toThrow();
    } finally {
      clearInterval(poll);
    }
    expect(controller.signal.aborted).toBe(true);
    expect(existsSync(join(dir, 'epochs.csv'))).toBe(false);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const kept = doneLines();
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(12);

    // A plain re-run refuses the unfinished folder and points at --resume.
    await expect(batch(TINY, dir)).rejects.toThrow(/--resume/);

    const logs: string[] = [];
    await batch(TINY, dir, { resume: true, workers: 2, log: (l) => logs.push(l) });
    expect(logs.join('\n')).toMatch(new RegExp(`resuming: ${kept} of 12`));
    expect(read(dir, 'epochs.csv')).toBe(read(refDir, 'epochs.csv'));
    expect(read(dir, 'replicates.csv')).toBe(read(refDir, 'replicates.csv'));
    expect(manifestOutputs(dir)).toEqual(manifestOutputs(refDir));
    expectClean(dir);
  });
});

describe('runBatch: the results folder', () => {
  it('takes over a stale lock, then refuses the finished folder unless forced', async () => {
    const stalePid = 999_999;
    let alive = true;
    try {
      process.kill(stalePid, 0);
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    expect(alive, `pid ${stalePid} happens to be running; pick another for this test`).toBe(false);
    const dir = outDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), `${stalePid}\n`);
    await batch(TINY, dir);
    expect(read(dir, 'replicates.csv')).toBe(read(refDir, 'replicates.csv'));
    expectClean(dir);

    const before = read(dir, 'epochs.csv');
    const refused = batch(TINY, dir);
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(/--force/);
    expect(read(dir, 'epochs.csv')).toBe(before);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    await batch(TINY, dir, { force: true });
    expect(read(dir, 'epochs.csv')).toBe(read(refDir, 'epochs.csv'));
    expectClean(dir);
  });

  it('refuses a folder locked by a live process, naming its pid, and touches nothing', async () => {
    const dir = outDir();
    mkdirSync(dir, { recursive: true });
    const pid = process.ppid;
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    const refused = batch(TINY, dir);
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(new RegExp(`pid ${pid}\\b`));
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(read(dir, LOCK_FILE)).toBe(`${pid}\n`);
  });
});

describe('runBatch: output shapes', () => {
  it('epochs.csv has one row per series and epoch, with ordered quantiles', () => {
    const [header, ...body] = rows(read(refDir, 'epochs.csv'));
    expect(header.join(',')).toBe(EPOCHS_HEADER);
    const S = ref.plan.series.length;
    const E = ref.plan.epochCount;
    expect(S).toBeGreaterThan(10);
    expect(E).toBeGreaterThan(20);
    const derived = derivedSeries(ref.plan.series);
    expect(derived.map((d) => `${d.key.metric} ${d.key.region}`)).toEqual([
      ...ref.plan.experiment.model.regions.map((r) => `underwater ${r.id}`),
      ...ref.plan.experiment.model.decisions.destinations.map((id) => `relocated_ehs_cumulative ${id}`),
    ]);
    const D = derived.length;
    expect(body).toHaveLength((S + D) * E);
    const col = (name: string) => header.indexOf(name);
    const seen = new Set<string>();
    for (const r of body) {
      expect(r).toHaveLength(header.length);
      seen.add(`${r[col('metric')]}|${r[col('region')]}|${r[col('epoch')]}`);
      expect(r[col('date')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const [min, p05, p50, p95, max] = ['min', 'p05', 'p50', 'p95', 'max'].map((c) => Number(r[col(c)]));
      for (const v of [min, p05, p50, p95, max]) expect(Number.isFinite(v)).toBe(true);
      expect(min).toBeLessThanOrEqual(p05);
      expect(p05).toBeLessThanOrEqual(p50);
      expect(p50).toBeLessThanOrEqual(p95);
      expect(p95).toBeLessThanOrEqual(max);
      expect(Number(r[col('sd')])).toBeGreaterThanOrEqual(0);
      // Monte Carlo error: se = sd / √n; each quantile inside its order-statistic interval
      expect(Number(r[col('se_mean')])).toBe(Number(r[col('sd')]) / Math.sqrt(ref.plan.replicates));
      for (const q of ['p05', 'p50', 'p95']) {
        expect(Number(r[col(`${q}_low`)])).toBeLessThanOrEqual(Number(r[col(q)]));
        expect(Number(r[col(`${q}_high`)])).toBeGreaterThanOrEqual(Number(r[col(q)]));
      }
    }
    // every (series, epoch) exactly once, the derived series after the recorded ones
    expect(seen.size).toBe((S + D) * E);
    for (const s of [...ref.plan.series, ...derived.map((d) => d.key)]) for (let e = 0; e < E; e++) expect(seen.has(`${s.metric}|${s.region || 'network'}|${e}`)).toBe(true);
    expect(new Set(body.slice(S * E).map((r) => r[col('metric')]))).toEqual(new Set(['underwater', 'relocated_ehs_cumulative']));
  });

  it('derives underwater[region] per replicate (cost per BTC above that replicate\'s price) and relocated_ehs_cumulative (its running total)', async () => {
    const dir = outDir();
    await batch(TINY, dir, { trajectories: true });
    const [tHeader, ...traj] = rows(read(dir, 'trajectories.csv'));
    const t = (name: string) => tHeader.indexOf(name);
    const R = ref.plan.replicates;
    const E = ref.plan.epochCount;
    const value = new Map(traj.map((r) => [`${r[t('replicate')]}|${r[t('epoch')]}|${r[t('metric')]}|${r[t('region')]}`, Number(r[t('value')])]));
    const [header, ...body] = rows(read(refDir, 'epochs.csv'));
    const col = (name: string) => header.indexOf(name);
    let sawBoth = false;
    for (const region of ref.plan.experiment.model.regions.map((r) => r.id)) {
      for (let e = 0; e < E; e++) {
        const flags = Array.from({ length: R }, (_, r) => (value.get(`${r}|${e}|cost_per_btc_usd|${region}`)! > value.get(`${r}|${e}|btc_price_usd|network`)! ? 1 : 0));
        const row = body.find((r) => r[col('metric')] === 'underwater' && r[col('region')] === region && r[col('epoch')] === String(e))!;
        const share = flags.reduce((a: number, b) => a + b, 0) / R;
        expect(Number(row[col('mean')]), `${region} epoch ${e}`).toBeCloseTo(share, 12);
        expect([Number(row[col('min')]), Number(row[col('max')])]).toEqual([Math.min(...flags), Math.max(...flags)]);
        if (share > 0 && share < 1) sawBoth = true;
      }
    }
    // the tiny run has replicates on both sides somewhere, so the series is not trivially constant
    expect(sawBoth).toBe(true);
    // relocated_ehs_cumulative: each replicate's running total of relocated_ehs
    let moved = 0;
    for (const destination of ref.plan.experiment.model.decisions.destinations) {
      const totals = new Array<number>(R).fill(0);
      for (let e = 0; e < E; e++) {
        for (let r = 0; r < R; r++) totals[r] += value.get(`${r}|${e}|relocated_ehs|${destination}`)!;
        const row = body.find((r) => r[col('metric')] === 'relocated_ehs_cumulative' && r[col('region')] === destination && r[col('epoch')] === String(e))!;
        expect(Number(row[col('mean')]), `${destination} epoch ${e}`).toBeCloseTo(totals.reduce((a, b) => a + b, 0) / R, 9);
        expect(Number(row[col('max')])).toBeCloseTo(Math.max(...totals), 9);
      }
      moved += Math.max(...totals);
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('replicates.csv has one row per replicate with a 64-hex seed digest', () => {
    const [header, ...body] = rows(read(refDir, 'replicates.csv'));
    expect(header.slice(0, 2)).toEqual(['replicate', 'seed_digest']);
    expect(header).toContain('final_hhi_region');
    expect(body).toHaveLength(12);
    body.forEach((r, i) => {
      expect(r).toHaveLength(header.length);
      expect(r[0]).toBe(String(i));
      expect(r[1]).toMatch(/^[0-9a-f]{64}$/);
    });
    expect(new Set(body.map((r) => r[1])).size).toBe(12);
  });
});

describe('runBatch: sweeps', () => {
  const sweep = (independentStreams?: boolean) => ({
    design: 'grid',
    points: 2,
    ...(independentStreams === undefined ? {} : { independentStreams }),
    parameters: [{ path: 'model.regions.us.powerPrice.meanUsdPerKwh', min: 0.04, max: 0.08 }],
  });

  /** seed digests by point: digests[point][replicate] */
  function digests(dir: string): string[][] {
    const [header, ...body] = rows(read(dir, 'replicates.csv'));
    expect(header.slice(0, 3)).toEqual(['point', 'replicate', 'seed_digest']);
    const out: string[][] = [[], []];
    for (const r of body) out[Number(r[0])][Number(r[1])] = r[2];
    return out;
  }

  it('writes points.csv and a point column, with common random numbers by default', async () => {
    const file = writeConfig({ name: 'tiny-sweep', replicates: 4, overrides: TINY_OVERRIDES, sweep: sweep() });
    const dir = outDir();
    const result = await batch(file, dir);
    expect(result.outputs).toEqual(['epochs.csv', 'replicates.csv', 'points.csv', 'datapackage.json']);
    expect(Object.keys(manifestOutputs(dir))).toEqual(['datapackage.json', 'epochs.csv', 'points.csv', 'replicates.csv']);

    const [pHeader, ...points] = rows(read(dir, 'points.csv'));
    expect(pHeader.slice(0, 2)).toEqual(['point', 'model.regions.us.powerPrice.meanUsdPerKwh']);
    expect(points).toHaveLength(2);
    expect(points.map((r) => [r[0], Number(r[1])])).toEqual([
      ['0', 0.04],
      ['1', 0.08],
    ]);

    // each summary's Monte Carlo error follows its statistics, as in epochs.csv
    const h = (name: string) => pHeader.indexOf(name);
    expect(pHeader.slice(h('final_hhi_region_mean'), h('final_hhi_region_mean') + 11)).toEqual(
      ['mean', 'p05', 'p50', 'p95', 'se_mean', 'p05_low', 'p05_high', 'p50_low', 'p50_high', 'p95_low', 'p95_high'].map((k) => `final_hhi_region_${k}`),
    );
    const [rHeader, ...reps] = rows(read(dir, 'replicates.csv'));
    for (const p of points) {
      const values = reps.filter((r) => r[0] === p[0]).map((r) => Number(r[rHeader.indexOf('final_hhi_region')]));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
      expect(Number(p[h('final_hhi_region_se_mean')])).toBeCloseTo(sd / Math.sqrt(values.length), 9);
      for (const q of ['p05', 'p50', 'p95']) {
        expect(Number(p[h(`final_hhi_region_${q}_low`)])).toBeLessThanOrEqual(Number(p[h(`final_hhi_region_${q}`)]));
        expect(Number(p[h(`final_hhi_region_${q}_high`)])).toBeGreaterThanOrEqual(Number(p[h(`final_hhi_region_${q}`)]));
      }
    }

    const [eHeader, ...epochs] = rows(read(dir, 'epochs.csv'));
    expect(eHeader.join(',')).toBe(`point,${EPOCHS_HEADER}`);
    expect(epochs).toHaveLength(2 * (result.plan.series.length + derivedSeries(result.plan.series).length) * result.plan.epochCount);
    expect(new Set(epochs.map((r) => r[0]))).toEqual(new Set(['0', '1']));

    const d = digests(dir);
    expect(d[0]).toHaveLength(4);
    expect(d[1]).toEqual(d[0]);
    expect(new Set(d[0]).size).toBe(4);
    // the points differ in their inputs, so their results should too
    const finalUs = (p: string) => epochs.filter((r) => r[0] === p && r[1] === 'power_price_usd_kwh' && r[2] === 'us' && r[3] === '0')[0][5];
    expect(finalUs('0')).not.toBe(finalUs('1'));
    expectClean(dir);
  });

  it('draws different streams per point with independentStreams', async () => {
    const file = writeConfig({ name: 'tiny-sweep-ind', replicates: 4, overrides: TINY_OVERRIDES, sweep: sweep(true) });
    const dir = outDir();
    await batch(file, dir);
    const d = digests(dir);
    expect(d[0]).toHaveLength(4);
    expect(d[1]).toHaveLength(4);
    for (let r = 0; r < 4; r++) expect(d[1][r]).not.toBe(d[0][r]);
    expect(JSON.parse(read(dir, 'manifest.json')).sweep.independentStreams).toBe(true);
  });
});
