// Scripted events from the config (MODEL.md 6): bans of a whole region or of a share of its load,
// with an optional end; outages that stop a share of a region's machines for some days; unbans,
// tariff changes, freezes, new allocations and AI demand jumps. An event applies from the first
// epoch that starts on or after its date.
import type { Params, ResolvedEvent } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { MINING } from './state.ts';

/** Applies every scripted event dated on or before `day` that has not been applied yet, after lifting region-wide bans that have ended. */
export function applyScriptedEvents(p: Params, s: State, day: number, rng: Stream): void {
  for (let r = 0; r < s.regionBanned.length; r++) {
    if (s.regionBanned[r] && s.regionBanEndDay[r] <= day) unban(s, r);
  }
  while (s.nextEvent < p.events.length && p.events[s.nextEvent].day <= day) {
    const e = p.events[s.nextEvent++];
    switch (e.kind) {
      case 'ban':
        if (e.value >= 1) {
          // The whole region: the end is the latest of the bans in force.
          s.regionBanEndDay[e.region] = s.regionBanned[e.region] ? Math.max(s.regionBanEndDay[e.region], e.endDay) : e.endDay;
          s.regionBanned[e.region] = 1;
          s.regionShock[e.region] = 1;
        } else {
          partialBan(s, e, rng);
        }
        break;
      case 'unban':
        unban(s, e.region);
        break;
      case 'outage':
        outage(s, e, rng);
        break;
      case 'tariff':
        s.regionTariff[e.region] *= e.value;
        s.regionShock[e.region] = 1;
        break;
      case 'freeze':
        s.regionOpen[e.region] = 0;
        break;
      case 'open':
        s.regionOpen[e.region] = 1;
        s.regionCapMw[e.region] += e.value;
        break;
      case 'ai_demand':
        s.aiDemandFactor *= e.value;
        break;
    }
  }
}

/** Lifts every ban in region r, of the whole region and of sites in it. */
function unban(s: State, r: number): void {
  s.regionBanned[r] = 0;
  s.regionBanEndDay[r] = Infinity;
  for (let o = 0; o < s.opRegion.length; o++) if (s.opRegion[o] === r && s.opBanEndDay[o] > 0) s.opBanEndDay[o] = 0;
}

/**
 * A share of the region's mining load at the event (MW of the sites of its mining operators) must
 * leave: operators picked in an order drawn from a stream forked from `policy` for this event (so no
 * later policy draw shifts) are banned until the end date.
 * Load already banned counts first. Each picked operator must decide without the option to stay
 * (decisions), its machines stop, and no entrant takes over its site while the ban lasts.
 */
function partialBan(s: State, e: ResolvedEvent, rng: Stream): void {
  const N = s.opStatus.length;
  const weight = new Float64Array(N);
  let loadMw = 0;
  let bannedMw = 0;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== MINING || s.opRegion[o] !== e.region) continue;
    loadMw += s.opSiteMw[o];
    if (s.opBanEndDay[o] > s.day) bannedMw += s.opSiteMw[o];
    else weight[o] = s.opSiteMw[o];
  }
  pickShare(weight, e.value * loadMw - bannedMw, rng.fork(`events/${e.index}`), (o) => {
    s.opBanEndDay[o] = e.endDay;
  });
}

/**
 * An outage stops a share of the region's running machines (by hashrate, as they ran in the last
 * epoch) until its end day: operators picked in an order drawn from a stream forked from `policy`
 * for this event have every
 * machine stopped. Nothing else changes: no decision is forced, and operations neither count the
 * stopped epochs as idle nor as a spell of negative cash.
 */
function outage(s: State, e: ResolvedEvent, rng: Stream): void {
  const N = s.opStatus.length;
  const K = s.coThs.length / N;
  const weight = new Float64Array(N);
  let total = 0;
  for (let o = 0; o < N; o++) {
    if (s.opStatus[o] !== MINING || s.opRegion[o] !== e.region || s.opOutEndDay[o] > s.day) continue;
    for (let k = 0; k < K; k++) if (s.coRunning[o * K + k]) weight[o] += s.coThs[o * K + k];
    total += weight[o];
  }
  pickShare(weight, e.value * total, rng.fork(`events/${e.index}`), (o) => {
    s.opOutEndDay[o] = e.endDay;
  });
}

/**
 * Picks entities with positive weight until their total is as close to `target` as the sizes allow:
 * in an order drawn from `rng` (a shuffle of the candidates in index order), each is taken if that
 * leaves the total no more than half its own weight above the target. The total then misses the
 * target by at most half the largest weight.
 */
export function pickShare(weight: Float64Array, target: number, rng: Stream, take: (i: number) => void): number {
  const candidates = new Int32Array(weight.length);
  let n = 0;
  for (let i = 0; i < weight.length; i++) if (weight[i] > 0) candidates[n++] = i;
  rng.shuffle(candidates, n);
  let total = 0;
  for (let j = 0; j < n; j++) {
    const i = candidates[j];
    if (total + weight[i] / 2 <= target) {
      total += weight[i];
      take(i);
    }
  }
  return total;
}
