// An upper bound on a machine's life value in investment's valuation (greenfieldNpvPerTh, before
// its capex), at a fraction of the cost: most lots of used machines are worth less than they cost
// and can never be the machine to build for, and the bound tells so without their monthly path.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { subsidyAt } from './market.ts';
import { expectedUsdPerThYearPerBtc } from './expectations.ts';

/**
 * Rates nearer zero than this (the discount rate, and the discount rate less the expected revenue's
 * growth in each of its regimes: before the pipeline's lead, during the growth horizon and after it) give no bound: the valuation's (e^{-k t0} - e^{-k t1}) / k
 * then loses digits to cancellation, and its rounding could exceed the bound's slack.
 */
const MIN_RATE = 1e-3;
/**
 * Slack on the bound, relative to the revenue and cost it integrates: far above the rounding of the
 * valuation's sums of monthly terms (each of a few operations, so of relative error about 1e-14).
 */
const RELATIVE_SLACK = 1e-8;

/** Pieces of a life at most (halvings, the pipeline's lead and the growth horizon split it; a life of a few years has 2 to 5). */
export const MAX_PIECES = 8;
/**
 * Numbers per piece in a LifePieces buffer: the revenue rate h(t) = level e^{beta t} on the piece,
 * k = r - beta, e^{-k t} and e^{-r t} at its ends, h at its ends, and |revenue| + 2 × revenue at its
 * start (the slack's revenue part) and its discounted years (the slack's cost part).
 */
export const PIECE_FIELDS = 12;
const LEVEL = 0;
const BETA = 1;
const K = 2;
const T0 = 3;
const T1 = 4;
const EXP_K0 = 5;
const EXP_K1 = 6;
const EXP_R0 = 7;
const EXP_R1 = 8;
const H_MIN = 9;
const H_MAX = 10;
const SLACK_REVENUE = 11;

/** Whether the pieces of a life at `ratePerYear` give a bound (lifePieces): no rate of it is near zero. */
export function boundsAtRate(p: Params, s: State, ratePerYear: number): boolean {
  const g = s.expGrowthPerYear;
  const mu = p.config.expectations.priceDriftPerYear;
  const r = ratePerYear;
  return Math.abs(r) >= MIN_RATE && Math.abs(r - mu + g) >= MIN_RATE && Math.abs(r - mu) >= MIN_RATE;
}

/**
 * Writes the pieces of a machine's life, first hashing `delayYears` from now for `life` years, into
 * `out` from `at` (MAX_PIECES * PIECE_FIELDS numbers); returns their count, or -1 where no bound is
 * given (rates near zero, or more pieces than MAX_PIECES). They depend on the life and the rate, not
 * on the machine's costs: one set serves every region that discounts at the rate.
 */
export function lifePieces(p: Params, s: State, delayYears: number, life: number, ratePerYear: number, out: Float64Array, at: number): number {
  const c = p.config;
  const pr = c.protocol;
  const g = s.expGrowthPerYear;
  const mu = c.expectations.priceDriftPerYear;
  const growthYears = c.expectations.growthYears;
  const lead = s.pipelineLeadYears;
  const growthEnd = lead + growthYears;
  const r = ratePerYear;
  if (!boundsAtRate(p, s, r)) return -1;
  const blocksPerYear = p.blocksPerYear;
  const usdPerThYearPerBtc = expectedUsdPerThYearPerBtc(p, s);
  const lateLevel = Math.exp(-g * growthYears);
  const growthLevel = Math.exp(g * lead);
  // The valuation's last month may end a few units in the last place past delay + life.
  const end = delayYears + life + 1e-9;
  let count = 0;
  let t0 = delayYears;
  let height = s.height + t0 * blocksPerYear;
  // e^{-k t0} and e^{-r t0} of the piece: the last piece's e^{-k t1} and e^{-r t1} (NaN: not yet computed).
  let lastK = NaN;
  let expK0 = NaN;
  let expR0 = Math.exp(-r * t0);
  while (t0 < end) {
    const nextHalving = (Math.floor(height / pr.halvingIntervalBlocks) + 1) * pr.halvingIntervalBlocks;
    const atHalving = t0 + (nextHalving - height) / blocksPerYear;
    let t1 = Math.min(end, atHalving);
    if (t0 < lead && t1 > lead) t1 = lead;
    if (t0 < growthEnd && t1 > growthEnd) t1 = growthEnd;
    const subsidy = subsidyAt(Math.floor(height), pr.initialSubsidyBtc, pr.halvingIntervalBlocks);
    if (subsidy <= 0) break;
    if (count === MAX_PIECES) return -1;
    // The valuation's three regimes (subsidyPv): before the pipeline's lead, growing, after.
    const growing = t0 >= lead && t0 < growthEnd;
    const beta = growing ? mu - g : mu;
    const level = usdPerThYearPerBtc * subsidy * (t0 < lead ? 1 : growing ? growthLevel : lateLevel);
    const k = r - beta;
    if (k !== lastK) expK0 = Math.exp(-k * t0);
    const expK1 = Math.exp(-k * t1);
    const expR1 = Math.exp(-r * t1);
    const o = at + count * PIECE_FIELDS;
    out[o + LEVEL] = level;
    out[o + BETA] = beta;
    out[o + K] = k;
    out[o + T0] = t0;
    out[o + EXP_K0] = expK0;
    out[o + EXP_R0] = expR0;
    endPiece(out, o, t1, expK1, expR1);
    count++;
    height = t1 === atHalving ? nextHalving : height + (t1 - t0) * blocksPerYear;
    t0 = t1;
    lastK = k;
    expK0 = expK1;
    expR0 = expR1;
  }
  return count;
}

