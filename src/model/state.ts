// The model's state: one network, R regions, N operators with K cohort slots each, and the lots
// on the secondary market. Typed arrays allocated once; entities are integer indices.

// Operator status codes (opStatus)
export const MINING = 0; // running machines at its site
export const TRANSIT = 1; // machines on their way to a new region
export const AI = 2; // site converting to, or hosting, AI workloads
/**
 * Capitulated: fleet sold, out of the model. An exited operator has no machines and none of its
 * cohorts runs (coThs <= 0 and coRunning 0 in all its slots): it sells its fleet on exit (listFleet
 * stops what it sells; an AI site sold its fleet when it pivoted), only operations start a cohort,
 * and nothing adds machines to an exited operator before an entrant takes its slot. Loops over
 * cohorts skip exited operators on this ground (test/model/invariants.test.ts checks it).
 */
export const EXITED = 3;

export interface State {
  epoch: number;
  /** days elapsed since the start date at the beginning of this epoch */
  day: number;
  /** length of the last completed epoch, days */
  lastEpochDays: number;
  height: number;
  difficulty: number;
  priceUsd: number;
  feeRatio: number;
  /** average block subsidy over the current epoch's blocks, BTC */
  subsidyBtc: number;
  hashpriceUsdPerPhDay: number;
  /** expected hashprice over the renewal payback horizon at the start, the reference for ASIC prices ($/PH/day) */
  startHashpriceUsdPerPhDay: number;
  /** hashrate actually running this epoch, TH/s */
  runningThs: number;
  /** factor on AI demand from scripted events */
  aiDemandFactor: number;
  /** AI-hosting demand open to converted mining sites this epoch, MW of IT load */
  aiDemandMw: number;
  /** MW of IT load at sites converting to or hosting AI */
  aiUsedMw: number;
  /** index into the sorted scripted events: the next one not yet applied */
  nextEvent: number;
  /** last whole day of the market's daily grid drawn so far (price and fee shocks, MODEL.md 7.1) */
  marketDay: number;
  /** stochastic BTC price at the end of grid day `marketDay`, USD */
  marketPriceUsd: number;
  /** fee ratio drawn for grid day `marketDay` */
  marketFeeRatio: number;
  // Expectations shared by every operator (expectations.ts)
  /** smoothed log BTC price, ln(USD) */
  expLogPrice: number;
  /** smoothed fee ratio to subsidy */
  expFeeRatio: number;
  /** smoothed growth rate of network hashrate, per year (continuous) */
  expGrowthPerYear: number;
  /** network hashrate the expectations start from (the last epoch's running hashrate), TH/s */
  expHashrateThs: number;
  /** machines ordered and not yet delivered (the pipeline every operator knows of), TH/s */
  pipelineThs: number;
  /** the network miners expect, running and on its way, smoothed in logs: its change is the growth they observe, TH/s */
  expNetworkThs: number;
  /** hashrate-weighted mean time to delivery of the machines on their way, years (expectations.ts) */
  pipelineLeadYears: number;
  /** mean expected hashprice over the renewal payback horizon, $/PH/day (set once per epoch) */
  expHashpriceRenewal: number;
  /** mean expected hashprice over the secondary market's valuation horizon, $/PH/day (set once per epoch) */
  expHashpriceResale: number;
  /**
   * Numbers the valuations of an epoch share (expectations.ts VALUATION_MEMO): the last expected
   * revenue per BTC of subsidy with its inputs, the last exponentials of subsidyPv's levels with
   * their exponents. NaN: none yet.
   */
  valuationMemo: Float64Array;
  /** revenuePvPerTh's discountedYearsAfter record (expectations.ts), started afresh by each call */
  revenueLastExp: Float64Array;
  /** freeSlot's scratch (renewal.ts), rewritten by each call: the indices of one operator's delivered cohort slots */
  slotDelivered: Int32Array;
  /** freeSlot's scratch: the indices of one operator's cohort slots on their way */
  slotOnWay: Int32Array;
  /** scratch of pipelineSums (expectations.ts): the TH/s on their way and their TH/s-epochs to delivery */
  pipelineSums: Float64Array;

