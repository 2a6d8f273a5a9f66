// One replicate of a scenario: the schedule of MODEL.md section 3, epoch by epoch.
// Pure and synchronous: the same params and stream key give the same output, bit for bit.
import type { Params } from './params.ts';
import type { ReplicateOutput } from './output.ts';
import type { StreamKey, Streams } from './rng.ts';
import type { State } from './state.ts';
import { createStreams, seedDigest } from './rng.ts';
import { initialState } from './init.ts';
import { drawPolicyEvents, stepPowerPrices } from './regions.ts';
import { applyScriptedEvents } from './events.ts';
import { advanceMarket, epochLengthDays, hashprice, meanSubsidy, retarget } from './market.ts';
import { bookCash, runOperations } from './operations.ts';
import { aiLeaseEnds, createDecisionScratch, decide, type DecisionScratch } from './decisions.ts';
import { observeHashrate, refreshHorizonHashprices, updateMarketExpectations } from './expectations.ts';
import { createInvestScratch, deliverBacklog, enter, invest, type InvestScratch } from './investment.ts';
import { drawAiOffers } from './ai.ts';
import { expireLots, settleListings } from './secondary.ts';
import { arrivals, createRenewScratch, frontier, makeRoom, renew, retire, type RenewScratch } from './renewal.ts';
import { createObserveScratch, observeDecisions, observeMining, type ObserveScratch } from './observe.ts';
import { seriesKeys } from './metrics.ts';
import { impliedHashrateThs } from './params.ts';
import { EXITED, MINING, TRANSIT, refreshRegionPrices } from './state.ts';

export interface Scratch {
  decision: DecisionScratch;
  observe: ObserveScratch;
  renew: RenewScratch;
  invest: InvestScratch;
  order: Int32Array;
  row: Float64Array;
  pipeline: Float64Array; // runOperations' sums of the machines on their way, for observeHashrate
}

function resetCounters(s: State): void {
  s.capitulations = 0;
  s.entries = 0;
  s.reorganisations = 0;
  s.capitulatedThs = 0;
  s.aiPivots = 0;
  s.aiMwNew = 0;
  s.relocationsTo.fill(0);
  s.relocatedThsTo.fill(0);
  s.relocationsFrom.fill(0);
  s.soldThs = 0;
  s.boughtUsedThs = 0;
  s.boughtNewThs = 0;
  s.retiredThs = 0;
  s.regionShock.fill(0);
}

/** Mining capacity in use per region: sites there (exited ones awaiting an entrant too), and sites reserved by machines on their way. */
function recountUsedMw(s: State): void {
  s.regionUsedMw.fill(0);
  const N = s.opStatus.length;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] === MINING) s.regionUsedMw[s.opRegion[o]] += s.opSiteMw[o];
    else if (s.opStatus[o] === TRANSIT) s.regionUsedMw[s.opDest[o]] += s.opDestSiteMw[o];
    else if (s.opStatus[o] === EXITED) s.regionUsedMw[s.opRegion[o]] += s.opExitSiteMw[o];
  }
}

