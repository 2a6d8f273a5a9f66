// The historical episodes in configs/history/: each loads and plans, starts at a real retarget of
// data/history/difficulty.csv, replays the price and fees of data/history/, and is in the README.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { parseCsv } from '../../src/io/csv-read.ts';
import { makePlan } from '../../src/runner/plan.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const HISTORY = join(ROOT, 'configs', 'history');
const EPISODES = readdirSync(HISTORY).filter((f) => f.endsWith('.json')).sort();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const diffFile = join(ROOT, 'data', 'history', 'difficulty.csv');
const retargets = parseCsv(readFileSync(diffFile, 'utf8'), diffFile).rows.map(([height, date, difficulty]) => ({ height: Number(height), date, difficulty: Number(difficulty) }));

describe('history episodes', () => {
  it.each(EPISODES)('configs/history/%s starts at a real retarget, replays data/history and is in the README', (file) => {
    const path = join(HISTORY, file);
    const { experiment } = loadExperiment(path);
    const m = experiment.model;
    expect(experiment.name).toBe(file.replace(/\.json$/, ''));
    expect(experiment.question).toMatch(/\?$/);
    expect(experiment.description).toMatch(/data\/history/);
    expect(retargets).toContainEqual({ height: m.start.height, date: m.start.date, difficulty: m.start.difficulty });
    expect(m.market.price.pathCsv).toBe('../../data/history/btc-price.csv');
    expect(m.market.fees.pathCsv).toBe('../../data/history/fees.csv');
    expect(experiment.observed).toBe('../../data/history/observed.csv');
    // no model released after the end is listed, and every mix entry was released by the start
    for (const a of m.asics) expect(a.releaseDate <= m.horizon.endDate, a.name).toBe(true);
    const released = new Map(m.asics.map((a) => [a.name, a.releaseDate]));
    for (const f of m.fleet.mix) expect(released.get(f.model)! <= m.start.date, f.model).toBe(true);
    const plan = makePlan(path, experiment);
    expect(plan.pricePath?.[0].date).toBe('2019-01-01');
    expect(plan.feePath?.length).toBe(708);
    const row = README.split('\n').find((l) => l.startsWith(`| [\`configs/history/${file}\`]`));
    expect(row, `README row for ${file}`).toContain(experiment.question);
  });

  it('the halving episode crosses block 840,000 and the growth episode ends at the 2026 calibration point', () => {
    const halving = loadExperiment(join(HISTORY, 'halving-2024.json')).experiment.model;
    expect(halving.start.height < 840000 && halving.horizon.endDate > '2024-04-20').toBe(true);
    const growth = loadExperiment(join(HISTORY, 'growth-2022-2026.json')).experiment.model;
    expect(growth.start.date.slice(0, 7)).toBe('2022-01');
    expect(growth.horizon.endDate).toBe('2026-03-21');
  });
});