  // Regions (R)
  /** log of the regional mining power price before tariffs, ln($/kWh) */
  regionLogPrice: Float64Array;
  /** cumulative tariff factor from hikes and scripted tariff changes */
  regionTariff: Float64Array;
  /** exp(regionLogPrice) × regionTariff, $/kWh: refreshed whenever either changes (refreshRegionPrices) */
  regionPriceUsdPerKwh: Float64Array;
  /** 1 while mining is banned in the whole region */
  regionBanned: Uint8Array;
  /** day a region-wide ban ends (Infinity when it has no end date) */
  regionBanEndDay: Float64Array;
  /** 1 while the region accepts new mining allocations (relocations and expansion) */
  regionOpen: Uint8Array;
  /** mining capacity cap, MW (Infinity when uncapped) */
  regionCapMw: Float64Array;
  /** MW of mining sites in the region or in transit to it, recomputed each epoch */
  regionUsedMw: Float64Array;
  /** MW the region may still add this epoch at its build-out pace (relocations in and new capacity) */
  regionGrowthRoomMw: Float64Array;
  /** MW of new mining sites ordered in the region but not yet given to an entrant (carried to the next epoch) */
  regionEntrantCarryMw: Float64Array;
  /** MW of new mining capacity ordered in the region this epoch (investment.ts) */
  regionInvestedMw: Float64Array;
  /** 1 in the epoch a policy event hit the region (forces its operators to review) */
  regionShock: Uint8Array;

  // Operators (N)
  opRegion: Int32Array; // region index
  opStatus: Uint8Array; // MINING, TRANSIT, AI or EXITED
  opSiteMw: Float64Array; // site capacity for mining incl. cooling, MW
  opContract: Float64Array; // power contract multiplier on the regional price
  opHostedUsdPerKwh: Float64Array; // all-in hosting rate, $/kWh (0 = own site)
  opCashUsd: Float64Array; // cash, USD
  opDebtUsd: Float64Array; // debt, USD
  opHurdle: Float64Array; // hurdle (discount) rate, per year
  opRiskAversion: Float64Array; // weight on switching costs as a risk cost
  opReviewEpochs: Int32Array; // review interval, epochs
  opNextReview: Int32Array; // epoch of the next scheduled review
  opNegativeEpochs: Int32Array; // consecutive epochs with negative cash
  opArriveEpoch: Int32Array; // epoch when machines in transit arrive
  opDest: Int32Array; // destination region of machines in transit
  opDestSiteMw: Float64Array; // site MW at the destination, reserved there while in transit
  opExitSiteMw: Float64Array; // MW of the site an exited operator left behind, for an entrant to take over
  opMarginUsdPerDay: Float64Array; // operating margin of the last epoch, USD/day
  opOfferLease: Float64Array; // AI lease offer in hand, $/MW-IT/yr (0 = none)
  opUpgrading: Uint8Array; // 1 while replacements ordered by an upgrade may still arrive (renewal.ts makeRoom)
  opOfferExpires: Int32Array; // last epoch the offer is valid
  opAiMw: Float64Array; // MW of IT load converting or hosting AI
  opAiLease: Float64Array; // AI lease, $/MW-IT/yr
  opAiReadyEpoch: Int32Array; // epoch the AI conversion completes
  opAiEndDay: Float64Array; // day the AI lease ends (the site then leaves AI and the model)
  opBanEndDay: Float64Array; // a partial ban holds the operator's site until this day (0 = not banned, Infinity = no end)
  opOutEndDay: Float64Array; // an outage stops the operator's machines until this day (0 = none)

  // Cohorts (N * K): slot k of operator i is at i * K + k
  coThs: Float64Array; // hashrate installed, TH/s (0 = empty slot)
  coJth: Float64Array; // efficiency, J/TH
  coKgPerTh: Float64Array; // shipping weight, kg per TH/s
  coBirthDay: Float64Array; // day the machines were made (negative before the start)
  coReadyEpoch: Int32Array; // epoch from which the cohort is delivered and can run
  coIdleEpochs: Int32Array; // consecutive epochs shut in
  coRunning: Uint8Array; // 1 if the cohort runs this epoch

  // Secondary market lots (L, a ring of fixed size)
  lotThs: Float64Array;
  lotJth: Float64Array;
  lotKgPerTh: Float64Array;
  lotBirthDay: Float64Array;
  lotUsdPerTh: Float64Array;
  lotListedEpoch: Int32Array;
  lotReadyEpoch: Int32Array; // the epoch its machines hash from (later than now for orders sold before delivery)
  lotClass: Int32Array; // its efficiency class (secondary.ts addToLot)
  lotCursor: number; // where addToLot's search for a free slot starts (after the last slot it took)
  lotsListedEpoch: number; // the epoch of lotsByClass
  lotsByClass: Map<number, number[]>; // the lots made in that epoch, by efficiency class, in the order made

