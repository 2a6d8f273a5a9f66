// The scenario configuration: every number the model uses, validated at the boundary.
// Units are in the field names; docs/CONFIG.md gives each field's meaning, default and source.
import { z } from 'zod';
import { isCalendarDate } from './calendar-date.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD')
  .refine(isCalendarDate, 'expected a date that exists in the calendar');
/** A name shown in messages, figures and CSV cells: printable, at most 100 characters. */
const displayName = z
  .string()
  .min(1)
  .max(100, 'expected at most 100 characters')
  .regex(/^[^\u0000-\u001f\u007f-\u009f]+$/, 'expected printable characters (no control characters such as a newline or an escape)');
const prob = z.number().min(0).max(1);
/** A number in [min, max]. */
const within = (min: number, max: number) => z.number().min(min).max(max);
/** A number in (min, max]. */
const above = (min: number, max: number) => z.number().gt(min).max(max);
/** An integer in [min, max]. */
const int = (min: number, max: number) => z.number().int().min(min).max(max);

// Physical bounds. Every number of the model has a range that a real scenario stays far inside; a
// value beyond it is a typo or a unit mistake (and the arithmetic of the model is not built for it:
// 1e308 overflows, 1e-300 underflows). Each bound is documented in docs/CONFIG.md (Type / range)
// and in the field's description in docs/config.schema.json.
/** MW of a region, a site or a demand: 10 TW, several times the world's average electricity load. */
export const MAX_MW = 1e7;
/** USD per MW (build-out, capex, sale) or per MW-year (overhead, lease). */
export const MAX_USD_PER_MW = 1e9;
/** A hazard or event rate per year: at most once a day. */
export const MAX_RATE_PER_YEAR = 365;
/** An interest, discount, growth or drift rate per year (10 is 1,000%). */
export const MAX_FINANCE_RATE_PER_YEAR = 10;
/** A volatility or the standard deviation of a logarithm. */
export const MAX_SIGMA_LOG = 5;
/** A duration in years (a life, a horizon, a lease, a payback). */
export const MAX_YEARS = 100;
/** A duration in epochs: MAX_EPOCHS in load.ts, the most epochs a run may have. */
export const MAX_EPOCH_SPAN = 10_000;
/** A duration in days: 100 years. */
export const MAX_DAYS = 36_525;
/** A power price, USD per kWh. */
export const MAX_USD_PER_KWH = 10;
/** A multiplying factor (tariff, clamp, spike). */
export const MAX_FACTOR = 1000;
/** The first and last dates a run may start or end: the genesis block, and a date 10,000 epochs of 14 days cannot pass. */
export const FIRST_DATE = '2009-01-03';
export const LAST_DATE = '2399-12-31';

const nonneg = (max: number) => within(0, max);
const pos = (max: number) => above(0, max);
const epochs = (min: number) => int(min, MAX_EPOCH_SPAN);
const runDate = isoDate.refine((d) => d >= FIRST_DATE && d <= LAST_DATE, `expected a date from ${FIRST_DATE} (the genesis block) to ${LAST_DATE}`);
/** A uniform range [min, max] from which each operator or event draws its own value. */
const range = (inner: z.ZodNumber) =>
  z
    .tuple([inner, inner])
    .refine(([a, b]) => a <= b, 'expected [min, max] with min <= max');

export const regionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case id such as "us"'),
  name: displayName,
  share: prob.nullable(),
  powerPrice: z.strictObject({
    meanUsdPerKwh: pos(MAX_USD_PER_KWH),
    volatilityPerYear: nonneg(MAX_SIGMA_LOG),
    reversionPerYear: nonneg(MAX_RATE_PER_YEAR),
  }),
  pue: z.number().min(1).max(3),
  capacityMw: nonneg(MAX_MW).nullable(),
  allocationsOpen: z.boolean(),
  aiSuitability: prob,
  importDuty: prob,
  hostingAvailable: z.boolean(),
  buildOutMwPerYear: nonneg(MAX_MW),
  policy: z.strictObject({
    banPerYear: nonneg(MAX_RATE_PER_YEAR),
    tariffHikePerYear: nonneg(MAX_RATE_PER_YEAR),
    tariffHikeFactor: within(1, MAX_FACTOR),
    freezePerYear: nonneg(MAX_RATE_PER_YEAR),
  }),
});

export const asicSchema = z.strictObject({
  name: displayName,
  thsPerUnit: within(0.001, 1e6),
  jPerTh: within(0.01, 1e6),
  releaseDate: isoDate,
  listUsdPerTh: within(0.001, 1e6),
  kgPerUnit: within(0.001, 1e4),
});

