// The AI-hosting market (MODEL.md 2 and 7.4): demand in MW of IT load grows at a yearly rate, of which
// a share (that may decline) is hosted centrally; offers reach large mining sites in suitable regions
// as a Poisson process whose rate grows with hosted demand.
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { MINING } from './state.ts';
import { DAYS_PER_YEAR } from './time.ts';

/**
 * Hosted (centralised) AI demand open to converted mining sites at the current day, MW of IT load:
 * total AI demand times the hosted share (the rest runs at the edge, on devices and on-premises).
 */
export function aiDemandMw(p: Params, s: State): number {
  const a = p.config.ai;
  const totalMw = a.demandMwAtStart * (1 + a.demandGrowthPerYear) ** (s.day / DAYS_PER_YEAR) * s.aiDemandFactor;
  return totalMw * hostedShare(p, s.day);
}

/**
 * Share of AI demand that is hosted centrally on `day`: its share at the start changing by a
 * relative rate per year, `start * (1 + change)^years`, at most 1 (Galaxy Research, April 2026:
 * AI may decentralise to the edge). Absent fields mean all demand hosted, unchanging.
 */
export function hostedShare(p: Params, day: number): number {
  const a = p.config.ai;
  const start = a.hostedShareAtStart ?? 1;
  const change = a.hostedShareChangePerYear ?? 0;
  return Math.min(1, start * (1 + change) ** (day / DAYS_PER_YEAR));
}

export function aiCapacityFreeMw(p: Params, s: State): number {
  return s.aiDemandMw - s.aiUsedMw;
}

/** Draws this epoch's offers: eligible sites without a valid offer receive one with probability 1 - exp(-rate dt). */
export function drawAiOffers(p: Params, s: State, days: number, rng: Stream): void {
  const a = p.config.ai;
  s.aiDemandMw = aiDemandMw(p, s);
  const growth = a.demandMwAtStart > 0 ? s.aiDemandMw / a.demandMwAtStart : 0;
  const dt = days / DAYS_PER_YEAR;
  const N = s.opStatus.length;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== MINING || s.opSiteMw[o] < a.minSiteMw || s.opHostedUsdPerKwh[o] > 0) continue;
    if (s.opOfferLease[o] > 0 && s.opOfferExpires[o] >= s.epoch) continue;
    const rate = a.offerRatePerYear * p.config.regions[s.opRegion[o]].aiSuitability * growth;
    if (rng.uniform() < 1 - Math.exp(-rate * dt)) {
      s.opOfferLease[o] = rng.between(a.leaseUsdPerMwYear[0], a.leaseUsdPerMwYear[1]);
      s.opOfferExpires[o] = s.epoch + a.offerValidEpochs;
      // An offer is a reason to review now.
      s.opNextReview[o] = s.epoch;
    } else if (s.opOfferExpires[o] < s.epoch) {
      s.opOfferLease[o] = 0;
    }
  }
}
