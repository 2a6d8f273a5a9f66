// The hosted share of AI demand (Galaxy Research, April 2026: AI may decentralise to the edge):
// hosted demand = total demand x hosted share, and configs/ai-goes-edge.json lowers AI pivots.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { aiDemandMw, hostedShare } from '../../src/model/ai.ts';
import { resolveParams } from '../../src/model/params.ts';
import type { State } from '../../src/model/state.ts';
import { ensemble, series, sumOver } from './support.ts';

const EDGE_FILE = fileURLToPath(new URL('../../configs/ai-goes-edge.json', import.meta.url));
const BASE_FILE = fileURLToPath(new URL('../../configs/baseline.json', import.meta.url));

/** A config's model, reduced to 800 operators and the end of 2030. */
function reduced(file: string) {
  const model = structuredClone(loadExperiment(file).experiment.model);
  model.operators.count = 800;
  model.horizon.endDate = '2030-12-31';
  return resolveParams(model, null);
}

describe('hosted share of AI demand', () => {
  const base = reduced(BASE_FILE);
  const edge = reduced(EDGE_FILE);
  const at = (day: number) => ({ day, aiDemandFactor: 1 }) as State;

  it('is 1 on every day in the baseline, so hosted demand is the whole demand as before', () => {
    for (const day of [0, 100, 365.25, 2000]) {
      expect(hostedShare(base, day)).toBe(1);
      const a = base.config.ai;
      expect(aiDemandMw(base, at(day))).toBe(a.demandMwAtStart * (1 + a.demandGrowthPerYear) ** (day / 365.25));
    }
  });

  it('falls in ai-goes-edge so that hosted demand stays at its start level while total demand grows', () => {
    const a = edge.config.ai;
    expect(hostedShare(edge, 0)).toBe(1);
    for (const day of [365.25, 1461, 2800]) {
      expect(hostedShare(edge, day)).toBeCloseTo((1 + a.hostedShareChangePerYear!) ** (day / 365.25), 12);
      expect(aiDemandMw(edge, at(day)) / a.demandMwAtStart).toBeGreaterThan(0.99);
      expect(aiDemandMw(edge, at(day)) / a.demandMwAtStart).toBeLessThan(1.01);
    }
  });

  it('is capped at 1 when it grows', () => {
    const model = structuredClone(base.config);
    model.ai.hostedShareAtStart = 0.9;
    model.ai.hostedShareChangePerYear = 0.5;
    const p = resolveParams(model, null);
    expect(hostedShare(p, 0)).toBeCloseTo(0.9, 12);
    expect(hostedShare(p, 365.25)).toBe(1);
  });

  it('ai-goes-edge lowers AI pivots and AI MW against the baseline on the same seeds', () => {
    const b = ensemble(base, 5, 3);
    const e = ensemble(edge, 5, 3);
    const pivots = (outs: typeof b) => sumOver(outs.map((o) => sumOver(series(o, 'ai_pivots'))));
    const finalMw = (outs: typeof b) => sumOver(outs.map((o) => series(o, 'ai_mw')[o.epochCount - 1]));
    expect(pivots(e)).toBeLessThan(pivots(b));
    expect(finalMw(e)).toBeLessThan(finalMw(b));
    // Up to the first pivot the two runs are the same: the hosted share changes only AI demand.
    expect(series(e[0], 'hashrate_ehs')[1]).toBe(series(b[0], 'hashrate_ehs')[1]);
  });
});