  // This epoch's listings by sellers (capitulations, pivots), priced once the epoch's volume is known
  listCount: number;
  listSeller: Int32Array;
  listThs: Float64Array;
  listJth: Float64Array;
  listKgPerTh: Float64Array;
  listBirthDay: Float64Array;
  listReadyEpoch: Int32Array;

  // Counters of the current epoch, read by observation
  capitulations: number;
  entries: number;
  /** insolvent operators kept as going concerns by their creditors (decisions.ts reorganise) */
  reorganisations: number;
  capitulatedThs: number;
  aiPivots: number;
  aiMwNew: number;
  relocationsTo: Float64Array; // per region (destination)
  relocatedThsTo: Float64Array;
  relocationsFrom: Float64Array; // per region (origin)
  soldThs: number;
  saleDiscount: number;
  boughtUsedThs: number;
  boughtNewThs: number;
  retiredThs: number;
}

export const LOT_SLOTS = 256;

export function allocateState(regions: number, operators: number, slots: number): State {
  const n = operators;
  const nk = operators * slots;
  const s: State = {
    epoch: 0,
    day: FRACTIONAL,
    lastEpochDays: FRACTIONAL,
    height: 0,
    difficulty: FRACTIONAL,
    priceUsd: FRACTIONAL,
    feeRatio: FRACTIONAL,
    subsidyBtc: FRACTIONAL,
    hashpriceUsdPerPhDay: FRACTIONAL,
    startHashpriceUsdPerPhDay: FRACTIONAL,
    runningThs: FRACTIONAL,
    aiDemandFactor: FRACTIONAL,
    aiDemandMw: FRACTIONAL,
    aiUsedMw: FRACTIONAL,
    nextEvent: 0,
    marketDay: 0,
    marketPriceUsd: FRACTIONAL,
    marketFeeRatio: FRACTIONAL,
    expLogPrice: FRACTIONAL,
    expFeeRatio: FRACTIONAL,
    expGrowthPerYear: FRACTIONAL,
    expHashrateThs: FRACTIONAL,
    pipelineThs: FRACTIONAL,
    expNetworkThs: FRACTIONAL,
    pipelineLeadYears: FRACTIONAL,
    expHashpriceRenewal: FRACTIONAL,
    expHashpriceResale: FRACTIONAL,
    valuationMemo: new Float64Array(9).fill(NaN),
    revenueLastExp: new Float64Array(2),
    slotDelivered: new Int32Array(slots),
    slotOnWay: new Int32Array(slots),
    pipelineSums: new Float64Array(2),
    regionLogPrice: new Float64Array(regions),
    regionTariff: new Float64Array(regions).fill(1),
    regionPriceUsdPerKwh: new Float64Array(regions),
    regionBanned: new Uint8Array(regions),
    regionBanEndDay: new Float64Array(regions).fill(Infinity),
    regionOpen: new Uint8Array(regions),
    regionCapMw: new Float64Array(regions),
    regionUsedMw: new Float64Array(regions),
    regionShock: new Uint8Array(regions),
    regionGrowthRoomMw: new Float64Array(regions),
    regionEntrantCarryMw: new Float64Array(regions),
    regionInvestedMw: new Float64Array(regions),
    opRegion: new Int32Array(n),
    opStatus: new Uint8Array(n),
    opSiteMw: new Float64Array(n),
    opContract: new Float64Array(n),
    opHostedUsdPerKwh: new Float64Array(n),
    opCashUsd: new Float64Array(n),
    opDebtUsd: new Float64Array(n),
    opHurdle: new Float64Array(n),
    opRiskAversion: new Float64Array(n),
    opReviewEpochs: new Int32Array(n),
    opNextReview: new Int32Array(n),
    opNegativeEpochs: new Int32Array(n),
    opArriveEpoch: new Int32Array(n),
    opDest: new Int32Array(n),
    opDestSiteMw: new Float64Array(n),
    opExitSiteMw: new Float64Array(n),
    opMarginUsdPerDay: new Float64Array(n),
    opOfferLease: new Float64Array(n),
    opUpgrading: new Uint8Array(n),
    opOfferExpires: new Int32Array(n),
    opAiMw: new Float64Array(n),
    opAiLease: new Float64Array(n),
    opAiReadyEpoch: new Int32Array(n),
    opAiEndDay: new Float64Array(n),
    opBanEndDay: new Float64Array(n),
    opOutEndDay: new Float64Array(n),
    coThs: new Float64Array(nk),
    coJth: new Float64Array(nk),
    coKgPerTh: new Float64Array(nk),
    coBirthDay: new Float64Array(nk),
    coReadyEpoch: new Int32Array(nk),
    coIdleEpochs: new Int32Array(nk),
    coRunning: new Uint8Array(nk),
    lotThs: new Float64Array(LOT_SLOTS),
    lotJth: new Float64Array(LOT_SLOTS),
    lotKgPerTh: new Float64Array(LOT_SLOTS),
    lotBirthDay: new Float64Array(LOT_SLOTS),
    lotUsdPerTh: new Float64Array(LOT_SLOTS),
    lotListedEpoch: new Int32Array(LOT_SLOTS),
    lotReadyEpoch: new Int32Array(LOT_SLOTS),
    lotClass: new Int32Array(LOT_SLOTS),
    lotCursor: 0,
    lotsListedEpoch: -1,
    lotsByClass: new Map(),
    listCount: 0,
    listSeller: new Int32Array(2 * nk),
    listThs: new Float64Array(2 * nk),
    listJth: new Float64Array(2 * nk),
    listKgPerTh: new Float64Array(2 * nk),
    listBirthDay: new Float64Array(2 * nk),
    listReadyEpoch: new Int32Array(2 * nk),
    capitulations: 0,
    reorganisations: 0,
    entries: 0,
    capitulatedThs: FRACTIONAL,
    aiPivots: 0,
    aiMwNew: FRACTIONAL,
    relocationsTo: new Float64Array(regions),
    relocatedThsTo: new Float64Array(regions),
    relocationsFrom: new Float64Array(regions),
    soldThs: FRACTIONAL,
    saleDiscount: FRACTIONAL,
    boughtUsedThs: FRACTIONAL,
    boughtNewThs: FRACTIONAL,
    retiredThs: FRACTIONAL,
  };
  for (const key of FRACTIONAL_FIELDS) s[key] = 0;
  s.aiDemandFactor = 1;
  return s;
}

