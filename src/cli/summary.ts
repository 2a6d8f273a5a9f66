// The short table printed at the end of `run`: the final epoch's median and 90% band.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../runner/plan.ts';

export function summaryTable(epochsCsv: string, lastEpoch: number): string {
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
  return out.join('\n') + '\n';
}

export function printSummary(outDir: string, plan: Plan): void {
  process.stdout.write(summaryTable(readFileSync(join(outDir, 'epochs.csv'), 'utf8'), plan.epochCount - 1));
}
