// Initialisation (MODEL.md section 5): operators placed so that regional shares of running hashrate
// match the configured 2026 shares and the network matches the difficulty-implied hashrate.
import type { Params } from './params.ts';
import type { Streams } from './rng.ts';
import type { State } from './state.ts';
import { allocateState, EXITED, MINING, regionPowerUsdPerKwh } from './state.ts';
import { initRegions } from './regions.ts';
import { DAYS_PER_YEAR } from './time.ts';
import { hashprice, meanSubsidy, replayedFeeRatio, replayedPrice } from './market.ts';
import { kwhPerThDay, normalCdf, normalQuantile } from './economics.ts';
import { fleetMw } from './fleet.ts';
import { runOperations } from './operations.ts';
import { initExpectations, refreshHorizonHashprices } from './expectations.ts';
import { fleetResaleUsd } from './secondary.ts';

/** Operators per region by largest remainder, at least one in every region with a positive share. */
export function operatorsPerRegion(shares: Float64Array, n: number): Int32Array {
  const counts = new Int32Array(shares.length);
  const positive = shares.reduce((k, x) => k + (x > 0 ? 1 : 0), 0);
  if (n < positive) throw new Error(`operators.count: ${n} is fewer than the ${positive} regions with a positive share`);
  const total = shares.reduce((a, b) => a + b, 0);
  let assigned = 0;
  const rema: number[] = [];
  shares.forEach((x, r) => {
    const want = x > 0 ? Math.max(1, ((n - positive) * x) / total + 1) : 0;
    counts[r] = Math.floor(want);
    assigned += counts[r];
    rema.push(want - counts[r]);
  });
  const order = rema.map((x, r) => r).sort((a, b) => rema[b] - rema[a] || a - b);
  for (let j = 0; assigned < n; j = (j + 1) % order.length) {
    if (shares[order[j]] > 0) {
      counts[order[j]] += 1;
      assigned += 1;
    }
  }
  return counts;
}