/**
 * lifePieces of a life of `life` years from the `templateCount` pieces at `templateAt` in `template`,
 * lifePieces' of a life at least as long from the same delay, at the same rate and state: the same
 * numbers bit for bit, in fewer operations. Each piece ends at the earliest of the life's end and
 * the piece's other ends (a halving, the pipeline's lead, the growth horizon), which do not depend
 * on the life, so the shorter life's pieces are the template's up to the first that ends at or
 * after its end, which is cut there (its end's exponentials worked out anew), or all of them where
 * none does (the template stopped at the subsidy's end). Returns the count. The template must
 * have given pieces (a count of at least 0): where it has too many, the shorter life may not.
 */
export function lifePiecesFrom(template: Float64Array, templateAt: number, templateCount: number, delayYears: number, life: number, ratePerYear: number, out: Float64Array, at: number): number {
  const end = delayYears + life + 1e-9;
  if (!(delayYears < end)) return 0;
  let count = 0;
  while (count < templateCount && template[templateAt + count * PIECE_FIELDS + T1] < end) count++;
  const whole = count;
  if (count < templateCount) count++;
  for (let i = 0; i < count * PIECE_FIELDS; i++) out[at + i] = template[templateAt + i];
  if (whole < count) {
    const o = at + whole * PIECE_FIELDS;
    endPiece(out, o, end, Math.exp(-out[o + K] * end), Math.exp(-ratePerYear * end));
  }
  return count;
}

/**
 * Writes the end of the piece at `o` whose level, k and start exponentials are written: its end
 * t1, e^{-k t1} and e^{-r t1}, the revenue rate h at its ends (e^{beta t} = e^{-k t} / e^{-r t}),
 * and the slack's revenue part (the valuation may give a sliver of a piece past a halving the
 * subsidy before it, twice this one).
 */
function endPiece(out: Float64Array, o: number, t1: number, expK1: number, expR1: number): void {
  const level = out[o + LEVEL];
  const k = out[o + K];
  const expK0 = out[o + EXP_K0];
  const hStart = (level * expK0) / out[o + EXP_R0];
  const hEnd = (level * expK1) / expR1;
  const revenueStart = level * expK0;
  out[o + T1] = t1;
  out[o + EXP_K1] = expK1;
  out[o + EXP_R1] = expR1;
  out[o + H_MIN] = Math.min(hStart, hEnd);
  out[o + H_MAX] = Math.max(hStart, hEnd);
  out[o + SLACK_REVENUE] = Math.abs((revenueStart - level * expK1) / k) + 2 * revenueStart;
}

/**
 * Upper bound on the value of a machine's life in greenfieldNpvPerTh (and its path form): the sum
 * over months of max(0, revenue - cost), USD per TH/s, for a machine whose costs are `costPerYear`
 * (power and overhead, USD per TH/s per year), over the `count` pieces of its life at `at` in
 * `pieces` (lifePieces, at `ratePerYear`). Infinity where no bound is given (count -1).
 *
 * The expected revenue rate is h(t) = A S(t) e^{mu t - g clamp(t - L, 0, Tg)} (expectations.ts: subsidyPv),
 * and each month's margin is the integral of (h(t) - c) e^{-r t} over the month, so the sum of the
 * months' positive parts is at most the integral of the positive part of (h(t) - c) e^{-r t} over
 * the whole life. Between halvings, the pipeline's lead and the growth horizon h is one exponential, which crosses c at
 * most once: the integral is exact there, piece by piece. The slack covers the valuation's rounding
 * (and that of the ends of h, which decide whether a piece is all above c, all below or crossed).
 */
