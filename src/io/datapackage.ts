// datapackage.json: a Frictionless Data Package (https://specs.frictionlessdata.io/data-package/)
// describing every table of a run: each column's type, unit and meaning, the CSV dialect (or the
// Parquet format of `run --format parquet`), and the unit and meaning of every metric that appears
// in the `metric` column. Pandas, R (frictionless) and Excel users can load the tables with their
// types from it. The same fields give the Parquet columns their types (tableColumns), so the two
// never disagree.
import type { Plan } from '../runner/plan.ts';
import { NETWORK_METRICS, REGION_METRICS, DESTINATION_METRICS } from '../model/metrics.ts';
import { POINT_STAT_COLUMNS, STAT_COLUMNS } from '../stats/summary.ts';
import { NETWORK_REGION } from './region-cell.ts';
import { MC_COLUMNS } from '../stats/mc-error.ts';
import type { DERIVED_METRICS } from '../runner/derived.ts';
import type { ParquetColumn } from './parquet.ts';
import { tableFile, type TableFormat } from './table-format.ts';

type Metric = (typeof NETWORK_METRICS)[number] | (typeof REGION_METRICS)[number] | (typeof DESTINATION_METRICS)[number] | (typeof DERIVED_METRICS)[number];

/** Unit and meaning of every metric (docs/OUTPUTS.md has the full text). */
export const METRIC_INFO: Record<Metric, { unit: string; meaning: string }> = {
  hashrate_ehs: { unit: 'EH/s', meaning: 'Hashrate that ran in the epoch (cohorts not shut in)' },
  difficulty: { unit: '–', meaning: 'Difficulty in force during the epoch' },
  epoch_days: { unit: 'days', meaning: 'Real length of the epoch: 14 × H_implied / H_running, at most maxEpochLengthFactor × 14' },
  btc_price_usd: { unit: 'USD', meaning: 'BTC price during the epoch' },
  fee_ratio: { unit: 'ratio', meaning: 'Fees as a ratio to the subsidy (a block pays subsidy × (1 + ratio))' },
  subsidy_btc: { unit: 'BTC', meaning: 'Mean block subsidy over the epoch\'s blocks (weighted across a halving)' },
  hashprice_usd_ph_day: { unit: 'USD/PH/s/day', meaning: '144 × subsidy × (1 + fee_ratio) × price / H_implied[PH/s] (600-s blocks)' },
  hhi_region: { unit: '0–10,000', meaning: 'HHI of regional shares of running hashrate, with the split regions (row) in parts of 1%' },
  nakamoto_region: { unit: 'regions', meaning: 'Fewest regions (after the split) holding more than 50%' },
  top3_share_region: { unit: '0–1', meaning: 'Share of the three largest regions (after the split)' },
  entropy_region_bits: { unit: 'bits', meaning: 'Shannon entropy of regional shares (after the split)' },
  hhi_operator: { unit: '0–10,000', meaning: 'HHI over operators\' running hashrate' },
  nakamoto_operator: { unit: 'operators', meaning: 'Fewest operators holding more than 50% of running hashrate' },
  top3_share_operator: { unit: '0–1', meaning: 'Share of the three largest operators' },
  gini_operator: { unit: '0–1', meaning: 'Gini coefficient over **all** operator slots, those with zero running hashrate included (exited, in transit, converting, shut in)' },
  entropy_operator_bits: { unit: 'bits', meaning: 'Shannon entropy of operator shares' },
  unprofitable_share: { unit: '0–1', meaning: 'Share of running hashrate whose revenue per TH/s is below its power cost (PUE, contract or hosting rate) plus its own site\'s overhead' },
  mean_efficiency_j_th: { unit: 'J/TH', meaning: 'Hashrate-weighted J/TH of the running fleet' },
  frontier_j_th: { unit: 'J/TH', meaning: 'Efficiency of the best new machine on sale' },
  operators_mining: { unit: 'operators', meaning: 'Operators with at least one cohort running' },
  capitulations: { unit: 'operators', meaning: 'Operators that exited in the epoch: those that chose to sell out, insolvent operators whose creditors chose liquidation, and banned operators whose relocation or pivot could not be served' },
  capitulated_ehs: { unit: 'EH/s', meaning: 'Installed hashrate (running or shut in) that those operators sold' },
  entries: { unit: 'operators', meaning: 'Entrants that took over an exited operator\'s site' },
  reorganisations: { unit: 'operators', meaning: 'Insolvent operators whose creditors kept them as going concerns (staying, moving or converting to AI, chosen over liquidation by the decision rule and carried out): debt and unpaid bills written off' },
  relocations_total: { unit: 'operators', meaning: 'Operators that began a move, to any destination' },
  ai_pivots: { unit: 'operators', meaning: 'Operators that began converting their site to AI hosting' },
  ai_mw: { unit: 'MW of IT', meaning: 'IT load at sites converting to or hosting AI, at the close' },
  ai_mw_new: { unit: 'MW of IT', meaning: 'IT load that began converting in the epoch' },
  secondary_discount: { unit: '0–1', meaning: 'The epoch\'s fire-sale discount: min(maxDiscount, fireSaleSlope × hashrate listed / running hashrate)' },
  bought_used_ehs: { unit: 'EH/s', meaning: 'Used machines bought from secondary-market lots (delivered after renewal.deliveryEpochs)' },
  bought_new_ehs: { unit: 'EH/s', meaning: 'New frontier machines ordered (delivered after renewal.deliveryEpochs)' },
  retired_ehs: { unit: 'EH/s', meaning: 'Machines retired at the end of their life or after a long idle spell' },
  pipeline_ehs: { unit: 'EH/s', meaning: 'Machines ordered and not yet delivered at the epoch\'s close (new and used, this epoch\'s orders included), at operators with a site (mining, banned or out of power): what the next epoch\'s expectations count as on its way' },
  pipeline_lead_years: { unit: 'years', meaning: 'Hashrate-weighted mean time to delivery of pipeline_ehs (0 when nothing is on its way)' },
  expected_growth_per_year: { unit: 'log per year', meaning: 'The network growth rate operators expect (ĝ of MODEL.md 7.0: smoothed growth of the network running and on its way, within hashrateGrowthBoundsPerYear), as the epoch\'s decisions used it' },
  expected_hashprice_usd_ph_day: { unit: 'USD/PH/s/day', meaning: 'Mean expected hashprice over renewal.maxPaybackYears (MODEL.md 7.0), undiscounted: what purchases, entry and the ASIC price index use this epoch' },
  invested_mw: { unit: 'MW', meaning: 'Greenfield MW ordered in the epoch, all regions: entrants\' sites and incumbents\' expansions (MODEL.md 7.5b), built over investment.buildEpochs' },
  share: { unit: '0–1', meaning: 'The region\'s share of running hashrate (unsplit)' },
  region_hashrate_ehs: { unit: 'EH/s', meaning: 'Hashrate running in the region' },
  cost_per_btc_usd: { unit: 'USD/BTC', meaning: 'Electricity cost per BTC earned (subsidy + fees) by the region\'s running fleet: Σ power cost per day (PUE, contract multipliers and hosting rates included) / (region TH/s × BTC per TH/s per day)' },
  power_price_usd_kwh: { unit: 'USD/kWh', meaning: 'Regional mining power price with tariffs, before contract multipliers and PUE' },
  relocations_out: { unit: 'operators', meaning: 'Operators that began leaving the region in the epoch' },
  load_mw: { unit: 'MW', meaning: 'MW of mining sites in the region at the epoch close: sites mining, exited sites awaiting an entrant and sites reserved by machines on their way (the load its cap is compared with)' },
  over_cap_mw: { unit: 'MW', meaning: 'Load of the region above its cap at the epoch close (grandfathered sites; no new MW enters until it is 0); 0 when under the cap or uncapped' },
  relocations: { unit: 'operators', meaning: 'Operators that began moving to the destination in the epoch' },
  relocated_ehs: { unit: 'EH/s', meaning: 'Hashrate they moved, after breakage' },
  relocated_ehs_cumulative: { unit: 'EH/s', meaning: 'epochs.csv only, derived by the runner per replicate: relocated_ehs summed over epochs 0 to this one, the hashrate moved to the destination since the start' },
  underwater: { unit: '0–1', meaning: 'epochs.csv only, derived by the runner per replicate: 1 when the region\'s cost_per_btc_usd is above the replicate\'s btc_price_usd at the epoch, else 0; its mean across replicates is the share of replicates in which mining in the region loses money on power alone' },
};

