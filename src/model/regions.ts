// Regions: mean-reverting power prices, random policy events and scripted events from the config.
import type { Params } from './params.ts';
import type { Stream } from './rng.ts';
import type { State } from './state.ts';
import { refreshRegionPrices } from './state.ts';
import { yearsOf } from './time.ts';

/** Initial regional state: prices at their means, caps and allocation status from the config. */
export function initRegions(p: Params, s: State): void {
  p.config.regions.forEach((r, i) => {
    s.regionLogPrice[i] = Math.log(r.powerPrice.meanUsdPerKwh);
    s.regionTariff[i] = 1;
    s.regionBanned[i] = 0;
    s.regionOpen[i] = r.allocationsOpen ? 1 : 0;
    s.regionCapMw[i] = r.capacityMw ?? Infinity;
  });
  refreshRegionPrices(s);
}

/**
 * Power prices follow an Ornstein-Uhlenbeck process in logs around ln(mean), with reversion
 * speed theta and volatility sigma per year (exact discretisation over `days`).
 */
export function stepPowerPrices(p: Params, s: State, days: number, rng: Stream): void {
  const dt = yearsOf(days);
  p.config.regions.forEach((r, i) => {
    const theta = r.powerPrice.reversionPerYear;
    const sigma = r.powerPrice.volatilityPerYear;
    const mu = Math.log(r.powerPrice.meanUsdPerKwh);
    const decay = Math.exp(-theta * dt);
    const sd = theta > 0 ? sigma * Math.sqrt((1 - decay * decay) / (2 * theta)) : sigma * Math.sqrt(dt);
    s.regionLogPrice[i] = mu + (s.regionLogPrice[i] - mu) * decay + sd * rng.normal();
  });
}

/** Random policy events: each kind arrives as a Poisson process with its yearly hazard. */
export function drawPolicyEvents(p: Params, s: State, days: number, rng: Stream): void {
  const dt = yearsOf(days);
  p.config.regions.forEach((r, i) => {
    const ban = rng.uniform() < 1 - Math.exp(-r.policy.banPerYear * dt);
    const hike = rng.uniform() < 1 - Math.exp(-r.policy.tariffHikePerYear * dt);
    const freeze = rng.uniform() < 1 - Math.exp(-r.policy.freezePerYear * dt);
    if (ban && !s.regionBanned[i]) {
      s.regionBanned[i] = 1;
      s.regionShock[i] = 1;
    }
    if (hike) {
      s.regionTariff[i] *= r.policy.tariffHikeFactor;
      s.regionShock[i] = 1;
    }
    if (freeze) s.regionOpen[i] = 0;
  });
}

/** Applies every scripted event dated on or before `day` that has not been applied yet. */
export function applyScriptedEvents(p: Params, s: State, day: number): void {
  while (s.nextEvent < p.events.length && p.events[s.nextEvent].day <= day) {
    const e = p.events[s.nextEvent++];
    switch (e.kind) {
      case 'ban':
        s.regionBanned[e.region] = 1;
        s.regionShock[e.region] = 1;
        break;
      case 'unban':
        s.regionBanned[e.region] = 0;
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