export function boundFromPieces(pieces: Float64Array, at: number, count: number, ratePerYear: number, costPerYear: number): number {
  if (count < 0) return Infinity;
  const r = ratePerYear;
  let bound = 0;
  let scale = 0;
  for (let i = 0; i < count; i++) {
    const o = at + i * PIECE_FIELDS;
    scale += pieces[o + SLACK_REVENUE] + Math.abs((costPerYear * (pieces[o + EXP_R0] - pieces[o + EXP_R1])) / r);
    const positive = piecePositive(pieces, o, r, costPerYear);
    if (Number.isNaN(positive)) return Infinity;
    if (positive > 0) bound += positive;
  }
  return bound + RELATIVE_SLACK * scale;
}

/**
 * The integral of the positive part of (h(t) - c) e^{-rt} over the piece at `o` of `pieces`, for a
 * cost c of `costPerYear`: 0 where it is not positive, NaN where the crossing time is not defined.
 */
function piecePositive(pieces: Float64Array, o: number, r: number, costPerYear: number): number {
  if (costPerYear >= pieces[o + H_MAX]) return 0;
  const level = pieces[o + LEVEL];
  const k = pieces[o + K];
  if (costPerYear <= pieces[o + H_MIN]) {
    return (level * (pieces[o + EXP_K0] - pieces[o + EXP_K1])) / k - (costPerYear * (pieces[o + EXP_R0] - pieces[o + EXP_R1])) / r;
  }
  // h crosses c inside the piece: the positive part lies on one side of the crossing time.
  const beta = pieces[o + BETA];
  const t0 = pieces[o + T0];
  const t1 = pieces[o + T1];
  const crossing = Math.log(costPerYear / level) / beta;
  if (Number.isNaN(crossing)) return NaN;
  const u = beta > 0 ? Math.max(t0, crossing) : t0;
  const v = beta > 0 ? t1 : Math.min(t1, crossing);
  return v > u ? (level * (Math.exp(-k * u) - Math.exp(-k * v))) / k - (costPerYear * (Math.exp(-r * u) - Math.exp(-r * v))) / r : 0;
}

/**
 * An upper bound on boundFromPieces of the same life (the same delay, life and state, so the same
 * pieces but for their rate's terms) as the `count` pieces at `at` in `pieces` (lifePieces at
 * `ratePerYear`), at any rate at least `ratePerYear` that gives a bound and any cost from `costLow`
 * to `costHigh`: its terms are those of the bound, each at its largest (the bound's positive parts
 * at the lowest cost, the slack's cost part at the highest), plus a second slack.
 *
 * The bound is the integral of max(0, h(t) - c) e^{-rt} over the life (h does not depend on r) plus
 * RELATIVE_SLACK times integrals of |h| e^{-rt} and |c| e^{-rt} and h(t0) e^{-r t0}: all fall as r
 * rises (t >= 0); as c rises the first falls, the integral of |c| e^{-rt} grows with |c| and the
 * others do not depend on c. The second slack stands for the rounding of both this number and the
 * bound it is held against, far below one slack (the slack is set far above the rounding of sums
 * of these terms). Infinity where no bound is given, or where a piece's revenue is flat (beta 0),
 * where a bound at some cost could be Infinity (its crossing time 0 / 0).
 */
export function boundOverCosts(pieces: Float64Array, at: number, count: number, ratePerYear: number, costLow: number, costHigh: number): number {
  if (count < 0) return Infinity;
  const r = ratePerYear;
  const slackCost = Math.max(Math.abs(costLow), Math.abs(costHigh));
  let bound = 0;
  let scale = 0;
  for (let i = 0; i < count; i++) {
    const o = at + i * PIECE_FIELDS;
    if (pieces[o + BETA] === 0) return Infinity;
    scale += pieces[o + SLACK_REVENUE] + Math.abs((slackCost * (pieces[o + EXP_R0] - pieces[o + EXP_R1])) / r);
    const positive = piecePositive(pieces, o, r, costLow);
    if (Number.isNaN(positive)) return Infinity;
    if (positive > 0) bound += positive;
  }
  return bound + 2 * RELATIVE_SLACK * scale;
}

/** boundFromPieces over the pieces of one life (lifePieces): the bound on its own. */
export function lifeValueBound(p: Params, s: State, costPerYear: number, delayYears: number, life: number, ratePerYear: number): number {
  const pieces = new Float64Array(MAX_PIECES * PIECE_FIELDS);
  return boundFromPieces(pieces, 0, lifePieces(p, s, delayYears, life, ratePerYear, pieces, 0), ratePerYear, costPerYear);
}
