// Insolvency (MODEL.md 7.4): an insolvent operator is decided by its creditors. They keep the going
// concern, writing the debt off, when the decision rule (logit; here at a temperature that picks the
// best value) chooses one of its options over liquidation, and
// liquidate it otherwise. The previous model excluded staying for every insolvent operator, so a
// site that still paid its power was sold out (the growth episode's second half of 2022).
import { describe, expect, it } from 'vitest';
import { paramsFrom, twoBannedRussians } from './support.ts';
import { createStreams } from '../../src/model/rng.ts';
import { initialState } from '../../src/model/init.ts';
import { createDecisionScratch, decide } from '../../src/model/decisions.ts';
import { refreshHorizonHashprices } from '../../src/model/expectations.ts';
import { EXITED, MINING, TRANSIT } from '../../src/model/state.ts';
import type { Params } from '../../src/model/params.ts';
import type { State } from '../../src/model/state.ts';

const ROOT_SEED = 20260401;

/** 60 operators, the best option chosen deterministically, and nobody but operator `o` deciding. */
function setUp(): { p: Params; s: State; o: number; rng: ReturnType<typeof createStreams> } {
  const p = paramsFrom((m) => {
    m.operators.count = 60;
    m.decisions.temperature = 1e-6;
    m.decisions.destinations = ['py'];
  });
  const rng = createStreams({ rootSeed: ROOT_SEED, replicate: 0, point: null });
  const s = initialState(p, rng);
  const us = p.regionIndex.get('us')!;
  const o = Array.from(s.opRegion.keys()).find((i) => s.opStatus[i] === MINING && s.opRegion[i] === us && s.opHostedUsdPerKwh[i] === 0)!;
  for (let i = 0; i < s.opStatus.length; i++) s.opNextReview[i] = 1_000_000;
  s.epoch = 1;
  // Insolvent: negative cash for longer than the grace, and debt.
  s.opNegativeEpochs[o] = p.config.operators.insolvencyGraceEpochs + 1;
  s.opCashUsd[o] = -2e6;
  s.opDebtUsd[o] = 5e7;
  return { p, s, o, rng };
}

describe('an insolvent operator', () => {
  it('whose site still pays is kept mining by its creditors, without the debt', () => {
    const { p, s, o, rng } = setUp();
    decide(p, s, rng.agents, createDecisionScratch(p, p.operatorSlots));
    expect(s.opStatus[o]).toBe(MINING);
    expect(s.opDebtUsd[o]).toBe(0);
    expect(s.opCashUsd[o]).toBe(0);
    expect(s.opNegativeEpochs[o]).toBe(0);
    expect(s.reorganisations).toBe(1);
    expect(s.capitulations).toBe(0);
  });

  it('whose machines are expected to earn less than their power is liquidated', () => {
    const { p, s, o, rng } = setUp();
    // BTC expected at 1% of its price: no machine covers its power over the horizon.
    s.expLogPrice = Math.log(s.priceUsd * 0.01);
    refreshHorizonHashprices(p, s);
    decide(p, s, rng.agents, createDecisionScratch(p, p.operatorSlots));
    expect(s.opStatus[o]).toBe(EXITED);
    expect(s.capitulations).toBe(1);
    expect(s.reorganisations).toBe(0);
  });

  it('is reorganised only when its move is carried out: refused with no room elsewhere, it is liquidated and not counted as reorganised', () => {
    // Two insolvent operators in banned Russia, room in Paraguay for one and nowhere else: one moves
    // (a going concern under its creditors), the other must sell out. The previous version of this
    // rule reorganised both when they chose to move, before the move was served.
    const { p, s, rng, a, b, py, ae } = twoBannedRussians(ROOT_SEED);
    s.regionCapMw[ae] = s.regionUsedMw[ae];
    for (const o of [a, b]) {
      s.opNegativeEpochs[o] = p.config.operators.insolvencyGraceEpochs + 1;
      s.opCashUsd[o] = -1e6;
      s.opDebtUsd[o] = 1e7;
    }
    decide(p, s, rng.agents, createDecisionScratch(p, p.operatorSlots));
    expect([s.opStatus[a], s.opStatus[b]].sort()).toEqual([TRANSIT, EXITED].sort());
    const moved = s.opStatus[a] === TRANSIT ? a : b;
    expect(s.opDest[moved]).toBe(py);
    expect(s.capitulations).toBe(1);
    expect(s.reorganisations).toBe(1);
  });
});