const eventBase = { date: isoDate };
export const eventSchema = z.discriminatedUnion('kind', [
  // fraction and endDate are optional so that configs (and manifests) written before them stay
  // valid: absent means a ban of the whole region (1) with no end.
  z.strictObject({ ...eventBase, kind: z.literal('ban'), region: z.string(), fraction: prob.optional(), endDate: isoDate.optional() }),
  z.strictObject({ ...eventBase, kind: z.literal('unban'), region: z.string() }),
  z.strictObject({ ...eventBase, kind: z.literal('tariff'), region: z.string(), factor: within(1 / MAX_FACTOR, MAX_FACTOR) }),
  z.strictObject({ ...eventBase, kind: z.literal('freeze'), region: z.string() }),
  z.strictObject({ ...eventBase, kind: z.literal('open'), region: z.string(), addCapacityMw: nonneg(MAX_MW) }),
  z.strictObject({ ...eventBase, kind: z.literal('ai_demand'), factor: within(1 / MAX_FACTOR, MAX_FACTOR) }),
  z.strictObject({ ...eventBase, kind: z.literal('outage'), region: z.string(), days: pos(MAX_DAYS), fraction: prob }),
]);

export const modelSchema = z.strictObject({
  start: z.strictObject({
    date: runDate,
    height: int(0, 1e8),
    difficulty: within(1, 1e18),
    hashrateEhs: pos(1e9).optional(),
    hashrateGrowthPerYear: within(-MAX_SIGMA_LOG, MAX_SIGMA_LOG),
  }),
  horizon: z.strictObject({ endDate: runDate }),
  protocol: z.strictObject({
    initialSubsidyBtc: pos(1000),
    halvingIntervalBlocks: int(1, 1e8),
    blocksPerEpoch: int(1, 1e6),
    targetBlockSeconds: within(1, 86_400),
    retargetClamp: within(1, 100),
    maxEpochLengthFactor: within(1, 100),
  }),
  market: z.strictObject({
    price: z.strictObject({
      startUsd: pos(1e9),
      driftPerYear: within(-MAX_SIGMA_LOG, MAX_SIGMA_LOG),
      volatilityPerYear: nonneg(MAX_SIGMA_LOG),
      jumpsPerYear: nonneg(MAX_RATE_PER_YEAR),
      jumpMeanLog: within(-MAX_SIGMA_LOG, MAX_SIGMA_LOG),
      jumpSdLog: nonneg(MAX_SIGMA_LOG),
      pathCsv: z.string().nullable(),
    }),
    fees: z.strictObject({
      medianRatio: nonneg(100),
      sigmaLog: nonneg(MAX_SIGMA_LOG),
      spikeProbPerEpoch: prob,
      spikeMultiplier: within(1, MAX_FACTOR),
      capRatio: nonneg(100),
      /** optional so that configs (and manifests) written before it stay valid: absent means null */
      pathCsv: z.string().nullable().optional(),
    }),
  }),
  regions: z.array(regionSchema).min(1).max(250),
  concentration: z.strictObject({
    splitRegions: z.array(z.string()),
    splitPartShare: within(0.0001, 1),
  }),
  events: z.array(eventSchema).max(10_000),
  asics: z.array(asicSchema).min(1).max(1000),
  frontier: z.strictObject({
    improvementPerYear: z.number().min(0).lt(1),
    priceDeclinePerYear: z.number().min(0).lt(1),
    onSaleYears: z.number().min(0).max(100).optional(),
  }),
  fleet: z.strictObject({
    mix: z
      .array(z.strictObject({ model: z.string(), hashrateShare: prob, ageYears: range(nonneg(MAX_YEARS)) }))
      .min(1)
      .max(1000),
    mixDispersionLog: nonneg(MAX_SIGMA_LOG),
    backlog: z.array(z.strictObject({ model: z.string(), ehs: nonneg(1e6), fromDate: isoDate, toDate: isoDate })).max(1000),
    lifespanYears: pos(MAX_YEARS),
    retireAfterIdleEpochs: epochs(1),
  }),
  operators: z.strictObject({
    count: z.number().int().min(1).max(10_000_000),
    sizeParetoAlpha: above(1, 100),
    maxOperatorEhs: pos(1e6),
    contractMultiplierSigmaLog: nonneg(MAX_SIGMA_LOG),
    cashDaysOfRevenue: nonneg(MAX_DAYS),
    debtToHardwareRatio: nonneg(100),
    overheadUsdPerMwYear: nonneg(MAX_USD_PER_MW),
    debtInterestPerYear: nonneg(MAX_FINANCE_RATE_PER_YEAR),
    debtAmortizationPerYear: nonneg(MAX_RATE_PER_YEAR),
    insolvencyGraceEpochs: epochs(0),
    hurdleRatePerYear: range(pos(MAX_FINANCE_RATE_PER_YEAR)),
    riskAversion: range(nonneg(100)),
    reviewIntervalEpochs: range(epochs(1)),
  }),
  decisions: z.strictObject({
    destinations: z.array(z.string()),
    horizonYears: pos(MAX_YEARS),
    temperature: within(1e-6, 1e6),
    valueScaleUsdPerMw: within(1, MAX_USD_PER_MW),
  }),
  expectations: z.strictObject({
    priceSmoothing: z.number().gt(0).max(1),
    feeSmoothing: z.number().gt(0).max(1),
    hashrateSmoothing: z.number().gt(0).max(1),
    hashrateGrowthSmoothing: z.number().gt(0).max(1),
    hashrateGrowthBoundsPerYear: range(within(-MAX_SIGMA_LOG, MAX_SIGMA_LOG)),
    growthYears: nonneg(MAX_YEARS),
    priceDriftPerYear: within(-MAX_SIGMA_LOG, MAX_SIGMA_LOG),
  }),
  operations: z.strictObject({
    restartMarginFraction: nonneg(10),
  }),
  relocation: z.strictObject({
    freightUsdPerKg: nonneg(1e4),
    breakage: range(prob),
    buildOutUsdPerMw: range(nonneg(MAX_USD_PER_MW)),
    hostingMarginUsdPerKwh: range(nonneg(MAX_USD_PER_KWH)),
    hostingMaxSiteMw: nonneg(MAX_MW),
    downtimeEpochsHosted: range(epochs(0)),
    downtimeEpochsBuild: range(epochs(0)),
    siteSaleUsdPerMw: nonneg(MAX_USD_PER_MW),
  }),
  ai: z.strictObject({
    demandMwAtStart: nonneg(MAX_MW),
    demandGrowthPerYear: above(-1, MAX_FINANCE_RATE_PER_YEAR),
    offerRatePerYear: nonneg(MAX_RATE_PER_YEAR),
    minSiteMw: nonneg(MAX_MW),
    leaseUsdPerMwYear: range(nonneg(MAX_USD_PER_MW)),
    leaseYears: range(pos(MAX_YEARS)),
    itLoadFraction: range(prob),
    operatingMargin: prob,
    capexUsdPerMwIt: range(nonneg(MAX_USD_PER_MW)),
    debtFraction: prob,
    leaseDiscountRatePerYear: nonneg(MAX_FINANCE_RATE_PER_YEAR),
    conversionEpochs: range(epochs(1)),
    offerValidEpochs: epochs(1),
    // Optional so that configs (and manifests) written before them stay valid: absent means all
    // AI demand is hosted (1) and the share does not change (0).
    hostedShareAtStart: prob.optional(),
    hostedShareChangePerYear: above(-1, MAX_FINANCE_RATE_PER_YEAR).optional(),
  }),
  secondary: z.strictObject({
    resaleFraction: prob,
    buyerPowerUsdPerKwh: pos(MAX_USD_PER_KWH),
    buyerPue: within(1, 3),
    buyerDiscountRatePerYear: nonneg(MAX_FINANCE_RATE_PER_YEAR),
    valuationYears: pos(MAX_YEARS),
    fireSaleSlope: nonneg(1e4),
    maxDiscount: prob,
    unsoldScrapEpochs: epochs(1),
  }),
  entry: z.strictObject({
    sitesPerYear: nonneg(MAX_RATE_PER_YEAR),
    maxPaybackYears: pos(MAX_YEARS),
  }),
  investment: z.strictObject({
    hurdleRatePerYear: pos(MAX_FINANCE_RATE_PER_YEAR),
    responsePerYear: nonneg(1e4),
    floorMw: nonneg(MAX_MW),
    entrantShare: prob,
    entrantSiteMw: range(pos(MAX_MW)),
    buildEpochs: range(epochs(0)),
    buildOutUsdPerMw: range(nonneg(MAX_USD_PER_MW)),
    entrantSlots: z.number().int().min(0).max(10_000_000),
  }),
  renewal: z.strictObject({
    maxDebtYearsOfMargin: nonneg(MAX_YEARS),
    cashReserveDays: nonneg(MAX_DAYS),
    deliveryEpochs: range(epochs(0)),
    maxPaybackYears: pos(MAX_YEARS),
  }),
});

export type ModelConfig = z.infer<typeof modelSchema>;
export type RegionConfig = z.infer<typeof regionSchema>;
export type EventConfig = z.infer<typeof eventSchema>;
export type AsicConfig = z.infer<typeof asicSchema>;
