// Totals over one operator's cohort slots.
import type { Params } from './params.ts';
import type { State } from './state.ts';
import { megawatts } from './economics.ts';

/** Site MW the operator's whole fleet draws at cooling overhead `pue`. */
export function fleetMw(p: Params, s: State, o: number, pue: number): number {
  const K = p.cohortSlots;
  const coThs = s.coThs;
  const coJth = s.coJth;
  let mw = 0;
  for (let k = 0; k < K; k++) mw += megawatts(coThs[o * K + k], coJth[o * K + k], pue);
  return mw;
}

/** Shipping weight of the operator's whole fleet, kg. */
export function fleetKg(p: Params, s: State, o: number): number {
  const K = p.cohortSlots;
  const coThs = s.coThs;
  const coKgPerTh = s.coKgPerTh;
  let kg = 0;
  for (let k = 0; k < K; k++) kg += coThs[o * K + k] * coKgPerTh[o * K + k];
  return kg;
}
