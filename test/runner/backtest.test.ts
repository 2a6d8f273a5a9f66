// A run of a config with `observed`: backtest.csv and backtest-summary.csv hold the scores of the
// replicates' values at each observed date (checked against replicates simulated here, one by one),
// are byte-identical whatever the worker count, chunk size or shard layout, and the observed file is
// recorded in the manifest like the price path, so that reproduce and merge check it.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { cliRunner, ROOT } from '../support/cli.ts';
import { runBatch, type BatchOptions, type BatchResult } from '../../src/runner/batch.ts';
import { mergeShards } from '../../src/runner/merge.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { readManifest, sha256 } from '../../src/io/manifest.ts';
import { parseCsv } from '../../src/io/csv-read.ts';
import { resolveParams } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { seriesKeys } from '../../src/model/metrics.ts';
import { dayOf } from '../../src/model/time.ts';
import { epochAtDay } from '../../src/stats/epoch-at-date.ts';
import { scoreObservation } from '../../src/stats/score.ts';
import { UserError } from '../../src/config/errors.ts';

const FIXTURES = join(ROOT, 'test', 'fixtures');
const CONFIG = join(FIXTURES, 'tiny-observed.json');
const REPLICATES = 5;
const tmp = tempDirs('hm-backtest-');
const cli = cliRunner(120_000);
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

function batch(outDir: string, extra: Partial<BatchOptions> = {}, file = CONFIG): Promise<BatchResult> {
  const { experiment } = loadExperiment(file);
  experiment.replicates = REPLICATES;
  return runBatch({ file, experiment, outDir, workers: 1, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {}, ...extra });
}

let refDir = '';
let ref: BatchResult;

beforeAll(async () => {
  refDir = join(tmp(), 'ref');
  ref = await batch(refDir);
}, 120_000);

describe('a run of a config with observed series', () => {
  it('writes backtest.csv and backtest-summary.csv, hashed in the manifest and described in datapackage.json', () => {
    expect(ref.outputs).toEqual(['epochs.csv', 'replicates.csv', 'backtest.csv', 'backtest-summary.csv', 'datapackage.json']);
    expect(Object.keys(ref.manifest.outputs)).toContain('backtest.csv');
    expect(read(refDir, 'backtest.csv').split('\n')[0]).toBe('metric,region,date,observed,sim_median,p05,p25,p75,p95,quantile,in50,in90,crps,abs_log_error,source');
    expect(read(refDir, 'backtest-summary.csv').split('\n')[0]).toBe('metric,region,n,mdale,n_log,coverage50,coverage90,crps_mean,crps_relative');
  });

  it('skips and counts rows before the start, after the end date, or of a region the config lacks', () => {
    // observed-tiny.csv: 12 rows; 2025-12-31 and 2027-06-01 fall outside 2026-03-21..2027-03-31, atlantis is no region
    expect(ref.backtest).toEqual({ scored: 9, skippedDates: 2, skippedRegion: 1 });
    const { rows } = parseCsv(read(refDir, 'backtest.csv'), 'backtest.csv');
    expect(rows.map((r) => `${r[0]} ${r[1]} ${r[2]}`)).toEqual([
      'hashrate_ehs network 2026-04-15',
      'hashrate_ehs network 2026-07-01',
      'hashrate_ehs network 2026-10-01',
      'hashrate_ehs network 2027-03-20',
      'difficulty network 2026-05-01',
      'difficulty network 2026-09-01',
      'btc_price_usd network 2026-06-01',
      'share us 2026-05-01',
      'share us 2026-09-01',
    ]);
    expect(rows.find((r) => r[2] === '2026-09-01' && r[0] === 'difficulty')?.[14]).toBe('synthetic, with a comma');
  });

  it("scores each observation against every replicate's value in the epoch in force at noon of its date", () => {
    const { experiment } = loadExperiment(CONFIG);
    const params = resolveParams(experiment.model, null);
    const series = seriesKeys(params);
    const outs = Array.from({ length: REPLICATES }, (_, r) => simulateReplicate(params, { rootSeed: experiment.seed, replicate: r, point: null }));
    const { header, rows } = parseCsv(read(refDir, 'backtest.csv'), 'backtest.csv');
    const col = (name: string) => header.indexOf(name);
    for (const row of rows) {
      const s = series.findIndex((k) => k.metric === row[col('metric')] && (k.region || 'network') === row[col('region')]);
      const day = dayOf(row[col('date')], experiment.model.start.date) + 0.5;
      const values = outs.map((o) => o.values[s * o.epochCount + epochAtDay(o.daysElapsed, day)]);
      const score = scoreObservation(values, Number(row[col('observed')]), 'x');
      expect(Number(row[col('sim_median')])).toBe(score.median);
      expect(Number(row[col('p05')])).toBe(score.p05);
      expect(Number(row[col('p95')])).toBe(score.p95);
      expect(Number(row[col('quantile')])).toBe(score.quantile);
      expect(row[col('in90')]).toBe(score.in90 ? 'TRUE' : 'FALSE');
      expect(Number(row[col('crps')])).toBe(score.crps);
    }
  });

  it('gives byte-identical backtest files for any worker count and chunk size', async () => {
    for (const [workers, chunkSize] of [[2, 1], [3, 2]]) {
      const dir = join(tmp(), `w${workers}`);
      await batch(dir, { workers, chunkSize });
      expect(read(dir, 'backtest.csv')).toBe(read(refDir, 'backtest.csv'));
      expect(read(dir, 'backtest-summary.csv')).toBe(read(refDir, 'backtest-summary.csv'));
    }
  }, 120_000);

  it('gives byte-identical backtest files after shards and merge, with the same manifest outputs', async () => {
    const work = tmp();
    const dirs: string[] = [];
    for (const index of [2, 0, 1]) {
      const dir = join(work, `shard-${index}`);
      await batch(dir, { shard: { index, count: 3 } });
      expect(existsSync(join(dir, 'backtest.csv'))).toBe(false);
      dirs.push(dir);
    }
    const merged = join(work, 'merged');
    const result = await mergeShards({ dirs, outDir: merged, force: false, log: () => {} });
    expect(read(merged, 'backtest.csv')).toBe(read(refDir, 'backtest.csv'));
    expect(read(merged, 'backtest-summary.csv')).toBe(read(refDir, 'backtest-summary.csv'));
    expect(result.manifest.outputs).toEqual(ref.manifest.outputs);
    expect(result.backtest).toEqual(ref.backtest);
  }, 120_000);

  it('records the observed file with its SHA-256 in the manifest, and reproduce refuses a changed file', async () => {
    expect(ref.manifest.inputs?.observed?.sha256).toBe(sha256(readFileSync(join(FIXTURES, 'observed-tiny.csv'))));
    const work = tmp();
    copyFileSync(join(FIXTURES, 'observed-tiny.csv'), join(work, 'observed.csv'));
    writeFileSync(join(work, 'config.json'), JSON.stringify({ extends: join(FIXTURES, 'tiny.json'), name: 'moved', observed: 'observed.csv' }));
    const out = join(work, 'out');
    await batch(out, {}, join(work, 'config.json'));
    expect(() => readManifest(join(out, 'manifest.json'))).not.toThrow();
    writeFileSync(join(work, 'observed.csv'), read(work, 'observed.csv') + '2026-08-01,hashrate_ehs,,990,x\n');
    expect(() => readManifest(join(out, 'manifest.json'))).toThrow(/inputs\.observed: .*observed\.csv has SHA-256 [0-9a-f]+ \(expected [0-9a-f]+: the data file changed since the run\)/);
  }, 120_000);
});

