// Operations (MODEL.md 7.3): each cohort runs only if it earns more than its power (shut-in);
// then the epoch's revenue, power, overhead, debt service and AI lease income are booked.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { AI, EXITED, MINING, operatorBanned, operatorOut, regionPowerUsdPerKwh } from './state.ts';
import { kwhPerThDay } from './economics.ts';
import { DAYS_PER_YEAR } from './time.ts';

/** Power price an operator pays before PUE, $/kWh (its all-in rate when hosted). */
export function operatorUsdPerKwh(s: State, o: number): number {
  const hosted = s.opHostedUsdPerKwh[o];
  return hosted > 0 ? hosted : s.regionPriceUsdPerKwh[s.opRegion[o]] * s.opContract[o];
}

/** PUE an operator pays on (1 when hosted all-in). */
export function operatorPue(p: Params, s: State, o: number): number {
  return s.opHostedUsdPerKwh[o] > 0 ? 1 : p.config.regions[s.opRegion[o]].pue;
}

/** Power price an operator pays before PUE, $/kWh, and the PUE it pays on (1 when hosted all-in). */
export function operatorPower(p: Params, s: State, o: number): { usdPerKwh: number; pue: number } {
  const hosted = s.opHostedUsdPerKwh[o];
  if (hosted > 0) return { usdPerKwh: hosted, pue: 1 };
  const r = s.opRegion[o];
  return { usdPerKwh: regionPowerUsdPerKwh(s, r) * s.opContract[o], pue: p.config.regions[r].pue };
}

/**
 * Decides which cohorts run this epoch and records each operator's margin per day and the running
 * hashrate. A cohort runs on today's margin (MODEL.md 4): the epoch's hashprice against its power.
 * Restarting and stopping machines are not free (crews, power contracts with minimum takes), so a
 * running cohort stops only when its revenue falls below (1 - h) of its power cost, and a stopped
 * one restarts only when its revenue exceeds (1 + h) of it (h: operations.restartMarginFraction;
 * the initial state is set with h = 0: the fleet at the start runs where it pays).
 * With `pipeline`, it also writes there the two sums refreshPipeline (expectations.ts) makes of the
 * machines on their way (their TH/s, and TH/s times epochs to delivery), added in the same order in
 * this pass over the cohorts, so that step need not make a pass of its own for them.
 */
export function runOperations(p: Params, s: State, h = p.config.operations.restartMarginFraction, pipeline: Float64Array | null = null): void {
  const K = p.cohortSlots;
  const N = s.opStatus.length;
  const revenuePerTh = s.hashpriceUsdPerPhDay / 1000;
  const stopBelow = 1 - h;
  const startAbove = 1 + h;
  let running = 0;
  let pipelineThs = 0;
  let pipelineThsEpochs = 0;
  const coThs = s.coThs;
  const coJth = s.coJth;
  const coReadyEpoch = s.coReadyEpoch;
  const coRunning = s.coRunning;
  const epoch = s.epoch;
  for (let o = 0; o < N; o++) {
    let margin = 0;
    const base = o * K;
    const active = s.opStatus[o] === MINING && !operatorBanned(s, o) && !operatorOut(s, o);
    if (!active) {
      // An exited operator's cohorts are already stopped (see EXITED in state.ts).
      if (s.opStatus[o] !== EXITED) for (let k = 0; k < K; k++) coRunning[base + k] = 0;
      // A site banned or out of power still counts the machines on their way to it.
      if (s.opStatus[o] === MINING) {
        for (let k = 0; k < K; k++) {
          const ths = coThs[base + k];
          if (ths > 0 && coReadyEpoch[base + k] > epoch) {
            pipelineThs += ths;
            pipelineThsEpochs += ths * (coReadyEpoch[base + k] - epoch);
          }
        }
      }
      s.opMarginUsdPerDay[o] = 0;
      continue;
    }
    const costPerKwh = operatorUsdPerKwh(s, o) * operatorPue(p, s, o);
    for (let k = 0; k < K; k++) {
      const slot = base + k;
      const ths = coThs[slot];
      if (ths <= 0 || coReadyEpoch[slot] > epoch) {
        coRunning[slot] = 0;
        if (ths > 0) {
          pipelineThs += ths;
          pipelineThsEpochs += ths * (coReadyEpoch[slot] - epoch);
        }
        continue;
      }
      const power = kwhPerThDay(coJth[slot]) * costPerKwh;
      if (revenuePerTh > power * (coRunning[slot] ? stopBelow : startAbove)) {
        coRunning[slot] = 1;
        margin += (revenuePerTh - power) * ths;
        running += ths;
      } else {
        coRunning[slot] = 0;
      }
    }
    s.opMarginUsdPerDay[o] = margin;
  }
  s.runningThs = running;
  if (pipeline !== null) {
    pipeline[0] = pipelineThs;
    pipeline[1] = pipelineThsEpochs;
  }
}

/** Books cash for an epoch of `days`: margin, site overhead, debt service and AI lease income. */
export function bookCash(p: Params, s: State, days: number): void {
  const c = p.config;
  const K = p.cohortSlots;
  const N = s.opStatus.length;
  const years = days / DAYS_PER_YEAR;
  const overheadPerMw = c.operators.overheadUsdPerMwYear * years;
  const interest = c.operators.debtInterestPerYear * years;
  const amortization = Math.min(1, c.operators.debtAmortizationPerYear * years);
  const coThs = s.coThs;
  const coReadyEpoch = s.coReadyEpoch;
  const coRunning = s.coRunning;
  const coIdleEpochs = s.coIdleEpochs;
  const epoch = s.epoch;
  for (let o = 0; o < N; o++) {
    const status = s.opStatus[o];
    if (status === EXITED) continue;
    // Machines stopped by an outage are not idle by choice, and the outage forces no decision.
    const out = status === MINING && operatorOut(s, o);
    if (status === MINING) {
      const ownSite = s.opHostedUsdPerKwh[o] === 0;
      s.opCashUsd[o] += s.opMarginUsdPerDay[o] * days - (ownSite ? s.opSiteMw[o] * overheadPerMw : 0);
      for (let k = 0; k < K && !out; k++) {
        const slot = o * K + k;
        if (coThs[slot] > 0 && coReadyEpoch[slot] <= epoch) {
          coIdleEpochs[slot] = coRunning[slot] ? 0 : coIdleEpochs[slot] + 1;
        }
      }
    } else if (status === AI && s.epoch >= s.opAiReadyEpoch[o]) {
      s.opCashUsd[o] += s.opAiMw[o] * s.opAiLease[o] * c.ai.operatingMargin * years;
    }
    const debt = s.opDebtUsd[o];
    if (debt > 0) {
      const principal = debt * amortization;
      s.opCashUsd[o] -= debt * interest + principal;
      s.opDebtUsd[o] = debt - principal;
    }
    if (!out) s.opNegativeEpochs[o] = s.opCashUsd[o] < 0 ? s.opNegativeEpochs[o] + 1 : 0;
  }
}