interface Field {
  name: string;
  type: 'integer' | 'number' | 'string' | 'date' | 'boolean';
  description: string;
  unit?: string;
  constraints?: Record<string, unknown>;
  /** the cell may be empty (null); not written to datapackage.json, whose missingValues say it for CSV */
  nullable?: true;
}

/** One table of a run, whatever its format. */
interface TableSpec {
  name: string;
  description: string;
  fields: Field[];
  primaryKey?: string[];
  metrics?: object[];
}

type CsvResource = {
  name: string;
  path: string;
  profile: 'tabular-data-resource';
  format: 'csv';
  mediatype: 'text/csv';
  encoding: 'utf-8';
  description: string;
  dialect: { delimiter: ','; lineTerminator: string; quoteChar: '"'; doubleQuote: true; header: true };
  schema: { fields: Field[]; missingValues: string[]; primaryKey?: string[] };
};

type ParquetResource = {
  name: string;
  path: string;
  profile: 'tabular-data-resource';
  format: 'parquet';
  mediatype: 'application/vnd.apache.parquet';
  description: string;
  schema: { fields: Field[]; primaryKey?: string[] };
};

const STAT_MEANING: Record<string, string> = {
  mean: 'mean across replicates (exact sum)',
  sd: 'sample standard deviation across replicates (n - 1; 0 for one replicate)',
  min: 'smallest value across replicates',
  max: 'largest value across replicates',
};
/** Meaning of a Monte Carlo error column of epochs.csv (src/stats/mc-error.ts). */
const mcMeaning = (k: string) =>
  k === 'se_mean'
    ? 'Monte Carlo standard error of the mean: sd / sqrt(replicates)'
    : `${k.endsWith('_low') ? 'lower' : 'upper'} end of the distribution-free 95% interval of the ${Number(k.slice(1, 3))}% quantile (order statistics; binomial ranks)`;