describe('a bad observed file', () => {
  it('stops the run before anything is written: one line naming file, line, field, value, expectation; exit 2', () => {
    const work = tmp();
    writeFileSync(join(work, 'observed.csv'), 'date,metric,region,value,source\n2026-05-01,hashrate_ehs,,950,x\n2026-06-01,difficulty,,1e400,x\n');
    writeFileSync(join(work, 'config.json'), JSON.stringify({ extends: join(FIXTURES, 'tiny.json'), name: 'bad', observed: 'observed.csv' }));
    const out = join(work, 'out');
    const r = cli('run', join(work, 'config.json'), '--out', out, '--progress', 'none');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`hashmigrate: ${join(work, 'observed.csv')}: line 3: value: "1e400" is not valid (expected a finite number)\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('is a UserError naming the config field when the file is missing', async () => {
    const work = tmp();
    writeFileSync(join(work, 'config.json'), JSON.stringify({ extends: join(FIXTURES, 'tiny.json'), name: 'missing', observed: 'nowhere.csv' }));
    await expect(batch(join(work, 'out'), {}, join(work, 'config.json'))).rejects.toThrow(UserError);
    await expect(batch(join(work, 'out'), {}, join(work, 'config.json'))).rejects.toThrow(/config\.json: observed: ".*nowhere\.csv" cannot be read/);
  });
});

describe('hashmigrate backtest', () => {
  it('runs each config and prints its scorecard; run prints it too', () => {
    const out = tmp();
    const r = cli('backtest', CONFIG, '--replicates', '3', '--workers', '2', '--out', out, '--progress', 'none', '--no-report');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^tiny-observed \(3 replicates, seed 20260401, [\d.]+ s, .*tiny-observed\): 9 observations scored; skipped 2 outside the simulated dates, 1 of a region not in the config\n/);
    expect(r.stdout).toMatch(/^ {2}series +n +MdALE +in 50% +in 90% +CRPS +CRPS \/ mean obs\.$/m);
    expect(r.stdout).toMatch(/^ {2}share us +2 /m);
    expect(existsSync(join(out, 'tiny-observed', 'backtest-summary.csv'))).toBe(true);
    const run = cli('run', CONFIG, '--replicates', '3', '--workers', '2', '--out', join(out, 'run'), '--progress', 'none', '--no-report');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^backtest of tiny-observed: 9 observations scored/m);
  });

  it('refuses a config without observed series (exit 2)', () => {
    const r = cli('backtest', join(FIXTURES, 'tiny.json'), '--out', tmp());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/tiny\.json: observed: missing \(expected the path of a CSV/);
  });
});
