// The scenario library: every config in configs/ loads, states its question and description,
// scripts what its name promises, and is listed in the README's table with its question.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { makePlan } from '../../src/runner/plan.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CONFIGS = readdirSync(join(ROOT, 'configs')).filter((f) => f.endsWith('.json'));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('scenario library', () => {
  it('has the baseline, the nine scenarios and the sensitivity analysis', () => {
    expect(CONFIGS.sort()).toEqual(
      ['ai-boom', 'ai-goes-edge', 'baseline', 'btc-bear', 'china-crackdown', 'ethiopia-tariff-freeze', 'halving-2028', 'paraguay-tariff-hike', 'sensitivity-baseline', 'uae-expansion', 'us-power-shock'].map((n) => `${n}.json`),
    );
  });

  it.each(CONFIGS)('%s loads, plans, and is in the README table with its question', (file) => {
    const { experiment } = loadExperiment(join(ROOT, 'configs', file));
    expect(experiment.name).toBe(file === 'baseline.json' ? 'baseline-2026' : file.replace(/\.json$/, ''));
    expect(experiment.question).toMatch(/\?$/);
    expect(experiment.description.length).toBeGreaterThan(80);
    const plan = makePlan(join(ROOT, 'configs', file), experiment);
    expect(plan.epochCount).toBeGreaterThan(26);
    const row = README.split('\n').find((l) => l.startsWith(`| [\`configs/${file}\`]`));
    expect(row, `README row for ${file}`).toBeDefined();
    expect(row).toContain(experiment.question);
  });

  it("the baseline's question states its horizon: the epoch count, the start month and the end date", () => {
    const file = join(ROOT, 'configs', 'baseline.json');
    const { experiment } = loadExperiment(file);
    const m = /over the (\d+) retarget epochs from (\w+) (\d{4}) to the end of (\d{4})\b/.exec(experiment.question);
    expect(m, experiment.question).not.toBeNull();
    const [, epochs, month, startYear, endYear] = m!;
    // epochs.csv has epoch 0 (the start) and one row per retarget after it
    expect(Number(epochs)).toBe(makePlan(file, experiment).epochCount - 1);
    const start = new Date(`${experiment.model.start.date}T00:00:00Z`);
    expect(`${month} ${startYear}`).toBe(start.toLocaleString('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }));
    expect(experiment.model.horizon.endDate).toBe(`${endYear}-12-31`);
  });

  it('each scenario scripts what its name promises', () => {
    const load = (n: string) => loadExperiment(join(ROOT, 'configs', `${n}.json`)).experiment;
    const base = load('baseline');
    expect(base.model.events).toEqual([]);
    expect(load('us-power-shock').model.events).toEqual([{ date: '2027-01-01', kind: 'tariff', region: 'us', factor: 1.5 }]);
    expect(load('china-crackdown').model.events).toEqual([{ date: '2027-06-01', kind: 'ban', region: 'cn' }]);
    expect(load('paraguay-tariff-hike').model.events).toEqual([{ date: '2027-01-01', kind: 'tariff', region: 'py', factor: 1.4 }]);
    expect(load('uae-expansion').model.events).toEqual([{ date: '2027-01-01', kind: 'open', region: 'ae', addCapacityMw: 1000 }]);
    const et = load('ethiopia-tariff-freeze').model.events;
    expect(et.map((e) => e.kind)).toEqual(['freeze', 'tariff', 'tariff']);
    expect(et.every((e) => 'region' in e && e.region === 'et')).toBe(true);
    const ai = load('ai-boom');
    expect(ai.model.events).toEqual([{ date: '2026-07-01', kind: 'ai_demand', factor: 3 }]);
    expect(ai.model.ai.offerRatePerYear).toBeGreaterThan(base.model.ai.offerRatePerYear);
    expect(load('btc-bear').model.market.price.driftPerYear).toBeLessThan(0);
    const edge = load('ai-goes-edge');
    expect(edge.model.events).toEqual([]);
    expect(base.model.ai.hostedShareChangePerYear).toBe(0);
    expect(edge.model.ai.hostedShareChangePerYear).toBeLessThan(0);
    const halving = load('halving-2028');
    expect(halving.sweep?.parameters.map((p) => p.path)).toEqual(['model.market.fees.medianRatio']);
    // the horizon reaches past the halving at height 1,050,000 (about April 2028)
    expect(halving.model.horizon.endDate > '2028-12-31').toBe(true);
  });
});
