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
const nonneg = z.number().min(0);
const pos = z.number().gt(0);
const count = z.number().int().min(0);
/** A uniform range [min, max] from which each operator or event draws its own value. */
const range = (inner: z.ZodNumber) =>
  z
    .tuple([inner, inner])
    .refine(([a, b]) => a <= b, 'expected [min, max] with min <= max');

export const regionSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case id such as "us"'),
  name: displayName,
  share: z.number().min(0).max(1).nullable(),
  powerPrice: z.strictObject({
    meanUsdPerKwh: pos,
    volatilityPerYear: nonneg,
    reversionPerYear: nonneg,
  }),
  pue: z.number().min(1).max(3),
  capacityMw: nonneg.nullable(),
  allocationsOpen: z.boolean(),
  aiSuitability: prob,
  importDuty: prob,
  hostingAvailable: z.boolean(),
  buildOutMwPerYear: nonneg,
  policy: z.strictObject({
    banPerYear: nonneg,
    tariffHikePerYear: nonneg,
    tariffHikeFactor: z.number().min(1),
    freezePerYear: nonneg,
  }),
});

export const asicSchema = z.strictObject({
  name: displayName,
  thsPerUnit: pos,
  jPerTh: pos,
  releaseDate: isoDate,
  listUsdPerTh: pos,
  kgPerUnit: pos,
});

const eventBase = { date: isoDate };
export const eventSchema = z.discriminatedUnion('kind', [
  // fraction and endDate are optional so that configs (and manifests) written before them stay
  // valid: absent means a ban of the whole region (1) with no end.
  z.strictObject({ ...eventBase, kind: z.literal('ban'), region: z.string(), fraction: prob.optional(), endDate: isoDate.optional() }),
  z.strictObject({ ...eventBase, kind: z.literal('unban'), region: z.string() }),
  z.strictObject({ ...eventBase, kind: z.literal('tariff'), region: z.string(), factor: pos }),
  z.strictObject({ ...eventBase, kind: z.literal('freeze'), region: z.string() }),
  z.strictObject({ ...eventBase, kind: z.literal('open'), region: z.string(), addCapacityMw: nonneg }),
  z.strictObject({ ...eventBase, kind: z.literal('ai_demand'), factor: pos }),
  z.strictObject({ ...eventBase, kind: z.literal('outage'), region: z.string(), days: pos, fraction: prob }),
]);

