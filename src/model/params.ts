// Resolves a validated model config into the flat, indexed form the simulation loops use.
// Pure: the price and fee paths, when the config names them, have already been read by the I/O layer.
import type { EventConfig, ModelConfig } from '../config/schema.ts';
import { DAYS_PER_YEAR, dayOf } from './time.ts';
import { annuity } from './economics.ts';

export interface PricePoint {
  date: string;
  priceUsd: number;
}

export interface FeePoint {
  date: string;
  /** fees as a ratio to the subsidy */
  feeRatio: number;
}

export interface ResolvedEvent {
  day: number;
  kind: EventConfig['kind'];
  region: number; // -1 for network-wide events (ai_demand)
  value: number; // factor or MW, by kind; for ban and outage, the share of the region they hit (0-1)
  /** position of the event in the config's `events` list */
  index: number;
  /** ban: the day it ends (Infinity without an end date); outage: the day the machines restart; else Infinity */
  endDay: number;
}

export interface Params {
  config: ModelConfig;
  regionIds: string[];
  regionIndex: Map<string, number>;
  /** starting share of each region (the remainder region already filled in) */
  initialShares: Float64Array;
  destinations: Int32Array;
  /** region indices split into parts for regional concentration */
  splitRegions: Uint8Array;
  events: ResolvedEvent[];
  /** replayed BTC price path as (day, price), sorted by day; null for the stochastic process */
  pricePath: { day: Float64Array; priceUsd: Float64Array } | null;
  /** replayed fee ratios as (day, ratio), sorted by day, a step function, with its integral from the first day at each row (ratio-days); null for the stochastic process */
  feePath: FeeStepPath | null;
  epochCount: number;
  nominalEpochDays: number;
  /** blocks a year at the target block time (protocol.targetBlockSeconds): the clock of the subsidy schedule in expectations */
  blocksPerYear: number;
  /** network hashrate at the start, TH/s: start.hashrateEhs, or else implied by start.difficulty */
  startHashrateThs: number;
  horizonDays: number;
  /** cohort slots per operator */
  cohortSlots: number;
  /** operator slots: the initial operators and the free slots that greenfield entrants take */
  operatorSlots: number;
  /** release day of each catalogue model (days since the start date), in config order */
  asicReleaseDays: Float64Array;
  /** machines ordered before the start (fleet.backlog): catalogue index, TH/s, delivery window in days since the start */
  backlog: { model: number; ths: number; fromDay: number; toDay: number }[];
  /** the last day of the backlog's delivery windows (days since the start; -Infinity without a backlog): manufacturers' order books are full until then */
  orderBookFullUntilDay: number;
  /** annuity(secondary.buyerDiscountRatePerYear, secondary.valuationYears): the resale annuity of every machine with at least that much life left */
  resaleFullAnnuityYears: number;
}

/** The number an event carries: a factor, MW, or the share of a region a ban (whole by default) or outage hits. */
function eventValue(e: EventConfig): number {
  switch (e.kind) {
    case 'tariff':
    case 'ai_demand':
      return e.factor;
    case 'open':
      return e.addCapacityMw;
    case 'ban':
      return e.fraction ?? 1;
    case 'outage':
      return e.fraction;
    default:
      return 0;
  }
}

/** Difficulty-implied hashrate in TH/s: H = D * 2^32 / T (Bitcoin Core's proof-of-work target). */
export function impliedHashrateThs(difficulty: number, targetBlockSeconds: number): number {
  return (difficulty * 4294967296) / targetBlockSeconds / 1e12;
}

/** A replayed fee path: the step function of its rows and its running integral. */
export interface FeeStepPath {
  day: Float64Array;
  feeRatio: Float64Array;
  /** integral of the step function from day[0] to day[i], ratio × days */
  integral: Float64Array;
}

