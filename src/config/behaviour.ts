// Which fields of an experiment describe how operators behave, as opposed to the world they act in.
// A historical episode (configs/history/) may change the world (dates, prices, fleet, regions,
// events, protocol) but must keep every behavioural field at the baseline's value, so that one set
// of behavioural parameters is scored against every episode. docs/CONFIG.md lists these paths.
import { isDeepStrictEqual } from 'node:util';
import { getPath } from './paths.ts';

/** Dotted paths (from the top of an experiment) of the behavioural fields, grouped by section. */
export const BEHAVIOURAL_PATHS = [
  // how operators value and decide
  'model.operators.hurdleRatePerYear',
  'model.operators.riskAversion',
  'model.operators.reviewIntervalEpochs',
  'model.operators.insolvencyGraceEpochs',
  'model.decisions.horizonYears',
  'model.decisions.temperature',
  'model.decisions.valueScaleUsdPerMw',
  // expectations and shut-in
  'model.expectations.priceSmoothing',
  'model.expectations.feeSmoothing',
  'model.expectations.hashrateSmoothing',
  'model.expectations.hashrateGrowthSmoothing',
  'model.expectations.hashrateGrowthBoundsPerYear',
  'model.expectations.growthYears',
  'model.expectations.priceDriftPerYear',
  'model.operations.restartMarginFraction',
  // investment and entry rules
  'model.investment.hurdleRatePerYear',
  'model.investment.responsePerYear',
  'model.investment.floorMw',
  'model.investment.entrantShare',
  'model.investment.buildEpochs',
  // reinvestment, payback and leverage rules
  'model.renewal.maxDebtYearsOfMargin',
  'model.renewal.cashReserveDays',
  'model.renewal.maxPaybackYears',
  'model.fleet.retireAfterIdleEpochs',
  // entry rules
  'model.entry.sitesPerYear',
  'model.entry.maxPaybackYears',
  // secondary-market valuation rules
  'model.secondary.resaleFraction',
  'model.secondary.buyerDiscountRatePerYear',
  'model.secondary.valuationYears',
  'model.secondary.fireSaleSlope',
  'model.secondary.maxDiscount',
  'model.secondary.unsoldScrapEpochs',
  // AI-pivot valuation rules
  'model.ai.leaseDiscountRatePerYear',
  'model.ai.offerValidEpochs',
  // delivery, downtime and conversion delays, and the hosting rule
  'model.renewal.deliveryEpochs',
  'model.relocation.downtimeEpochsHosted',
  'model.relocation.downtimeEpochsBuild',
  'model.relocation.hostingMaxSiteMw',
  'model.ai.conversionEpochs',
] as const;

/** The behavioural paths at which `experiment` differs from `base` (both resolved experiments). */
export function behaviouralDifferences(experiment: unknown, base: unknown): string[] {
  return BEHAVIOURAL_PATHS.filter((path) => {
    const keys = path.split('.');
    return !isDeepStrictEqual(getPath(experiment, keys), getPath(base, keys));
  });
}