const statMeaning = (k: string) => STAT_MEANING[k] ?? `${Number(k.slice(1))}% quantile across replicates (linear interpolation, numpy's default method)`;

const metricUnits = (): string => 'the unit of the row\'s metric (see the resource\'s "metrics" property)';

/** Every table a run can write (those of a sweep, a backtest, --agents and --trajectories too). */
export const TABLE_NAMES = ['epochs', 'replicates', 'points', 'sensitivity', 'trajectories', 'agents', 'backtest', 'backtest-summary'] as const;

/** Every table a run of `plan` can write, in the order datapackage.json lists them. */
function tableSpecs(plan: Plan): TableSpec[] {
  const sweep = plan.experiment.sweep;
  const pointField: Field[] = sweep ? [{ name: 'point', type: 'integer', description: 'sweep point index (0-based); its parameter values are in points.csv', constraints: { minimum: 0 } }] : [];
  const metrics = Object.entries(METRIC_INFO).map(([name, info]) => ({ name, ...info }));
  const metricField: Field = { name: 'metric', type: 'string', description: 'metric name', constraints: { required: true, enum: metrics.map((m) => m.name) } };
  const regionField: Field = { name: 'region', type: 'string', description: `region or destination id; "${NETWORK_REGION}" for network-wide metrics (never empty, so the primary key has no null)`, constraints: { required: true, enum: [NETWORK_REGION, ...plan.experiment.model.regions.map((r) => r.id)] } };
  const resource = (name: string, description: string, fields: Field[], primaryKey?: string[]): TableSpec => ({ name, description, fields, ...(primaryKey ? { primaryKey } : {}) });
  const summaryFields: Field[] = plan.summary.map((c) => ({ name: c.name, type: 'number', unit: c.unit, description: c.meaning }));
  const resources: TableSpec[] = [];
  resources.push({
    ...resource(
      'epochs',
      'statistics across replicates of every series at every epoch (one row per metric, region and epoch)',
      [
        ...pointField,
        metricField,
        regionField,
        { name: 'epoch', type: 'integer', description: 'retarget epoch; 0 is the initial state at the start date', constraints: { minimum: 0, maximum: plan.epochCount - 1 } },
        { name: 'date', type: 'date', description: 'start date plus the median days elapsed at the close of the epoch across replicates (ISO 8601)' },
        ...STAT_COLUMNS.map((k): Field => ({ name: k, type: 'number', unit: metricUnits(), description: statMeaning(k) })),
        ...MC_COLUMNS.map((k): Field => ({ name: k, type: 'number', unit: metricUnits(), description: mcMeaning(k) })),
      ],
      [...(sweep ? ['point'] : []), 'metric', 'region', 'epoch'],
    ),
    metrics,
  });
  resources.push(
    resource(
      'replicates',
      'one row per replicate: its seed digest and summary values',
      [
        ...pointField,
        { name: 'replicate', type: 'integer', description: 'replicate index (0-based)', constraints: { minimum: 0, maximum: plan.replicates - 1 } },
        { name: 'seed_digest', type: 'string', description: 'SHA-256 over the seeds of the replicate\'s named random streams', constraints: { pattern: '[0-9a-f]{64}' } },
        ...summaryFields,
      ],
      [...(sweep ? ['point'] : []), 'replicate'],
    ),
  );
  if (sweep) {
    resources.push(
      resource(
        'points',
        'one row per sweep point: its parameter values and statistics across replicates of each summary value',
        [
          { name: 'point', type: 'integer', description: 'sweep point index (0-based)', constraints: { minimum: 0 } },
          ...sweep.parameters.map((p): Field => ({ name: p.path, type: 'number', unit: 'that of the config field (docs/CONFIG.md)', description: `value of the config field ${p.path} at this point (swept over [${p.min}, ${p.max}])` })),
          ...plan.summary.flatMap((c) => [
            ...POINT_STAT_COLUMNS.map((k): Field => ({ name: `${c.name}_${k}`, type: 'number', unit: c.unit, description: `${c.meaning}: ${statMeaning(k)}` })),
            ...MC_COLUMNS.map((k): Field => ({ name: `${c.name}_${k}`, type: 'number', unit: c.unit, description: `${c.meaning}: ${mcMeaning(k)}` })),
          ]),
        ],
        ['point'],
      ),
    );
  }
  if (sweep) {
    resources.push(
      resource(
        'sensitivity',
        'sensitivity indices of each analysed series to each swept parameter (Morris: mu, mu_star, sigma; Sobol: S1, ST)',
        [
          { name: 'design', type: 'string', description: 'the sweep design', constraints: { enum: ['morris', 'sobol'] } },
          metricField,
          regionField,
          { name: 'epoch', type: 'integer', description: 'the epoch at which the series is taken (mean across each point\'s replicates)', constraints: { minimum: 0, maximum: plan.epochCount - 1 } },
          { name: 'parameter', type: 'string', description: 'config path of the swept parameter', constraints: { enum: sweep.parameters.map((p) => p.path) } },
          { name: 'index', type: 'string', description: 'mu, mu_star, sigma (Morris: elementary effects in the metric\'s unit per whole parameter range) or S1, ST (Sobol: first-order and total indices, fractions of variance)', constraints: { enum: ['mu', 'mu_star', 'sigma', 'S1', 'ST'] } },
          { name: 'value', type: 'number', unit: 'Morris: the metric\'s unit per parameter range; Sobol: fraction of variance', description: 'the index' },
          { name: 'ci95_low', type: 'number', unit: 'as value', description: 'lower end of the percentile bootstrap 95% interval (mu_star, S1, ST); empty otherwise', nullable: true },
          { name: 'ci95_high', type: 'number', unit: 'as value', description: 'upper end of the percentile bootstrap 95% interval; empty otherwise', nullable: true },
        ],
        ['metric', 'region', 'parameter', 'index'],
      ),
    );
  }
  {
    resources.push({
      ...resource(
        'trajectories',
        'every replicate\'s value of every series at every epoch',
        [
          ...pointField,
          { name: 'replicate', type: 'integer', description: 'replicate index (0-based)', constraints: { minimum: 0 } },
          { name: 'epoch', type: 'integer', description: 'retarget epoch; 0 is the initial state', constraints: { minimum: 0 } },
          { name: 'date', type: 'date', description: 'start date plus the whole days elapsed at the close of the epoch in this replicate' },
          metricField,
          regionField,
          { name: 'value', type: 'number', unit: metricUnits(), description: 'the value, in the metric\'s unit' },
        ],
        [...(sweep ? ['point'] : []), 'replicate', 'epoch', 'metric', 'region'],
      ),
      metrics,
    });
  }
  {
    const regionIds = plan.experiment.model.regions.map((r) => r.id);
    resources.push(
      resource(
        'agents',
        'every operator slot of every replicate at the epochs chosen with run --agents: region, status, hashrate, efficiency, site, cash and debt, taken after the epoch\'s observation',
        [
          ...pointField,
          { name: 'replicate', type: 'integer', description: 'replicate index (0-based)', constraints: { minimum: 0 } },
          { name: 'epoch', type: 'integer', description: 'retarget epoch; 0 is the initial state', constraints: { minimum: 0, maximum: plan.epochCount - 1 } },
          { name: 'date', type: 'date', description: 'start date plus the whole days elapsed at the close of the epoch in this replicate' },
          { name: 'operator', type: 'integer', description: 'operator slot index (entrants take over the slots of exited operators)', constraints: { minimum: 0 } },
          { name: 'region', type: 'string', description: 'region id of the operator\'s site; for one in transit, the region it is leaving', constraints: { enum: regionIds } },
          { name: 'status', type: 'string', description: 'mining, transit (machines on their way to a new region), ai (site converting to or hosting AI) or exited', constraints: { enum: ['mining', 'transit', 'ai', 'exited'] } },
          { name: 'hashrate_ths', type: 'number', unit: 'TH/s', description: 'hashrate installed (every cohort, running or shut in)' },
          { name: 'running_ths', type: 'number', unit: 'TH/s', description: 'hashrate running this epoch' },
          { name: 'efficiency_j_th', type: 'number', unit: 'J/TH', description: 'installed-hashrate-weighted mean efficiency of its machines; 0 without machines' },
          { name: 'site_mw', type: 'number', unit: 'MW', description: 'site capacity for mining, cooling included' },
          { name: 'cash_usd', type: 'number', unit: 'USD', description: 'cash' },
          { name: 'debt_usd', type: 'number', unit: 'USD', description: 'debt outstanding' },
        ],
        [...(sweep ? ['point'] : []), 'replicate', 'epoch', 'operator'],
      ),
    );
  }
  {
    const observedUnit = 'the unit of the row\'s metric';
    resources.push({
      ...resource(
        'backtest',
        'one row per observation (experiment field observed) scored against the replicates\' values at its date: the epoch in force at 12:00 UTC of the date in each replicate\'s own clock',
        [
          ...pointField,
          metricField,
          regionField,
          { name: 'date', type: 'date', description: 'date of the observation (ISO 8601)' },
          { name: 'observed', type: 'number', unit: observedUnit, description: 'the observed value' },
          { name: 'sim_median', type: 'number', unit: observedUnit, description: 'median across replicates of the simulated value at the date' },
          ...(['p05', 'p25', 'p75', 'p95'] as const).map((k): Field => ({ name: k, type: 'number', unit: observedUnit, description: `${statMeaning(k)} of the simulated value at the date` })),
          { name: 'quantile', type: 'number', unit: '0-1', description: 'share of replicates below the observation, ties counted half (mid-rank)', constraints: { minimum: 0, maximum: 1 } },
          { name: 'in50', type: 'boolean', description: 'the observation lies in the 50% central interval [p25, p75] (bounds included)' },
          { name: 'in90', type: 'boolean', description: 'the observation lies in the 90% central interval [p05, p95] (bounds included)' },
          { name: 'crps', type: 'number', unit: observedUnit, description: 'continuous ranked probability score of the replicates at the observation: E|X - y| - E|X - X\'|/2 over the empirical distribution' },
          { name: 'abs_log_error', type: 'number', unit: 'natural log', description: '|ln(sim_median / observed)|; empty when either is not positive', nullable: true },
          { name: 'source', type: 'string', description: 'the public source of the observation, from the observed file' },
        ],
      ),
      metrics,
    });
  }
  {
    resources.push(
      resource(
        'backtest-summary',
        'the scorecard: one row per observed series (metric and region) summing up its rows of backtest.csv',
        [
          ...pointField,
          metricField,
          regionField,
          { name: 'n', type: 'integer', description: 'observations scored', constraints: { minimum: 1 } },
          { name: 'mdale', type: 'number', unit: 'natural log', description: 'median absolute log error: median of abs_log_error over the rows where it is defined; empty if none', nullable: true },
          { name: 'n_log', type: 'integer', description: 'rows where abs_log_error is defined (both values positive)', constraints: { minimum: 0 } },
          { name: 'coverage50', type: 'number', unit: '0-1', description: 'share of observations inside the 50% interval (about 0.5 when calibrated)', constraints: { minimum: 0, maximum: 1 } },
          { name: 'coverage90', type: 'number', unit: '0-1', description: 'share of observations inside the 90% interval (about 0.9 when calibrated)', constraints: { minimum: 0, maximum: 1 } },
          { name: 'crps_mean', type: 'number', unit: 'the unit of the row\'s metric', description: 'mean CRPS of the observations (lower is better)' },
          { name: 'crps_relative', type: 'number', unit: 'ratio', description: 'crps_mean / mean |observed|: a CRPS without unit; empty when every observation is 0', nullable: true },
        ],
        [...(sweep ? ['point'] : []), 'metric', 'region'],
      ),
    );
  }
  return resources;
}

