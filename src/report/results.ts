// Reads a finished run's output folder (manifest.json, epochs.csv or .parquet) into the series the report
// plots. Every number in the report comes from here. Bad input is a UserError naming the file,
// the field, the value and what was expected.
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { STAT_COLUMNS, type Summary } from '../stats/summary.ts';
import { formatPath, showValue, UserError } from '../config/errors.ts';
import { forEachTableRow, tablePath } from '../io/table-read.ts';
import { readJsonFile } from '../config/load.ts';
import { regionOfCell } from '../io/region-cell.ts';
import { readBacktest, type BacktestResults } from './backtest-results.ts';
import { isCalendarDate } from '../config/calendar-date.ts';
import { statProblem } from './metric-bounds.ts';

/** The statistics across replicates of one series at one epoch (a row of epochs.csv). */
export type StatRow = Summary & {
  epoch: number;
  /** Monte Carlo standard error of the mean (epochs.csv se_mean), when the file has it */
  seMean?: number;
  /** the row's date (UTC midnight) */
  date: Date;
};

/** The part of manifest.json the report reads; other fields are allowed and ignored. */
const manifestSchema = z.object({
  name: z.string(),
  question: z.string(),
  description: z.string(),
  configSha256: z.string(),
  configFile: z.string().optional(),
  replicates: z.number().int().min(1),
  seedScheme: z.object({ scheme: z.string(), rootSeed: z.number() }),
  sweep: z
    .object({
      design: z.string(),
      points: z.array(z.object({ index: z.number().int(), values: z.array(z.object({ path: z.string(), value: z.number() })) })),
    })
    .nullable()
    .optional(),
  config: z
    .object({
      model: z.object({ regions: z.array(z.object({ id: z.string(), name: z.string().optional() })).optional() }).optional(),
      sweep: z.object({ parameters: z.array(z.object({ path: z.string(), scale: z.string().optional(), multiply: z.boolean().optional() })) }).optional(),
    })
    .optional(),
  software: z.object({ name: z.string().optional(), version: z.string(), gitCommit: z.string(), node: z.string().optional() }),
  outputs: z.record(z.string(), z.string()).optional(),
});

export type ReportManifest = z.infer<typeof manifestSchema>;

export interface Results {
  dir: string;
  manifest: ReportManifest;
  /** the file the statistics come from: epochs.csv or epochs.parquet */
  epochsFile: string;
  /** the sweep point the time series show; null without a sweep */
  point: number | null;
  /** series of the shown point by `seriesKey(metric, region)`, in epoch order */
  series: Map<string, StatRow[]>;
  /** last-epoch rows of every point (one point, index 0, without a sweep), by series key */
  finals: Map<number, Map<string, StatRow>>;
  lastEpoch: number;
  /** regions in output order, with their names from the manifest's config */
  regions: { id: string; name: string }[];
  /** destination ids in output order */
  destinations: string[];
  /** output files whose SHA-256 differs from the manifest's record */
  mismatchedOutputs: string[];
  /** observations and scorecard of a run of a config with `observed`; null otherwise */
  backtest: BacktestResults | null;
}

export function seriesKey(metric: string, region = ''): string {
  return `${metric}|${region}`;
}

/** The path of a run's output file, which must exist. */
function outputFile(dir: string, name: string): string {
  const file = join(dir, name);
  if (!existsSync(file)) throw new UserError(`${file}: missing; expected the output of \`hashmigrate run\` in ${dir}`);
  if (!statSync(file).isFile()) throw new UserError(`${file}: not a file; expected the output of \`hashmigrate run\` in ${dir}`);
  return file;
}

export function readManifest(dir: string): ReportManifest {
  const file = outputFile(dir, 'manifest.json');
  const raw = readJsonFile(file);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    let value: unknown = raw;
    for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as string];
    const expectation = issue.message.replace(/^invalid input: /i, '').replace(/, received .*$/, '');
    throw new UserError(`${file}: ${formatPath(issue.path)}: ${showValue(value)}; ${expectation}`);
  }
  return parsed.data;
}

const REQUIRED_COLUMNS = ['metric', 'region', 'epoch', 'date', ...STAT_COLUMNS];

function parseDate(text: string, where: string): Date {
  if (!isCalendarDate(text)) throw new UserError(`${where}: date: ${showValue(text)} is not a date; expected YYYY-MM-DD`);
  return new Date(`${text}T00:00:00Z`);
}

function parseNumber(text: string, where: string, column: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new UserError(`${where}: ${column}: ${showValue(text)} is not a finite number`);
  return value;
}

export interface ReadOptions {
  /** sweep point whose time series to show (default 0) */
  point?: number;
}

/**
 * Reads `dir`'s manifest.json and epochs.csv; checks columns, numbers and the sweep point. epochs.csv
 * is read row by row (csv-stream.ts): only the shown point's series and every point's last-epoch
 * rows are kept, so a sweep's file of hundreds of MB is never held as text.
 */