/** Advances the state by one difficulty epoch and writes its observations into `scratch.row`. */
export function step(p: Params, s: State, rng: Streams, x: Scratch): void {
  const c = p.config;
  s.epoch += 1;
  resetCounters(s);
  const elapsed = s.lastEpochDays;

  // 1. Exogenous draws: the market on its daily grid up to the epoch's start day, the rest over
  // the time since the last draw.
  advanceMarket(p, s, s.day, rng.market);
  stepPowerPrices(p, s, elapsed, rng.regions);
  drawPolicyEvents(p, s, elapsed, rng.policy);
  applyScriptedEvents(p, s, s.day, rng.policy);
  refreshRegionPrices(s);
  drawAiOffers(p, s, elapsed, rng.ai);

  // 2. Block reward and hashprice against the difficulty in force.
  s.subsidyBtc = meanSubsidy(s.height, c.protocol.blocksPerEpoch, c.protocol.initialSubsidyBtc, c.protocol.halvingIntervalBlocks);
  s.hashpriceUsdPerPhDay = hashprice(s.priceUsd, s.subsidyBtc, s.feeRatio, s.difficulty, c.protocol.targetBlockSeconds);

  // Expectations of price and fees take in this epoch's market (expectations.ts).
  updateMarketExpectations(p, s);

  // 3. Operations: shut-in on today's margin, the epoch's real length, bookkeeping. Replacements
  // that arrive take their place on the site first (renewal.ts makeRoom).
  makeRoom(p, s);
  runOperations(p, s, p.config.operations.restartMarginFraction, x.pipeline);
  observeHashrate(p, s, s.runningThs, elapsed, x.pipeline);
  refreshHorizonHashprices(p, s);
  const impliedThs = impliedHashrateThs(s.difficulty, c.protocol.targetBlockSeconds);
  const days = epochLengthDays(p.nominalEpochDays, s.runningThs, impliedThs, c.protocol.maxEpochLengthFactor);
  bookCash(p, s, days);
  const best = frontier(p, s);
  observeMining(p, s, x.row, x.observe, best.jPerTh);

  // 4. Decisions on smoothed expectations.
  recountUsedMw(s);
  decide(p, s, rng.agents, x.decision);

  // 5. Transitions: sales settle at this epoch's fire-sale discount, machines arrive.
  settleListings(p, s, s.runningThs);
  arrivals(p, s);
  aiLeaseEnds(p, s);

  // 6. Fleet renewal.
  retire(p, s);
  enter(p, s, elapsed, rng.agents, x.invest);
  deliverBacklog(p, s, elapsed, rng.agents, x.invest);
  invest(p, s, elapsed, rng.agents, x.invest);
  renew(p, s, rng.agents, x.order, x.renew);
  expireLots(p, s);

  // Close the epoch: difficulty retarget, height and clock.
  s.difficulty = retarget(s.difficulty, s.runningThs, impliedThs, c.protocol.retargetClamp);
  s.height += c.protocol.blocksPerEpoch;
  s.day += days;
  s.lastEpochDays = days;

  // 7. Observation of the epoch's decisions.
  observeDecisions(p, s, x.row, days);
}

export function createScratch(p: Params): Scratch {
  const N = p.operatorSlots;
  return {
    decision: createDecisionScratch(p, N),
    observe: createObserveScratch(p.regionIds.length, N),
    renew: createRenewScratch(p, N),
    invest: createInvestScratch(p),
    order: new Int32Array(N),
    row: new Float64Array(seriesKeys(p).length),
    pipeline: new Float64Array(2),
  };
}

/**
 * Runs one replicate from its initial state to the horizon. `onEpoch`, if given, sees the state
 * after each epoch's observation (a reporter: it must not change the state).
 */
export function simulateReplicate(p: Params, key: StreamKey, onEpoch?: (epoch: number, state: Readonly<State>) => void): ReplicateOutput {
  const rng = createStreams(key);
  const s = initialState(p, rng);
  const x = createScratch(p);
  const series = seriesKeys(p);
  const S = series.length;
  const E = p.epochCount + 1;
  const values = new Float64Array(S * E);
  const daysElapsed = new Float64Array(E);
  const record = (e: number): void => {
    for (let k = 0; k < S; k++) {
      const v = x.row[k];
      if (!Number.isFinite(v)) {
        throw new Error(`replicate ${key.replicate}: ${series[k].metric}${series[k].region ? `[${series[k].region}]` : ''} is ${v} at epoch ${e}`);
      }
      values[k * E + e] = v;
    }
    daysElapsed[e] = s.day;
    onEpoch?.(e, s);
  };

  observeMining(p, s, x.row, x.observe, frontier(p, s).jPerTh);
  observeDecisions(p, s, x.row, 0);
  record(0);
  for (let e = 1; e < E; e++) {
    step(p, s, rng, x);
    record(e);
  }
  return { replicate: key.replicate, seedDigest: seedDigest(key), epochCount: E, daysElapsed, series, values };
}