/** A field as datapackage.json gives it: without the internal `nullable` mark. */
function publishedField({ nullable: _nullable, ...field }: Field): Field {
  return field;
}

function csvResource(t: TableSpec, excel: boolean): CsvResource & { metrics?: object[] } {
  return {
    name: t.name,
    path: tableFile(t.name, 'csv'),
    profile: 'tabular-data-resource',
    format: 'csv',
    mediatype: 'text/csv',
    encoding: 'utf-8',
    description: t.description,
    dialect: { delimiter: ',', lineTerminator: excel ? '\r\n' : '\n', quoteChar: '"', doubleQuote: true, header: true },
    schema: { fields: t.fields.map(publishedField), missingValues: [''], ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}) },
    ...(t.metrics ? { metrics: t.metrics } : {}),
  };
}

function parquetResource(t: TableSpec): ParquetResource & { metrics?: object[] } {
  return {
    name: t.name,
    path: tableFile(t.name, 'parquet'),
    profile: 'tabular-data-resource',
    format: 'parquet',
    mediatype: 'application/vnd.apache.parquet',
    description: t.description,
    schema: { fields: t.fields.map(publishedField), ...(t.primaryKey ? { primaryKey: t.primaryKey } : {}) },
    ...(t.metrics ? { metrics: t.metrics } : {}),
  };
}

/** The columns of table `name` (epochs, replicates, …) of a run of `plan`, typed as datapackage.json declares them. */
export function tableColumns(plan: Plan, name: string): ParquetColumn[] {
  const spec = tableSpecs(plan).find((t) => t.name === name);
  if (!spec) throw new Error(`tableColumns: no table ${JSON.stringify(name)} in a run of ${plan.experiment.name}`);
  return spec.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable === true }));
}

/** datapackage.json of a run whose tables (in `format`) are among `outputs`. */
export function dataPackage(plan: Plan, outputs: string[], opts: { excel: boolean; format?: TableFormat }): object {
  const format = opts.format ?? 'csv';
  const resources = tableSpecs(plan)
    .filter((t) => outputs.includes(tableFile(t.name, format)))
    .map((t) => (format === 'parquet' ? parquetResource(t) : csvResource(t, opts.excel)));
  return {
    profile: 'tabular-data-package',
    name: plan.experiment.name.toLowerCase().replace(/[^a-z0-9._-]/g, '-'),
    title: plan.experiment.question,
    description: plan.experiment.description,
    sources: [{ title: 'hashmigrate (model: docs/MODEL.md, outputs: docs/OUTPUTS.md); provenance in manifest.json' }],
    resources,
  };
}
