// Reads observed series for a backtest (the experiment's `observed` field): a CSV with header
// `date,metric,region,value` and an optional `source` column. Every row is checked: an ISO date, a
// metric the model reports (src/model/metrics.ts), a region that fits the metric (empty for a
// network metric, an id for a regional or destination one) and a finite value. The first bad row
// stops the load with one line naming the file, the line, the field, the value and what was expected.
import { readInputText } from './read-input.ts';
import { UserError, showValue } from '../config/errors.ts';
import { parseCsv } from './csv-read.ts';
import { DESTINATION_METRICS, NETWORK_METRICS, REGION_METRICS } from '../model/metrics.ts';
import { NETWORK_REGION, regionOfCell } from './region-cell.ts';

export interface ObservedRow {
  /** line in the file (the header is line 1) */
  line: number;
  /** ISO date YYYY-MM-DD */
  date: string;
  metric: string;
  /** region or destination id; '' for a network metric */
  region: string;
  /** in the metric's unit (docs/OUTPUTS.md) */
  value: number;
  /** the public source of the value; '' when the file has no source column */
  source: string;
}

export const OBSERVED_HEADER = ['date', 'metric', 'region', 'value'] as const;
const HEADER_TEXT = 'date,metric,region,value[,source]';

const network = new Set<string>(NETWORK_METRICS);
const regional = new Set<string>([...REGION_METRICS, ...DESTINATION_METRICS]);

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  // Date.parse accepts 2023-02-30 as March 2: require the date to read back unchanged
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** Reads and checks `file`; `field` names where the path came from (for an unreadable file). */
export function readObservedCsv(file: string, field: string): ObservedRow[] {
  let text: string;
  try {
    text = readInputText(file);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`${field}: ${err.message}`);
    throw new UserError(`${field}: "${file}" cannot be read (expected a CSV file with header ${HEADER_TEXT})`);
  }
  const { header, rows } = parseCsv(text, file);
  const withSource = header.length === 5 && header[4] === 'source';
  if (!(header.length === 4 || withSource) || OBSERVED_HEADER.some((name, i) => header[i] !== name)) {
    throw new UserError(`${file}: line 1: ${showValue(header.join(','))} is not valid (expected the header ${HEADER_TEXT})`);
  }
  return rows.map((cells, k) => {
    const line = k + 2;
    const bad = (name: string, value: string, expected: string) => new UserError(`${file}: line ${line}: ${name}: ${showValue(value)} is not valid (expected ${expected})`);
    // a network row's region is empty or, as in the outputs, "network"
    const [date, metric, regionText, valueText] = cells;
    const region = regionOfCell(regionText);
    if (!isIsoDate(date)) throw bad('date', date, 'an ISO date YYYY-MM-DD');
    if (network.has(metric)) {
      if (region !== '') throw bad('region', region, `an empty region or "${NETWORK_REGION}" for the network metric ${metric}`);
    } else if (regional.has(metric)) {
      if (region === '') throw bad('region', region, `a region id for the regional metric ${metric}`);
    } else {
      throw bad('metric', metric, 'a metric of docs/OUTPUTS.md, such as hashrate_ehs, difficulty, btc_price_usd or share');
    }
    const value = valueText.trim() === '' ? NaN : Number(valueText);
    if (!Number.isFinite(value)) throw bad('value', valueText, 'a finite number');
    return { line, date, metric, region, value, source: withSource ? cells[4] : '' };
  });
}