export const modelSchema = z.strictObject({
  start: z.strictObject({
    date: isoDate,
    height: count,
    difficulty: pos,
    hashrateGrowthPerYear: z.number(),
  }),
  horizon: z.strictObject({ endDate: isoDate }),
  protocol: z.strictObject({
    initialSubsidyBtc: pos,
    halvingIntervalBlocks: z.number().int().gt(0),
    blocksPerEpoch: z.number().int().gt(0),
    targetBlockSeconds: pos,
    retargetClamp: z.number().min(1),
    maxEpochLengthFactor: z.number().min(1),
  }),
  market: z.strictObject({
    price: z.strictObject({
      startUsd: pos,
      driftPerYear: z.number(),
      volatilityPerYear: nonneg,
      jumpsPerYear: nonneg,
      jumpMeanLog: z.number(),
      jumpSdLog: nonneg,
      pathCsv: z.string().nullable(),
    }),
    fees: z.strictObject({
      medianRatio: nonneg,
      sigmaLog: nonneg,
      spikeProbPerEpoch: prob,
      spikeMultiplier: z.number().min(1),
      capRatio: nonneg,
      /** optional so that configs (and manifests) written before it stay valid: absent means null */
      pathCsv: z.string().nullable().optional(),
    }),
  }),
  regions: z.array(regionSchema).min(1).max(250),
  concentration: z.strictObject({
    splitRegions: z.array(z.string()),
    splitPartShare: z.number().gt(0).max(1),
  }),
  events: z.array(eventSchema),
  asics: z.array(asicSchema).min(1),
  frontier: z.strictObject({
    improvementPerYear: z.number().min(0).lt(1),
    priceDeclinePerYear: z.number().min(0).lt(1),
  }),
  fleet: z.strictObject({
    mix: z
      .array(z.strictObject({ model: z.string(), hashrateShare: prob, ageYears: range(nonneg) }))
      .min(1),
    mixDispersionLog: nonneg,
    backlog: z.array(z.strictObject({ model: z.string(), ehs: nonneg, fromDate: isoDate, toDate: isoDate })),
    lifespanYears: pos,
    retireAfterIdleEpochs: z.number().int().min(1),
  }),
  operators: z.strictObject({
    count: z.number().int().min(1).max(10_000_000),
    sizeParetoAlpha: z.number().gt(1),
    maxOperatorEhs: pos,
    contractMultiplierSigmaLog: nonneg,
    cashDaysOfRevenue: nonneg,
    debtToHardwareRatio: nonneg,
    overheadUsdPerMwYear: nonneg,
    debtInterestPerYear: nonneg,
    debtAmortizationPerYear: nonneg,
    insolvencyGraceEpochs: z.number().int().min(0),
    hurdleRatePerYear: range(pos),
    riskAversion: range(nonneg),
    reviewIntervalEpochs: range(z.number().int().min(1)),
  }),
  decisions: z.strictObject({
    destinations: z.array(z.string()),
    horizonYears: pos,
    temperature: pos,
    valueScaleUsdPerMw: pos,
  }),
  expectations: z.strictObject({
    priceSmoothing: z.number().gt(0).max(1),
    feeSmoothing: z.number().gt(0).max(1),
    hashrateSmoothing: z.number().gt(0).max(1),
    hashrateGrowthSmoothing: z.number().gt(0).max(1),
    hashrateGrowthBoundsPerYear: range(z.number()),
    growthYears: nonneg,
    priceDriftPerYear: z.number(),
  }),
  operations: z.strictObject({
    restartMarginFraction: nonneg,
  }),
  relocation: z.strictObject({
    freightUsdPerKg: nonneg,
    breakage: range(prob),
    buildOutUsdPerMw: range(nonneg),
    hostingMarginUsdPerKwh: range(nonneg),
    hostingMaxSiteMw: nonneg,
    downtimeEpochsHosted: range(z.number().int().min(0)),
    downtimeEpochsBuild: range(z.number().int().min(0)),
    siteSaleUsdPerMw: nonneg,
  }),
  ai: z.strictObject({
    demandMwAtStart: nonneg,
    demandGrowthPerYear: z.number().gt(-1),
    offerRatePerYear: nonneg,
    minSiteMw: nonneg,
    leaseUsdPerMwYear: range(nonneg),
    leaseYears: range(pos),
    itLoadFraction: range(prob),
    operatingMargin: prob,
    capexUsdPerMwIt: range(nonneg),
    debtFraction: prob,
    leaseDiscountRatePerYear: nonneg,
    conversionEpochs: range(z.number().int().min(1)),
    offerValidEpochs: z.number().int().min(1),
    // Optional so that configs (and manifests) written before them stay valid: absent means all
    // AI demand is hosted (1) and the share does not change (0).
    hostedShareAtStart: prob.optional(),
    hostedShareChangePerYear: z.number().gt(-1).optional(),
  }),
  secondary: z.strictObject({
    resaleFraction: prob,
    buyerPowerUsdPerKwh: pos,
    buyerPue: z.number().min(1),
    buyerDiscountRatePerYear: nonneg,
    valuationYears: pos,
    fireSaleSlope: nonneg,
    maxDiscount: prob,
    unsoldScrapEpochs: z.number().int().min(1),
  }),
  entry: z.strictObject({
    sitesPerYear: nonneg,
    maxPaybackYears: pos,
  }),
  investment: z.strictObject({
    hurdleRatePerYear: pos,
    responsePerYear: nonneg,
    floorMw: nonneg,
    entrantShare: prob,
    entrantSiteMw: range(pos),
    buildEpochs: range(z.number().int().min(0)),
    buildOutUsdPerMw: range(nonneg),
    entrantSlots: z.number().int().min(0).max(10_000_000),
  }),
  renewal: z.strictObject({
    maxDebtYearsOfMargin: nonneg,
    cashReserveDays: nonneg,
    deliveryEpochs: range(z.number().int().min(0)),
    maxPaybackYears: pos,
  }),
});

export type ModelConfig = z.infer<typeof modelSchema>;
export type RegionConfig = z.infer<typeof regionSchema>;
export type EventConfig = z.infer<typeof eventSchema>;
export type AsicConfig = z.infer<typeof asicSchema>;