/**
 * Scalar fields that hold fractional numbers. V8 lays out an object's field by the first value
 * stored in it: a whole number makes an integer field, which is widened the first time it holds a
 * fraction, and every function already optimised against the state's layout is then thrown away
 * (slow first epochs of every run). These fields are therefore created with a fraction
 * (FRACTIONAL) and only then set to their starting values.
 */
const FRACTIONAL = 0.5;
const FRACTIONAL_FIELDS = [
  'day',
  'lastEpochDays',
  'difficulty',
  'priceUsd',
  'feeRatio',
  'subsidyBtc',
  'hashpriceUsdPerPhDay',
  'startHashpriceUsdPerPhDay',
  'runningThs',
  'aiDemandFactor',
  'aiDemandMw',
  'aiUsedMw',
  'marketPriceUsd',
  'marketFeeRatio',
  'expLogPrice',
  'expFeeRatio',
  'expGrowthPerYear',
  'expHashrateThs',
  'pipelineThs',
  'expNetworkThs',
  'pipelineLeadYears',
  'expHashpriceRenewal',
  'expHashpriceResale',
  'capitulatedThs',
  'aiMwNew',
  'soldThs',
  'saleDiscount',
  'boughtUsedThs',
  'boughtNewThs',
  'retiredThs',
] as const satisfies readonly (keyof State)[];

/** Recomputes each region's mining power price after its log price or tariff changed. */
export function refreshRegionPrices(s: State): void {
  for (let r = 0; r < s.regionLogPrice.length; r++) s.regionPriceUsdPerKwh[r] = Math.exp(s.regionLogPrice[r]) * s.regionTariff[r];
}

/** Mining power price in a region, $/kWh (before PUE and the operator's contract). */
export function regionPowerUsdPerKwh(s: State, r: number): number {
  return s.regionPriceUsdPerKwh[r];
}

/**
 * True while operator o may not mine where it is: its whole region is banned, or a partial ban
 * picked its site (MODEL.md 6). Such an operator must decide, without the option to stay.
 */
export function operatorBanned(s: State, o: number): boolean {
  return s.regionBanned[s.opRegion[o]] === 1 || s.opBanEndDay[o] > s.day;
}

/** True while an outage stops operator o's machines (they earn nothing and draw no power). */
export function operatorOut(s: State, o: number): boolean {
  return s.opOutEndDay[o] > s.day;
}
