// Aggregation across replicates: epochs.csv (statistics per metric, region and epoch),
// replicates.csv (one row per replicate) and, for a sweep, points.csv (or the same tables as
// .parquet, table.ts). Units are read from the spool in index order, so the outputs never depend on
// worker count, chunking or completion order.
import { unitCount, type Plan } from './plan.ts';
import type { Spool } from './spool.ts';
import { describe, POINT_STAT_COLUMNS, STAT_COLUMNS, type Summary } from '../stats/summary.ts';
import { MC_COLUMNS, monteCarloError, type McError } from '../stats/mc-error.ts';
import type { CsvCell } from '../io/csv.ts';
import { openTable, writeTable, type TableOptions } from '../io/table.ts';
import { tableColumns } from '../io/datapackage.ts';
import { dateAfter } from '../model/time.ts';
import { applyPoint } from './sweep.ts';
import { regionCell } from '../io/region-cell.ts';
import { derivedSeries } from './derived.ts';

export { POINT_STAT_COLUMNS, STAT_COLUMNS };
const BLOCK_BYTES = 64 * 1024 * 1024;

function stats(s: Summary): number[] {
  return STAT_COLUMNS.map((k) => s[k]);
}

function mcCells(m: McError): number[] {
  return [m.seMean, m.p05Low, m.p05High, m.p50Low, m.p50High, m.p95Low, m.p95High];
}

/** Reads series s of every replicate of a point: buf[r * E + e]. */
function readSeries(plan: Plan, spool: Spool, point: number, s: number, buf: Float64Array): void {
  const E = plan.epochCount;
  for (let r = 0; r < plan.replicates; r++) spool.read(point * plan.replicates + r, (s + 1) * E, E, buf, r * E);
}

/** Reads a block of series [s0, s0 + B) for every replicate of a point: buf[(r * B + b) * E + e]. */
function readBlock(plan: Plan, spool: Spool, point: number, s0: number, B: number, buf: Float64Array): void {
  const E = plan.epochCount;
  for (let r = 0; r < plan.replicates; r++) {
    // Series s sits after the days block, at (s + 1) * E in the record.
    spool.read(point * plan.replicates + r, (s0 + 1) * E, B * E, buf, r * B * E);
  }
}

/** Writes epochs.csv (or .parquet); returns its file name. */
export async function writeEpochs(plan: Plan, spool: Spool, outDir: string, opts: TableOptions): Promise<string> {
  const E = plan.epochCount;
  const R = plan.replicates;
  const S = plan.series.length;
  const sweeping = plan.experiment.sweep !== undefined;
  const header = [...(sweeping ? ['point'] : []), 'metric', 'region', 'epoch', 'date', ...STAT_COLUMNS, ...MC_COLUMNS];
  const out = await openTable(outDir, 'epochs', header, tableColumns(plan, 'epochs'), opts);
  try {
    const B = Math.max(1, Math.min(S, Math.floor(BLOCK_BYTES / (R * E * 8))));
    const buf = new Float64Array(R * B * E);
    const column = new Float64Array(R);
    const derived = derivedSeries(plan.series);
    const slotCount = Math.max(0, ...derived.map((d) => d.inputs.length));
    const slots = Array.from({ length: slotCount }, () => new Float64Array(R * E));
    const held = new Array<number>(slotCount).fill(-1);
    const derivedValues = new Float64Array(derived.length ? R * E : 0);
    for (const point of plan.points) {
      const start = applyPoint(plan.experiment, point).model.start.date;
      // Dates: the start plus the median days elapsed across replicates at each epoch.
      const days = new Float64Array(R * E);
      for (let r = 0; r < R; r++) spool.read(point.index * R + r, 0, E, days, r * E);
      const dates: string[] = [];
      for (let e = 0; e < E; e++) {
        for (let r = 0; r < R; r++) column[r] = days[r * E + e];
        dates.push(dateAfter(start, describe(column, `days elapsed at epoch ${e}`).p50));
      }
      for (let s0 = 0; s0 < S; s0 += B) {
        const width = Math.min(B, S - s0);
        readBlock(plan, spool, point.index, s0, width, buf);
        for (let b = 0; b < width; b++) {
          const key = plan.series[s0 + b];
          for (let e = 0; e < E; e++) {
            for (let r = 0; r < R; r++) column[r] = buf[(r * width + b) * E + e];
            const label = `${key.metric}${key.region ? `[${key.region}]` : ''} at epoch ${e}${sweeping ? ` of point ${point.index}` : ''}`;
            const summary = describe(column, label);
            const cells: CsvCell[] = [...(sweeping ? [point.index] : []), key.metric, regionCell(key.region), e, dates[e], ...stats(summary), ...mcCells(monteCarloError(column, summary.sd))];
            out.add(cells);
          }
        }
        await out.flush();
      }
      // Derived series (derived.ts) follow the recorded ones, each computed replicate by replicate.
      if (derived.length) {
        for (const d of derived) {
          // an input already in its slot (the price, shared by every region) is not read again
          d.inputs.forEach((s, j) => {
            if (held[j] !== s) readSeries(plan, spool, point.index, (held[j] = s), slots[j]);
          });
          for (let r = 0; r < R; r++) d.compute(d.inputs.map((_, j) => slots[j].subarray(r * E, (r + 1) * E)), derivedValues.subarray(r * E, (r + 1) * E));
          for (let e = 0; e < E; e++) {
            for (let r = 0; r < R; r++) column[r] = derivedValues[r * E + e];
            const label = `${d.key.metric}${d.key.region ? `[${d.key.region}]` : ''} at epoch ${e}${sweeping ? ` of point ${point.index}` : ''}`;
            const summary = describe(column, label);
            const cells: CsvCell[] = [...(sweeping ? [point.index] : []), d.key.metric, regionCell(d.key.region), e, dates[e], ...stats(summary), ...mcCells(monteCarloError(column, summary.sd))];
            out.add(cells);
          }
        }
        held.fill(-1);
        await out.flush();
      }
    }
    await out.commit();
  } finally {
    await out.abort();
  }
  return out.file;
}