export function readResults(dir: string, options: ReadOptions = {}): Results {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder; expected the output folder of \`hashmigrate run\``);
  const manifest = readManifest(dir);
  const epochsFile = outputFile(dir, basename(tablePath(dir, 'epochs', manifest.outputs)));
  const sweeping = Boolean(manifest.sweep);
  const pointIndices = sweeping ? manifest.sweep!.points.map((p) => p.index) : [0];
  const point = options.point ?? 0;
  if (!pointIndices.includes(point)) {
    throw new UserError(`${dir}: --point: ${point} is not a sweep point; expected one of ${sweeping ? `0..${pointIndices.length - 1}` : '0 (the run has no sweep)'}`);
  }

  const series = new Map<string, StatRow[]>();
  const regionOrder: string[] = [];
  const destinationOrder: string[] = [];
  let lastEpoch = 0;
  const perPoint = new Map<number, Map<string, StatRow>>();
  let col: Record<string, number> = {};
  let pointCol = -1;
  const checkHeader = (header: string[]) => {
    for (const column of sweeping ? ['point', ...REQUIRED_COLUMNS] : REQUIRED_COLUMNS) {
      if (!header.includes(column)) throw new UserError(`${epochsFile}: header: column ${showValue(column)} missing; expected ${(sweeping ? ['point', ...REQUIRED_COLUMNS] : REQUIRED_COLUMNS).join(',')}`);
    }
    col = Object.fromEntries(header.map((name, i) => [name, i]));
    pointCol = sweeping ? col.point : -1;
  };
  const readRow = (r: string[], k: number) => {
    const where = epochsFile.endsWith('.parquet') ? `${epochsFile}: row ${k + 1}` : `${epochsFile}: line ${k + 2}`;
    const p = sweeping ? parseNumber(r[pointCol], where, 'point') : 0;
    const epoch = parseNumber(r[col.epoch], where, 'epoch');
    const row: StatRow = { epoch, date: parseDate(r[col.date], where), mean: 0, sd: 0, min: 0, p05: 0, p25: 0, p50: 0, p75: 0, p95: 0, max: 0 };
    for (const s of STAT_COLUMNS) row[s] = parseNumber(r[col[s]], where, s);
    if (col.se_mean !== undefined) row.seMean = parseNumber(r[col.se_mean], where, 'se_mean');
    const metric = r[col.metric];
    const region = regionOfCell(r[col.region]);
    const problem = statProblem(metric, row);
    if (problem) throw new UserError(`${where}: ${metric}${region ? `[${region}]` : ''}: ${problem}`);
    const key = seriesKey(metric, region);
    if (epoch > lastEpoch) lastEpoch = epoch;
    // the last row of each series per point wins: rows come in epoch order
    let finals = perPoint.get(p);
    if (!finals) perPoint.set(p, (finals = new Map()));
    const previous = finals.get(key);
    if (!previous || previous.epoch <= epoch) finals.set(key, row);
    if (p !== point) return;
    let list = series.get(key);
    if (!list) {
      series.set(key, (list = []));
      if (metric === 'share') regionOrder.push(region);
      if (metric === 'relocations') destinationOrder.push(region);
    }
    list.push(row);
  };
  const { rows, sha256: epochsSha256 } = forEachTableRow(epochsFile, checkHeader, readRow);
  if (rows === 0) throw new UserError(`${epochsFile}: no data rows; expected one row per series and epoch`);
  for (const list of series.values()) list.sort((a, b) => a.epoch - b.epoch);
  if (series.size === 0) throw new UserError(`${epochsFile}: no rows for point ${point}; expected one row per series and epoch`);
  // a series that stops before the last epoch has no final value
  for (const finals of perPoint.values()) for (const [key, row] of finals) if (row.epoch !== lastEpoch) finals.delete(key);

  const names = new Map((manifest.config?.model?.regions ?? []).map((r) => [r.id, r.name ?? r.id]));
  const mismatchedOutputs = Object.entries(manifest.outputs ?? {})
    .filter(([name, hash]) => name === basename(epochsFile) && epochsSha256 !== hash)
    .map(([name]) => name);
  return {
    dir,
    manifest,
    epochsFile: basename(epochsFile),
    point: sweeping ? point : null,
    series,
    finals: perPoint,
    lastEpoch,
    regions: regionOrder.map((id) => ({ id, name: names.get(id) ?? id })),
    destinations: destinationOrder,
    mismatchedOutputs,
    backtest: readBacktest(dir, manifest.outputs, sweeping ? point : null),
  };
}

/** The series of `metric` (and `region`), or an empty list if the run did not record it. */
export function seriesOf(results: Results, metric: string, region = ''): StatRow[] {
  return results.series.get(seriesKey(metric, region)) ?? [];
}
