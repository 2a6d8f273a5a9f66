// The short table printed at the end of `run`: the final epoch's median and 90% band. A sweep's
// table is its point 0, and says so with the point's values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETWORK_REGION } from '../io/region-cell.ts';
import { closedDestinationsNote } from '../config/closed-destinations.ts';
import type { Plan } from '../runner/plan.ts';
import type { SweepPoint } from '../runner/sweep.ts';

const SHOWN = ['share', 'hhi_region', 'nakamoto_region', 'top3_share_region', 'hhi_operator', 'hashrate_ehs'];

/**
 * A cell: at most three decimals, without trailing zeros, so that a count reads `2 [1, 3.05]`
 * rather than `2.000 [1.000, 3.050]`; magnitudes of 100 and more as whole numbers.
 */
export function formatCell(text: string): string {
  const n = Number(text);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  return n.toFixed(3).replace(/\.?0+$/, '') || '0';
}

export function summaryTable(epochsCsv: string, lastEpoch: number, points: SweepPoint[] = [], dir = 'DIR'): string {
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
    out.push(`  ${label.padEnd(22)} ${formatCell(r[col('p50')]).padStart(8)}  [${formatCell(r[col('p05')])}, ${formatCell(r[col('p95')])}]`);
  }
  if (sweeping) out.push(`  every point: ${join(dir, 'points.csv')}; its page: hashmigrate report ${dir} --point P (or --point all)`);
  return out.join('\n') + '\n';
}

export function printSummary(outDir: string, plan: Plan): void {
  process.stdout.write(summaryTable(readFileSync(join(outDir, 'epochs.csv'), 'utf8'), plan.epochCount - 1, plan.experiment.sweep ? plan.points : [], outDir));
  process.stdout.write(closedDestinationsNote(plan.experiment));
}
