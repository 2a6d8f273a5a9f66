// The observed history in data/history/: every file is tidy, every row names its source, the
// difficulty series has every retarget 2019-2026 in order, and it matches public anchors.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/io/csv-read.ts';
import { readFeePath } from '../../src/io/fee-path.ts';
import { readPricePath } from '../../src/io/price-path.ts';
import { NETWORK_METRICS, REGION_METRICS } from '../../src/model/metrics.ts';

const DIR = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'data', 'history');
type Row = Record<string, string>;
function read(name: string, header: string[]): Row[] {
  const file = join(DIR, name);
  const table = parseCsv(readFileSync(file, 'utf8'), file);
  expect(table.header, name).toEqual(header);
  return table.rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const nextDay = (s: string) => new Date(Date.parse(`${s}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const difficulty = read('difficulty.csv', ['height', 'date', 'difficulty', 'source']);
const byHeight = new Map(difficulty.map((r) => [Number(r.height), r]));
/** difficulty in force on a date: the last retarget on or before it */
const inForce = (date: string) => difficulty.filter((r) => r.date <= date).at(-1)!;
const T = (r: Row) => Number(r.difficulty) / 1e12;

describe('data/history', () => {
  it('every row of every file names its source', () => {
    const files: [string, string[]][] = [
      ['btc-price.csv', ['date', 'price', 'source']],
      ['difficulty.csv', ['height', 'date', 'difficulty', 'source']],
      ['fees.csv', ['date', 'fee_ratio', 'source']],
      ['halvings.csv', ['height', 'date', 'subsidy_btc_after', 'source']],
      ['regional-shares.csv', ['date', 'region', 'share', 'source']],
      ['fleet-efficiency.csv', ['year', 'j_per_th', 'source']],
      ['observed.csv', ['date', 'metric', 'region', 'value', 'source']],
    ];
    for (const [name, header] of files) {
      const rows = read(name, header);
      expect(rows.length, name).toBeGreaterThan(1);
      for (const r of rows) expect(r.source.trim().length, `${name}: ${JSON.stringify(r)}`).toBeGreaterThan(10);
    }
  });

  it('difficulty.csv has every retarget from the one in force on 2019-01-01 to 2026-03-21, 2,016 blocks apart, dates increasing', () => {
    expect(difficulty[0].date <= '2019-01-01').toBe(true);
    expect(difficulty[1].date > '2019-01-01').toBe(true);
    expect(inForce('2026-03-31').height).toBe('941472');
    for (let i = 0; i < difficulty.length; i++) {
      const r = difficulty[i];
      expect(Number(r.height) % 2016, r.height).toBe(0);
      expect(isDate(r.date), r.date).toBe(true);
      expect(Number(r.difficulty)).toBeGreaterThan(0);
      if (i > 0) {
        expect(Number(r.height) - Number(difficulty[i - 1].height), r.height).toBe(2016);
        expect(r.date > difficulty[i - 1].date, r.height).toBe(true);
      }
    }
    // each period's length in days agrees with the next retarget: D' / D = 14 days / length (within the
    // day rounding of both dates; the longest period is July 2021, after the ban in China, about 20 days)
    for (let i = 1; i + 1 < difficulty.length; i++) {
      const days = (Date.parse(difficulty[i].date) - Date.parse(difficulty[i - 1].date)) / 86_400_000;
      const implied = (14 * Number(difficulty[i - 1].difficulty)) / Number(difficulty[i].difficulty);
      expect(Math.abs(days - implied), difficulty[i].height).toBeLessThan(1.05);
    }
  });

  it('difficulty.csv marks estimated dates, and only those, with [est]', () => {
    for (const r of difficulty) {
      const headerDate = /date = UTC date of the header timestamp/.test(r.source);
      expect(headerDate || /date \[est\]/.test(r.source), r.height).toBe(true);
      expect(headerDate && /\[est\]/.test(r.source), r.height).toBe(false);
    }
    // header timestamps are published up to block 885,024 (February 2025)
    expect(difficulty.filter((r) => /\[est\]/.test(r.source)).map((r) => Number(r.height))[0]).toBe(887040);
  });

  it('difficulty.csv matches the public anchors', () => {
    const a = (h: number) => byHeight.get(h)!;
    // exact to the digits published
    expect(a(772128).difficulty).toBe('37590453655497.09');
    expect(a(772128).date).toBe('2023-01-15');
    expect(Number(a(772128).difficulty) / Number(a(770112).difficulty) - 1).toBeCloseTo(0.1026, 4);
    expect(T(a(840672)).toFixed(2)).toBe('88.10');
    expect(a(840672).date).toBe('2024-04-24');
    expect(a(842688).date).toBe('2024-05-09');
    expect(a(842688).difficulty).toBe('83148355189239.77');
    // "83.13 T, -5.7%" in press reports; the block's nBits give 83.148 T, -5.62% (see data/history/README.md)
    expect(Number(a(842688).difficulty) / Number(a(840672).difficulty) - 1).toBeCloseTo(-0.0562, 4);
    expect(T(a(941472)).toFixed(2)).toBe('133.79');
    expect(inForce('2026-03-21').height).toBe('941472');
    // approximate anchors
    expect(Math.abs(T(a(812448)) - 61.0)).toBeLessThan(0.1);
    expect(a(812448).date.slice(0, 7)).toBe('2023-10');
    expect(Math.abs(T(inForce('2022-01-10')) - 24.3)).toBeLessThan(0.1);
  });

  it('halvings.csv has blocks 630,000 and 840,000 on their dates', () => {
    const rows = read('halvings.csv', ['height', 'date', 'subsidy_btc_after', 'source']);
    expect(rows.map((r) => [r.height, r.date, r.subsidy_btc_after])).toEqual([
      ['630000', '2020-05-11', '6.25'],
      ['840000', '2024-04-20', '3.125'],
    ]);
    // the retargets around each halving bracket its date
    expect(inForce('2024-04-20').height).toBe('838656');
    expect(byHeight.get(840672)!.date > '2024-04-20').toBe(true);
  });

  it('btc-price.csv is daily from 2019-01-01 to 2026-03-31 with positive prices', () => {
    const rows = read('btc-price.csv', ['date', 'price', 'source']);
    expect(rows[0].date).toBe('2019-01-01');
    expect(rows.at(-1)!.date).toBe('2026-03-31');
    for (let i = 0; i < rows.length; i++) {
      expect(Number(rows[i].price), rows[i].date).toBeGreaterThan(0);
      if (i > 0) expect(rows[i].date, rows[i].date).toBe(nextDay(rows[i - 1].date));
    }
  });

  it('fees.csv: monthly from 2019-01 to 2026-03, daily from 2023-05-01 to 2025-01-31 (the exact data), a ratio to the subsidy', () => {
    const rows = read('fees.csv', ['date', 'fee_ratio', 'source']);
    expect(rows.length).toBe(52 + 642 + 14);
    const daily = rows.filter((r) => r.date >= '2023-05-01' && r.date <= '2025-01-31');
    const monthly = rows.filter((r) => !daily.includes(r));
    expect(daily).toHaveLength(642);
    monthly.forEach((r, i) => {
      const k = i < 52 ? i : i - 52 + 12 * 6 + 1; // months since 2019-01, the daily span skipped
      const y = 2019 + Math.floor(k / 12);
      const m = (k % 12) + 1;
      expect(r.date).toBe(`${y}-${String(m).padStart(2, '0')}-01`);
      expect(Number(r.fee_ratio)).toBeGreaterThan(0);
      expect(Number(r.fee_ratio)).toBeLessThan(1);
      expect(r.source).toMatch(/\[est\]/);
    });
    for (let i = 0; i < daily.length; i++) {
      if (i > 0) expect(daily[i].date).toBe(nextDay(daily[i - 1].date));
      expect(Number(daily[i].fee_ratio), daily[i].date).toBeGreaterThan(0);
      expect(daily[i].source).toMatch(/blockchain\.com.*Bitcoin Visuals/);
    }
    // the Runes launch on the halving day paid more than three times the new subsidy, a week later an eighth of it
    expect(Number(daily.find((r) => r.date === '2024-04-20')!.fee_ratio)).toBeGreaterThan(3);
    expect(Number(daily.find((r) => r.date === '2024-04-28')!.fee_ratio)).toBeLessThan(0.13);
  });

  it('regional-shares.csv: snapshots of lower-case region ids whose shares add up to at most 1', () => {
    const rows = read('regional-shares.csv', ['date', 'region', 'share', 'source']);
    const sums = new Map<string, number>();
    for (const r of rows) {
      expect(isDate(r.date)).toBe(true);
      expect(r.region).toMatch(/^[a-z][a-z0-9_]*$/);
      const s = Number(r.share);
      expect(s >= 0 && s <= 1).toBe(true);
      sums.set(r.date, (sums.get(r.date) ?? 0) + s);
    }
    for (const [date, sum] of sums) expect(sum, date).toBeLessThanOrEqual(1 + 1e-9);
    // CCAF mining-map snapshots 2019-09..2022-01 are exact; later ones are estimates
    for (const r of rows) expect(/\[est\]/.test(r.source), `${r.date} ${r.region}`).toBe(r.date > '2022-01-31');
    expect(rows.find((r) => r.date === '2022-01-15' && r.region === 'us')!.share).toBe('0.3784');
  });

  it('observed.csv uses the model metric names, a region only for regional metrics', () => {
    const rows = read('observed.csv', ['date', 'metric', 'region', 'value', 'source']);
    const network = new Set<string>(NETWORK_METRICS);
    const regional = new Set<string>(REGION_METRICS);
    for (const r of rows) {
      expect(isDate(r.date), r.date).toBe(true);
      expect(Number.isFinite(Number(r.value)), JSON.stringify(r)).toBe(true);
      if (r.region === '') expect(network.has(r.metric), r.metric).toBe(true);
      else expect(regional.has(r.metric), r.metric).toBe(true);
    }
    // hashrate of each period is D' * 2^32 / 600 with D' the difficulty set at its end, dated at its start
    const hr = rows.filter((r) => r.metric === 'hashrate_ehs');
    expect(hr.length).toBe(difficulty.length);
    for (const r of hr) expect(r.source).toMatch(/D x 2\^32 \/ 600/);
    const at = hr.find((r) => r.date === byHeight.get(770112)!.date)!;
    expect(Number(at.value)).toBeCloseTo((37590453655497.09 * 2 ** 32) / 600 / 1e18, 2);
    difficulty.slice(0, -1).forEach((r, i) => {
      expect(Number(hr[i].value), r.height).toBeCloseTo((Number(difficulty[i + 1].difficulty) * 2 ** 32) / 600 / 1e18, 2);
    });
    for (const r of rows.filter((x) => x.metric === 'mean_efficiency_j_th')) expect(r.source).toMatch(/\[est\]/);
  });

  it('btc-price.csv and fees.csv are valid replay inputs (model.market.price.pathCsv, model.market.fees.pathCsv)', () => {
    const prices = readPricePath(join(DIR, 'btc-price.csv'), 'price');
    expect(prices.length).toBe(2647);
    expect(prices[0]).toEqual({ date: '2019-01-01', priceUsd: Number(read('btc-price.csv', ['date', 'price', 'source'])[0].price) });
    const fees = readFeePath(join(DIR, 'fees.csv'), 'fees');
    expect(fees.length).toBe(708);
    expect(fees.find((f) => f.date === '2024-04-20')!.feeRatio).toBeGreaterThan(3);
  });
});
