// The short table printed at the end of `run`: the final epoch's median and 90% band, and the
// statistic the replicates pin down least (its Monte Carlo interval, epochs.csv). A sweep's table is
// its point 0, and says so with the point's values.
import { forEachTableRow, tablePath } from '../io/table-read.ts';
import { NETWORK_REGION } from '../io/region-cell.ts';
import { closedDestinationsNote } from '../config/closed-destinations.ts';
import type { Plan } from '../runner/plan.ts';
import type { SweepPoint } from '../runner/sweep.ts';
import { METRIC_INFO } from '../io/datapackage.ts';

const SHOWN = ['share', 'hhi_region', 'nakamoto_region', 'top3_share_region', 'hhi_operator', 'hashrate_ehs'];

/** Whether a metric counts things (regions, operators): its unit in datapackage.json's METRIC_INFO. */
export function isCountMetric(metric: string | undefined): boolean {
  const unit = metric === undefined ? undefined : (METRIC_INFO as Record<string, { unit: string } | undefined>)[metric]?.unit;
  return unit === 'regions' || unit === 'operators';
}

/**
 * A cell: at most three decimals, without trailing zeros; magnitudes of 100 and more as whole numbers.
 * A count metric (nakamoto_region, operators_mining, capitulations, ...) reads as a whole number, or
 * with one decimal where a quantile falls between two replicates: `2 [1.6, 3]`, not `2.000 [1.550, 3.000]`.
 */
export function formatCell(text: string, metric?: string): string {
  const n = Number(text);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  const fixed = n.toFixed(isCountMetric(metric) ? 1 : 3);
  return (fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed).replace(/^-0$/, '0') || '0';
}

export function summaryTable(epochsCsv: string, lastEpoch: number, points: SweepPoint[] = [], dir = 'DIR', replicates?: number): string {
  const lines = epochsCsv.trim().split('\n');
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(','));
  const sweeping = col('point') >= 0;
  const pick = rows.filter((r) => Number(r[col('epoch')]) === lastEpoch && (!sweeping || r[col('point')] === '0'));
  const want = (r: string[]) => SHOWN.includes(r[col('metric')]);
  const values = points.find((p) => p.index === 0)?.values.map((v) => `${v.path} = ${v.value}`).join(', ');
  const which = sweeping ? `, sweep point 0 of ${points.length || '?'}${values ? ` (${values})` : ''}` : '';
  const out = [`final epoch ${lastEpoch} (${pick[0]?.[col('date')] ?? ''})${which}: median [5%, 95%]`];
  for (const r of pick.filter(want)) {
    const region = r[col('region')];
    const label = `${r[col('metric')]}${region && region !== NETWORK_REGION ? ` ${region}` : ''}`;
    const metric = r[col('metric')];
    out.push(`  ${label.padEnd(22)} ${formatCell(r[col('p50')], metric).padStart(8)}  [${formatCell(r[col('p05')], metric)}, ${formatCell(r[col('p95')], metric)}]`);
  }
  const widest = widestInterval(pick.filter(want), col);
  if (widest && replicates !== undefined) {
    out.push(
      `Monte Carlo error: the widest 95% interval at the last epoch is the ${widest.stat} of ${widest.label}, ${formatCell(String(widest.low), widest.metric)} to ${formatCell(String(widest.high), widest.metric)} ` +
        `(${(widest.relative * 100).toFixed(1)}% of its 5%-95% spread); about ${4 * replicates} replicates (4 times ${replicates}) would halve it (intervals narrow as 1/sqrt(replicates))`,
    );
  }
  if (sweeping) out.push(`  every point: ${tablePath(dir, 'points')}; its page: hashmigrate report ${dir} --point P (or --point all)`);
  return out.join('\n') + '\n';
}

/** The last-epoch statistic whose Monte Carlo interval (epochs.csv) is widest relative to its series' 5%-95% spread. */
function widestInterval(rows: string[][], col: (name: string) => number): { stat: string; label: string; metric: string; low: number; high: number; relative: number } | null {
  if (col('se_mean') < 0) return null;
  let best: { stat: string; label: string; metric: string; low: number; high: number; relative: number } | null = null;
  for (const r of rows) {
    const v = (name: string) => Number(r[col(name)]);
    const spread = v('p95') - v('p05');
    if (!(spread > 0)) continue;
    const region = r[col('region')];
    const label = `${r[col('metric')]}${region && region !== NETWORK_REGION ? ` ${region}` : ''}`;
    const candidates = [
      { stat: 'mean', low: v('mean') - 1.96 * v('se_mean'), high: v('mean') + 1.96 * v('se_mean') },
      { stat: 'median', low: v('p50_low'), high: v('p50_high') },
      { stat: '5% quantile', low: v('p05_low'), high: v('p05_high') },
      { stat: '95% quantile', low: v('p95_low'), high: v('p95_high') },
    ];
    for (const c of candidates) {
      const relative = (c.high - c.low) / spread;
      if (!best || relative > best.relative) best = { ...c, label, metric: r[col('metric')], relative };
    }
  }
  return best;
}

/** The header and the last epoch's rows (of point 0 in a sweep) of epochs.csv, read row by row: all the table needs of a file that can be hundreds of MB. */
export function lastEpochRows(file: string, lastEpoch: number): string {
  const lines: string[] = [];
  let epochCol = -1;
  let pointCol = -1;
  forEachTableRow(
    file,
    (header) => {
      lines.push(header.join(','));
      epochCol = header.indexOf('epoch');
      pointCol = header.indexOf('point');
    },
    (row) => {
      if (Number(row[epochCol]) === lastEpoch && (pointCol < 0 || row[pointCol] === '0')) lines.push(row.join(','));
    },
  );
  return lines.join('\n') + '\n';
}

export function printSummary(outDir: string, plan: Plan): void {
  const lastEpoch = plan.epochCount - 1;
  process.stdout.write(summaryTable(lastEpochRows(tablePath(outDir, 'epochs'), lastEpoch), lastEpoch, plan.experiment.sweep ? plan.points : [], outDir, plan.replicates));
  process.stdout.write(closedDestinationsNote(plan.experiment));
}
