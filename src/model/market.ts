// Market and protocol: BTC price, fees, subsidy by height, hashprice and the difficulty retarget.
// Formulas from Bitcoin Core (src/kernel/chainparams.cpp for the subsidy, src/pow.cpp for the retarget).
import type { FeeStepPath, Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { impliedHashrateThs } from './params.ts';
import { yearsOf } from './time.ts';

/** 2 ** h for the 64 halvings of the schedule, looked up by subsidyAt (the same numbers, without a power per call). */
const HALVING_DIVISORS = Float64Array.from({ length: 64 }, (_, h) => 2 ** h);

/** Subsidy of the block at `height`, BTC: the initial subsidy halved every interval. */
export function subsidyAt(height: number, initialBtc: number, halvingInterval: number): number {
  const halvings = Math.floor(height / halvingInterval);
  if (halvings >= 64) return 0;
  return halvings >= 0 ? initialBtc / HALVING_DIVISORS[halvings] : initialBtc / 2 ** halvings;
}

/** Mean subsidy over `blocks` blocks from `height`, BTC (an epoch may straddle a halving). */
export function meanSubsidy(height: number, blocks: number, initialBtc: number, halvingInterval: number): number {
  const nextHalving = (Math.floor(height / halvingInterval) + 1) * halvingInterval;
  const before = Math.min(blocks, nextHalving - height);
  const first = subsidyAt(height, initialBtc, halvingInterval);
  if (before >= blocks) return first;
  const second = subsidyAt(nextHalving, initialBtc, halvingInterval);
  return (first * before + second * (blocks - before)) / blocks;
}

/**
 * Hashprice, $ per PH/s per day: 144 blocks a day of subsidy plus fees at the BTC price, shared
 * over the difficulty-implied hashrate (MODEL.md 7.2). $70,000, 958 EH/s, 1% fees give ~$33.
 */
export function hashprice(priceUsd: number, subsidyBtc: number, feeRatio: number, difficulty: number, targetBlockSeconds: number): number {
  const blocksPerDay = 86400 / targetBlockSeconds;
  const networkPhs = impliedHashrateThs(difficulty, targetBlockSeconds) / 1000;
  return (blocksPerDay * subsidyBtc * (1 + feeRatio) * priceUsd) / networkPhs;
}

/** Next difficulty: D * clamp(H_actual / H_implied, 1/c, c) (Bitcoin Core's retarget with its clamp c). */
export function retarget(difficulty: number, actualThs: number, impliedThs: number, clamp: number): number {
  const ratio = Math.min(clamp, Math.max(1 / clamp, actualThs / impliedThs));
  return difficulty * ratio;
}

/** Real length of an epoch, days: nominal length scaled by implied over actual hashrate. */
export function epochLengthDays(nominalDays: number, actualThs: number, impliedThs: number, maxFactor: number): number {
  const floorThs = impliedThs / maxFactor;
  return (nominalDays * impliedThs) / Math.max(actualThs, floorThs);
}

/**
 * One day of the BTC price process: Merton jump-diffusion (geometric Brownian motion with
 * log-normal jumps) over dt = 1 day. Always consumes the same draws for the same day, whatever
 * the config's epoch lengths (the daily market grid, MODEL.md 7.1).
 */
export function priceDayFactor(p: Params, rng: Stream): number {
  const c = p.config.market.price;
  const dt = yearsOf(1);
  // driftPerYear is the drift of ln(price): 0 keeps the median price level (no trend).
  const diffusion = c.driftPerYear * dt + c.volatilityPerYear * Math.sqrt(dt) * rng.normal();
  const jumps = rng.poisson(c.jumpsPerYear * dt);
  let jump = 0;
  for (let j = 0; j < jumps; j++) jump += c.jumpMeanLog + c.jumpSdLog * rng.normal();
  return Math.exp(diffusion + jump);
}

/**
 * Advances the market's daily grid to the whole day on or before `day` and sets the epoch's BTC
 * price and fee ratio from it. Each grid day draws one price step and one fee ratio from the
 * `market` stream, so a replicate sees the same market on the same calendar day in every scenario,
 * whatever its epoch lengths (common random numbers). A replayed price path or fee path sets its
 * value instead, at `day` itself; the grid's draws are still made (and ignored), so replaying one
 * leaves the other, and every other stream, on the draws it would have had.
 */
export function advanceMarket(p: Params, s: State, day: number, rng: Stream): void {
  const target = Math.floor(day);
  while (s.marketDay < target) {
    s.marketDay += 1;
    s.marketPriceUsd *= priceDayFactor(p, rng);
    s.marketFeeRatio = drawFeeRatio(p, rng);
  }
  s.priceUsd = p.pricePath ? replayedPrice(p.pricePath, day) : s.marketPriceUsd;
  s.feeRatio = p.feePath ? replayedFeeRatio(p.feePath, day, p.nominalEpochDays) : s.marketFeeRatio;
}

/** Price on a replayed path: the last observation at or before `day` (the first before it starts). */
export function replayedPrice(path: { day: Float64Array; priceUsd: Float64Array }, day: number): number {
  return path.priceUsd[stepIndex(path.day, day)];
}

/**
 * Fee ratio of an epoch on a replayed path: the mean of its step function (each row in force from
 * its date until the next, the first before it starts, the last after it ends) over the `span` days
 * from `day`, the nominal epoch. Fees come in bursts of days (the Runes launch of 2024-04-20 paid
 * 3.1 times the subsidy that day and 0.12 a week later), so the value of the start day alone would
 * stand for the whole epoch's blocks; the mean is what they earned.
 */
export function replayedFeeRatio(path: FeeStepPath, day: number, span: number): number {
  return (feeIntegral(path, day + span) - feeIntegral(path, day)) / span;
}

/** Integral of a replayed fee path's step function from its first day to `day` (negative before it). */
function feeIntegral(path: FeeStepPath, day: number): number {
  const i = stepIndex(path.day, day);
  return path.integral[i] + path.feeRatio[i] * (day - path.day[i]);
}

/** Index of the last of the sorted `days` at or before `day` (0 when `day` precedes them all). */
function stepIndex(days: Float64Array, day: number): number {
  let lo = 0;
  let hi = days.length - 1;
  if (day <= days[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (days[mid] <= day) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Fee ratio to subsidy: log-normal around its median, with occasional spikes, capped (one draw per grid day; an epoch takes its start day's). */
export function drawFeeRatio(p: Params, rng: Stream): number {
  const f = p.config.market.fees;
  const spike = rng.chance(f.spikeProbPerEpoch) ? f.spikeMultiplier : 1;
  return Math.min(f.capRatio, f.medianRatio * Math.exp(f.sigmaLog * rng.normal()) * spike);
}
