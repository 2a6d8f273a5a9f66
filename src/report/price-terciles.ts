// The report's table of key numbers at the last epoch conditional on the BTC price outcome: the
// replicates split into terciles of their own last-epoch price (replicates.csv), so a reader can
// tell how much of a metric's spread is price risk and how much is the model's behaviour.
import { existsSync } from 'node:fs';
import { quantileSorted } from 'd3-array';
import { readTable, tablePath } from '../io/table-read.ts';
import { escapeXml as escapeHtml } from './figure.ts';
import { formatNumber } from './format.ts';
import type { Results } from './results.ts';

const PRICE = 'final_btc_price_usd';

interface Column {
  name: string;
  label: string;
  k: number;
}

const FIXED: Column[] = [
  { name: 'final_hashrate_ehs', label: 'Network hashrate, EH/s', k: 1 },
  { name: 'final_hhi_region', label: 'HHI of regions', k: 1 },
  { name: 'final_nakamoto_region', label: 'Nakamoto coefficient of regions', k: 1 },
  { name: 'final_top3_share_region', label: 'Share of the top 3 regions, %', k: 100 },
  { name: 'final_hhi_operator', label: 'HHI of operators', k: 1 },
];

function q(sorted: number[], p: number): number {
  return quantileSorted(sorted, p) as number;
}

/** The terciles table as HTML, or '' when replicates.csv is missing or has fewer than 3 replicates. */
export function priceTercilesHtml(results: Results): string {
  const file = tablePath(results.dir, 'replicates', results.manifest?.outputs);
  if (!existsSync(file)) return '';
  const { header, rows } = readTable(file);
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  if (col[PRICE] === undefined) return '';
  const mine = results.point === null || col.point === undefined ? rows : rows.filter((r) => Number(r[col.point]) === results.point);
  if (mine.length < 3) return '';
  const prices = mine.map((r) => Number(r[col[PRICE]]));
  const sortedPrices = [...prices].sort((a, b) => a - b);
  const cuts = [q(sortedPrices, 1 / 3), q(sortedPrices, 2 / 3)];
  const tercile = (price: number) => (price <= cuts[0] ? 0 : price <= cuts[1] ? 1 : 2);
  const groups: string[][][] = [[], [], []];
  mine.forEach((r, i) => groups[tercile(prices[i])].push(r));
  // the three regions with the largest median share at the last epoch
  const shareColumns = header
    .filter((h) => h.startsWith('final_share_'))
    .map((h) => ({ h, median: q(mine.map((r) => Number(r[col[h]])).sort((a, b) => a - b), 0.5) }))
    .sort((a, b) => b.median - a.median)
    .slice(0, 3)
    .map(({ h }): Column => ({ name: h, label: `Share of ${h.slice('final_share_'.length)}, %`, k: 100 }));
  const columns = [...FIXED.filter((c) => col[c.name] !== undefined), ...shareColumns];
  const cell = (group: string[][], c: Column) => {
    if (group.length === 0) return '<td class="num">–</td>';
    const v = group.map((r) => Number(r[col[c.name]]) * c.k).sort((a, b) => a - b);
    return `<td class="num">${formatNumber(q(v, 0.5))} <span class="files">[${formatNumber(q(v, 0.05))} – ${formatNumber(q(v, 0.95))}]</span></td>`;
  };
  const bounds = [
    `≤ ${formatNumber(cuts[0])}`,
    `${formatNumber(cuts[0])} – ${formatNumber(cuts[1])}`,
    `> ${formatNumber(cuts[1])}`,
  ];
  const head = ['low price', 'middle price', 'high price'].map((name, g) => `<th>${name}<br><span class="files">BTC ${escapeHtml(bounds[g])} USD, ${groups[g].length} replicates</span></th>`);
  const body = columns.map((c) => `<tr><td>${escapeHtml(c.label)}</td>${groups.map((g) => cell(g, c)).join('')}<td><code>${escapeHtml(c.name)}</code></td></tr>`);
  return (
    `<p>The BTC price path dominates the spread of most results. Here the ${mine.length} replicates are split into terciles of their own BTC price at the last epoch (<code>${PRICE}</code> in <code>replicates.csv</code>), and each cell gives the median [5%–95%] of a key number within the tercile. Differences along a row are price risk; the spread within a cell is what the model's other randomness adds.</p>` +
    `<table><thead><tr><th>quantity at the last epoch</th>${head.join('')}<th>column</th></tr></thead><tbody>${body.join('')}</tbody></table>`
  );
}
