// The short table printed at the end of `run`: the final epoch's median and 90% band, and the
// statistic the replicates pin down least (its Monte Carlo interval, epochs.csv).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../runner/plan.ts';

export function summaryTable(epochsCsv: string, lastEpoch: number, replicates?: number): string {
  const lines = epochsCsv.trim().split('\n');
  const header = lines[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(','));
  const pick = rows.filter((r) => Number(r[col('epoch')]) === lastEpoch && (col('point') < 0 || r[col('point')] === '0'));
  const want = (r: string[]) => ['share', 'hhi_region', 'nakamoto_region', 'top3_share_region', 'hhi_operator', 'hashrate_ehs'].includes(r[col('metric')]);
  const fmt = (v: string) => {
    const n = Number(v);
    return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(3);
  };
  const out = [`final epoch ${lastEpoch} (${pick[0]?.[col('date')] ?? ''}): median [5%, 95%]`];
  for (const r of pick.filter(want)) {
    const label = `${r[col('metric')]}${r[col('region')] ? ` ${r[col('region')]}` : ''}`;
    out.push(`  ${label.padEnd(22)} ${fmt(r[col('p50')]).padStart(8)}  [${fmt(r[col('p05')])}, ${fmt(r[col('p95')])}]`);
  }
  const widest = widestInterval(pick.filter(want), col);
  if (widest && replicates !== undefined) {
    out.push(
      `Monte Carlo error: the widest 95% interval at the last epoch is the ${widest.stat} of ${widest.label}, ${fmt(String(widest.low))} to ${fmt(String(widest.high))} ` +
        `(${(widest.relative * 100).toFixed(1)}% of its 5%-95% spread); about ${4 * replicates} replicates (4 times ${replicates}) would halve it (intervals narrow as 1/sqrt(replicates))`,
    );
  }
  return out.join('\n') + '\n';
}

/** The last-epoch statistic whose Monte Carlo interval (epochs.csv) is widest relative to its series' 5%-95% spread. */
function widestInterval(rows: string[][], col: (name: string) => number): { stat: string; label: string; low: number; high: number; relative: number } | null {
  if (col('se_mean') < 0) return null;
  let best: { stat: string; label: string; low: number; high: number; relative: number } | null = null;
  for (const r of rows) {
    const v = (name: string) => Number(r[col(name)]);
    const spread = v('p95') - v('p05');
    if (!(spread > 0)) continue;
    const label = `${r[col('metric')]}${r[col('region')] ? ` ${r[col('region')]}` : ''}`;
    const candidates = [
      { stat: 'mean', low: v('mean') - 1.96 * v('se_mean'), high: v('mean') + 1.96 * v('se_mean') },
      { stat: 'median', low: v('p50_low'), high: v('p50_high') },
      { stat: '5% quantile', low: v('p05_low'), high: v('p05_high') },
      { stat: '95% quantile', low: v('p95_low'), high: v('p95_high') },
    ];
    for (const c of candidates) {
      const relative = (c.high - c.low) / spread;
      if (!best || relative > best.relative) best = { ...c, label, relative };
    }
  }
  return best;
}

export function printSummary(outDir: string, plan: Plan): void {
  process.stdout.write(summaryTable(readFileSync(join(outDir, 'epochs.csv'), 'utf8'), plan.epochCount - 1, plan.replicates));
}