/** replicates.csv (or .parquet): one row per unit, in unit order; `units` limits it to a block (a shard's rows). Returns its file name. */
export async function writeReplicates(plan: Plan, spool: Spool, outDir: string, opts: TableOptions, units = { first: 0, end: unitCount(plan) }): Promise<string> {
  const sweeping = plan.experiment.sweep !== undefined;
  const header = [...(sweeping ? ['point'] : []), 'replicate', 'seed_digest', ...plan.summary.map((c) => c.name)];
  const rows: CsvCell[][] = [];
  for (let u = units.first; u < units.end; u++) {
    const point = Math.floor(u / plan.replicates);
    const r = u % plan.replicates;
    const e = spool.entries.get(u);
    if (!e) throw new Error(`replicate ${r}${sweeping ? ` of point ${point}` : ''} is missing from the spool`);
    rows.push([...(sweeping ? [point] : []), r, e.seedDigest, ...e.summary]);
  }
  return writeTable(outDir, 'replicates', header, tableColumns(plan, 'replicates'), opts, rows);
}

/** points.csv (or .parquet) of a sweep: one row per point; returns its file name. */
export async function writePoints(plan: Plan, spool: Spool, outDir: string, opts: TableOptions): Promise<string> {
  const sweep = plan.experiment.sweep;
  if (!sweep) throw new Error('writePoints: the plan has no sweep');
  const statCols = POINT_STAT_COLUMNS;
  const header = ['point', ...sweep.parameters.map((p) => p.path), ...plan.summary.flatMap((c) => [...statCols, ...MC_COLUMNS].map((k) => `${c.name}_${k}`))];
  const rows: CsvCell[][] = [];
  const column = new Float64Array(plan.replicates);
  for (const point of plan.points) {
    const cells: CsvCell[] = [point.index, ...point.values.map((v) => v.value)];
    plan.summary.forEach((c, j) => {
      for (let r = 0; r < plan.replicates; r++) column[r] = spool.entries.get(point.index * plan.replicates + r)!.summary[j];
      const s = describe(column, `${c.name} of point ${point.index}`);
      for (const k of statCols) cells.push(s[k]);
      cells.push(...mcCells(monteCarloError(column, s.sd)));
    });
    rows.push(cells);
  }
  return writeTable(outDir, 'points', header, tableColumns(plan, 'points'), opts, rows);
}