export function feeStepPath(day: Float64Array, feeRatio: Float64Array): FeeStepPath {
  const integral = new Float64Array(day.length);
  for (let i = 1; i < day.length; i++) integral[i] = integral[i - 1] + feeRatio[i - 1] * (day[i] - day[i - 1]);
  return { day, feeRatio, integral };
}

export function resolveParams(config: ModelConfig, pricePath: PricePoint[] | null, feePath: FeePoint[] | null = null): Params {
  const regionIds = config.regions.map((r) => r.id);
  const regionIndex = new Map(regionIds.map((id, i) => [id, i]));
  const region = (id: string, what: string): number => {
    const i = regionIndex.get(id);
    if (i === undefined) throw new Error(`${what}: unknown region "${id}"`);
    return i;
  };
  const explicit = config.regions.reduce((s, r) => s + (r.share ?? 0), 0);
  const remainderCount = config.regions.filter((r) => r.share === null).length;
  const initialShares = Float64Array.from(config.regions, (r) =>
    r.share === null ? Math.max(0, 1 - explicit) / remainderCount : r.share,
  );
  const events: ResolvedEvent[] = config.events
    .map((e, index) => ({
      index,
      day: dayOf(e.date, config.start.date),
      kind: e.kind,
      region: e.kind === 'ai_demand' ? -1 : region(e.region, 'events'),
      value: eventValue(e),
      endDay: e.kind === 'ban' && e.endDate !== undefined ? dayOf(e.endDate, config.start.date) : e.kind === 'outage' ? dayOf(e.date, config.start.date) + e.days : Infinity,
    }))
    .sort((a, b) => a.day - b.day);
  const nominalEpochDays = (config.protocol.blocksPerEpoch * config.protocol.targetBlockSeconds) / 86400;
  const horizonDays = dayOf(config.horizon.endDate, config.start.date);
  const splitRegions = new Uint8Array(regionIds.length);
  for (const id of config.concentration.splitRegions) splitRegions[region(id, 'concentration.splitRegions')] = 1;
  return {
    config,
    regionIds,
    regionIndex,
    initialShares,
    destinations: Int32Array.from(config.decisions.destinations, (id) => region(id, 'decisions.destinations')),
    splitRegions,
    events,
    pricePath: pricePath
      ? {
          day: Float64Array.from(pricePath, (p) => dayOf(p.date, config.start.date)),
          priceUsd: Float64Array.from(pricePath, (p) => p.priceUsd),
        }
      : null,
    feePath: feePath ? feeStepPath(Float64Array.from(feePath, (f) => dayOf(f.date, config.start.date)), Float64Array.from(feePath, (f) => f.feeRatio)) : null,
    epochCount: Math.max(1, Math.ceil(horizonDays / nominalEpochDays)),
    nominalEpochDays,
    blocksPerYear: (86400 / config.protocol.targetBlockSeconds) * DAYS_PER_YEAR,
    startHashrateThs: config.start.hashrateEhs !== undefined ? config.start.hashrateEhs * 1e6 : impliedHashrateThs(config.start.difficulty, config.protocol.targetBlockSeconds),
    horizonDays,
    cohortSlots: Math.max(8, config.fleet.mix.length + 2),
    operatorSlots: config.operators.count + config.investment.entrantSlots,
    asicReleaseDays: Float64Array.from(config.asics, (m) => dayOf(m.releaseDate, config.start.date)),
    backlog: config.fleet.backlog.map((b) => {
      const model = config.asics.findIndex((m) => m.name === b.model);
      if (model < 0) throw new Error(`fleet.backlog: unknown ASIC model "${b.model}"`);
      return { model, ths: b.ehs * 1e6, fromDay: dayOf(b.fromDate, config.start.date), toDay: dayOf(b.toDate, config.start.date) };
    }),
    orderBookFullUntilDay: config.fleet.backlog.reduce((d, b) => Math.max(d, dayOf(b.toDate, config.start.date)), -Infinity),
    resaleFullAnnuityYears: annuity(config.secondary.buyerDiscountRatePerYear, config.secondary.valuationYears),
  };
}