export function initialState(p: Params, rng: Streams): State {
  const c = p.config;
  const R = c.regions.length;
  const N = c.operators.count;
  const slots = p.operatorSlots;
  const K = p.cohortSlots;
  const s = allocateState(R, slots, K);
  initRegions(p, s);
  s.height = c.start.height;
  s.difficulty = c.start.difficulty;
  // A replayed path gives the price on the start date (its last observation on or before it).
  s.priceUsd = p.pricePath ? replayedPrice(p.pricePath, 0) : c.market.price.startUsd;
  s.feeRatio = p.feePath ? replayedFeeRatio(p.feePath, 0, p.nominalEpochDays) : c.market.fees.medianRatio;
  s.marketDay = 0;
  s.marketPriceUsd = c.market.price.startUsd;
  s.marketFeeRatio = c.market.fees.medianRatio;
  s.subsidyBtc = meanSubsidy(s.height, c.protocol.blocksPerEpoch, c.protocol.initialSubsidyBtc, c.protocol.halvingIntervalBlocks);
  s.hashpriceUsdPerPhDay = hashprice(s.priceUsd, s.subsidyBtc, s.feeRatio, s.difficulty, c.protocol.targetBlockSeconds);
  s.lastEpochDays = p.nominalEpochDays;
  initExpectations(p, s);
  refreshHorizonHashprices(p, s);
  s.startHashpriceUsdPerPhDay = s.expHashpriceRenewal;

  const a = rng.agents;
  const counts = operatorsPerRegion(p.initialShares, N);
  const models = new Map(c.asics.map((m) => [m.name, m]));
  const mix = c.fleet.mix.map((m) => {
    const model = models.get(m.model);
    if (!model) throw new Error(`fleet.mix: unknown ASIC model "${m.model}"`);
    return { ...m, model };
  });
  const mixTotal = mix.reduce((t, m) => t + m.hashrateShare, 0);
  const lifespanDays = c.fleet.lifespanYears * DAYS_PER_YEAR;
  const startDay = 0;

  // The operators of the start are those that mine there: each draws its power contract from the
  // log-normal law (operators.contractMultiplierSigmaLog) conditional on the best machine of the fleet
  // mix covering its power at the start hashprice (MODEL.md 5). Without the condition, the dearest
  // contracts of a wide spread hold fleets that run nowhere and leave in the first epoch.
  const bestJth = Math.min(...mix.map((m) => m.model.jPerTh));
  const sigma = c.operators.contractMultiplierSigmaLog;

  let i = 0;
  for (let r = 0; r < R; r++) {
    const breakEven = s.hashpriceUsdPerPhDay / 1000 / (kwhPerThDay(bestJth) * c.regions[r].pue * regionPowerUsdPerKwh(s, r));
    const paying = sigma > 0 ? normalCdf(Math.log(breakEven) / sigma) : 1;
    for (let j = 0; j < counts[r]; j++, i++) {
      s.opRegion[i] = r;
      s.opStatus[i] = MINING;
      s.opContract[i] = sigma > 0 ? Math.exp(sigma * normalQuantile(a.uniform() * paying)) : 1;
      s.opHurdle[i] = a.between(c.operators.hurdleRatePerYear[0], c.operators.hurdleRatePerYear[1]);
      s.opRiskAversion[i] = a.between(c.operators.riskAversion[0], c.operators.riskAversion[1]);
      s.opReviewEpochs[i] = a.integer(c.operators.reviewIntervalEpochs[0], c.operators.reviewIntervalEpochs[1]);
      s.opNextReview[i] = 1 + a.integer(0, s.opReviewEpochs[i] - 1);
      // Heavy-tailed size (Pareto with minimum 1, scaled below), TH/s before calibration.
      const size = (1 - a.uniform()) ** (-1 / c.operators.sizeParetoAlpha);
      // Each operator's fleet mixes the catalogue with log-normal weights around the network mix.
      const weights = mix.map((m) => (m.hashrateShare / mixTotal) * Math.exp(c.fleet.mixDispersionLog * a.normal()));
      const wsum = weights.reduce((x, y) => x + y, 0);
      mix.forEach((m, k) => {
        const slot = i * K + k;
        s.coThs[slot] = (size * weights[k]) / wsum;
        s.coJth[slot] = m.model.jPerTh;
        s.coKgPerTh[slot] = m.model.kgPerUnit / m.model.thsPerUnit;
        const ageDays = a.between(m.ageYears[0], m.ageYears[1]) * DAYS_PER_YEAR;
        // Machines already past their life at the start are kept one more year at most.
        s.coBirthDay[slot] = startDay - Math.min(ageDays, lifespanDays - DAYS_PER_YEAR / 4);
        s.coReadyEpoch[slot] = 0;
        // The fleet was running before the start (operations' restart margin applies to stopped machines).
        s.coRunning[slot] = 1;
      });
    }
  }

  // Free slots for greenfield entrants (investment.ts) start exited, with no site.
  for (let o = N; o < slots; o++) s.opStatus[o] = EXITED;

  // Calibrate: scale each region's fleet so its running hashrate is its share of the network
  // hashrate at the start (start.hashrateEhs, or else the difficulty-implied), capping the largest
  // operators at maxOperatorEhs.
  const maxThs = c.operators.maxOperatorEhs * 1e6;
  for (let pass = 0; pass < 3; pass++) {
    runOperations(p, s, 0);
    const runningByRegion = new Float64Array(R);
    for (let o = 0; o < N; o++) {
      for (let k = 0; k < K; k++) if (s.coRunning[o * K + k]) runningByRegion[s.opRegion[o]] += s.coThs[o * K + k];
    }
    for (let o = 0; o < N; o++) {
      const r = s.opRegion[o];
      if (runningByRegion[r] <= 0) {
        throw new Error(`regions[${r}] (${p.regionIds[r]}): no machine is profitable at the start; check its power price`);
      }
      let factor = (p.initialShares[r] * p.startHashrateThs) / runningByRegion[r];
      let total = 0;
      for (let k = 0; k < K; k++) total += s.coThs[o * K + k];
      if (pass < 2 && total * factor > maxThs) factor = maxThs / total;
      for (let k = 0; k < K; k++) s.coThs[o * K + k] *= factor;
    }
  }
  runOperations(p, s, 0);

  // Sites, cash and debt follow from the calibrated fleets.
  for (let o = 0; o < N; o++) {
    const r = s.opRegion[o];
    const mw = fleetMw(p, s, o, c.regions[r].pue);
    s.opSiteMw[o] = mw;
    s.regionUsedMw[r] += mw;
    s.opCashUsd[o] = c.operators.cashDaysOfRevenue * Math.max(0, s.opMarginUsdPerDay[o]);
    s.opDebtUsd[o] = c.operators.debtToHardwareRatio * fleetResaleUsd(p, s, o, 0);
  }
  // A region already above its configured cap keeps its load (grandfathered, observed as
  // over_cap_mw), but no new MW enters it until the load is under the cap (renewal: enter).
  // The first epoch's build-out room (decide() sets it each epoch from then on).
  for (let r = 0; r < R; r++) s.regionGrowthRoomMw[r] = (c.regions[r].buildOutMwPerYear * p.nominalEpochDays) / DAYS_PER_YEAR;
  return s;
}
