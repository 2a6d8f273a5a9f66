// compare.html: one self-contained page (inline CSS and SVG, no script) for a paired comparison: the
// arms and how they were paired, a table of the effects at the last compared epoch with their paired
// and unpaired 95% intervals, links to each arm's own report, then the difference figures.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { escapeXml as escapeHtml, type Figure } from './figure.ts';
import { formatNumber } from './format.ts';
import { COMPARE_METRICS } from './compare-figures.ts';
import type { Comparison } from '../runner/compare.ts';
import type { PairedDifference } from '../stats/paired.ts';

const CSS = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fff; max-width: 900px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 0 0 0.4em; }
table { border-collapse: collapse; font-size: 0.88em; margin: 0.5em 0; }
th, td { padding: 0.2em 0.5em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 2em 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.88em; color: #333; margin-top: 0.4em; }
.files { font-size: 0.8em; color: #555; }
`;

function interval(low: number | null, high: number | null, k: number): string {
  return low === null || high === null ? '–' : `${formatNumber(low * k)} to ${formatNumber(high * k)}`;
}

/** How many times narrower the paired interval is than the unpaired one ("–" when either is a point). */
function narrowing(d: PairedDifference): string {
  if (d.low === null || d.high === null || d.unpairedLow === null || d.unpairedHigh === null) return '–';
  const paired = d.high - d.low;
  const unpaired = d.unpairedHigh - d.unpairedLow;
  if (paired === 0) return unpaired === 0 ? '–' : '∞';
  return `${formatNumber(unpaired / paired)}×`;
}

function effectsTable(c: Comparison): string {
  const last = c.epochCount - 1;
  const body = c.arms.flatMap((a) => {
    const wanted = [
      ...COMPARE_METRICS.map((m) => ({ metric: m.metric, region: '', label: m.label, unit: m.unit === 'percentage points' ? 'pp' : m.unit, k: m.k ?? 1 })),
      ...a.series.filter((s) => s.key.metric === 'share').map((s) => ({ metric: 'share', region: s.key.region, label: `Share of ${s.key.region}`, unit: 'pp', k: 100 })),
    ];
    return wanted.flatMap((w) => {
      const s = a.series.find((x) => x.key.metric === w.metric && x.key.region === w.region);
      if (!s) return [];
      const d = s.epochs[last];
      return [
        `<tr><td>${escapeHtml(a.arm.label)}</td><td>${escapeHtml(w.label)}</td><td>${escapeHtml(w.unit)}</td>` +
          `<td class="num">${formatNumber(d.baseMean * w.k)}</td><td class="num">${formatNumber(d.armMean * w.k)}</td>` +
          `<td class="num"><b>${formatNumber(d.mean * w.k)}</b></td><td class="num">${interval(d.low, d.high, w.k)}</td>` +
          `<td class="num">${interval(d.unpairedLow, d.unpairedHigh, w.k)}</td><td class="num">${narrowing(d)}</td></tr>`,
      ];
    });
  });
  return (
    `<p>At the last compared epoch, ${last} (closing ${escapeHtml(c.dates[last])}), over ${c.replicates} paired replicates. ` +
    `Share rows are in percentage points (pp); other units as named. The paired interval is the mean difference ± t<sub>0.975, n−1</sub> · sd/√n; ` +
    `the unpaired one (Welch) treats the arms as independent samples, as comparing two separate runs' summaries would.</p>` +
    `<table><thead><tr><th>arm</th><th>quantity</th><th>unit</th><th>base mean</th><th>arm mean</th><th>mean difference</th><th>95% interval (paired)</th><th>95% interval (unpaired)</th><th>unpaired / paired width</th></tr></thead><tbody>${body.join('')}</tbody></table>`
  );
}

function armLink(outDir: string, dir: string): string {
  const report = join(dir, 'report.html');
  const target = existsSync(report) ? report : dir;
  return `<a href="${escapeHtml(relative(outDir, target).split('\\').join('/'))}">${escapeHtml(relative(outDir, target) || '.')}</a>`;
}

function armsTable(c: Comparison, outDir: string): string {
  const all = [c.base, ...c.arms.map((a) => a.arm)];
  const rows = all.map(
    (a, i) =>
      `<tr><td>${i === 0 ? 'base' : 'arm'}</td><td>${escapeHtml(a.label)}</td><td>${escapeHtml(a.manifest.question)}</td><td>${armLink(outDir, a.dir)}</td><td><code>${escapeHtml(a.manifest.configSha256.slice(0, 12))}</code></td></tr>`,
  );
  const notes = [...c.notes, ...Object.entries(c.skipped).map(([arm, list]) => `${arm}: ${list.length} series of the base not in the arm, not compared (${list.slice(0, 6).join(', ')}${list.length > 6 ? ', …' : ''})`)];
  return (
    `<p>Seed ${c.seed}, ${c.replicates} replicates per arm, epochs 0–${c.epochCount - 1} (to ${escapeHtml(c.dates[c.epochCount - 1])}). Replicate i of every arm draws the same random streams as replicate i of the base (common random numbers), so each difference is paired.</p>` +
    `<table><thead><tr><th></th><th>run</th><th>question</th><th>report</th><th>config SHA-256</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    (notes.length ? `<ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '')
  );
}

function figureHtml(f: Figure): string {
  return (
    `<figure id="${f.id}"><h3>${escapeHtml(f.title)}</h3>${f.inlineSvg}<figcaption>${escapeHtml(f.caption)}</figcaption>` +
    `<div class="files">Files: <a href="figures/${f.id}.svg">figures/${f.id}.svg</a>, <a href="figures/${f.id}.png">figures/${f.id}.png</a></div></figure>`
  );
}

/** The whole page; deterministic for the same comparison and folders. */
export function compareHtml(c: Comparison, figures: Figure[], outDir: string): string {
  const title = `${c.arms.map((a) => a.arm.label).join(', ')} against ${c.base.label}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hashmigrate comparison: ${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>Paired comparison: ${escapeHtml(title)}</h1></header>
<section id="arms"><h2>Runs compared</h2>
${armsTable(c, outDir)}
</section>
<section id="effects"><h2>Effects at the last epoch</h2>
${effectsTable(c)}
</section>
<section id="figures"><h2>Figures</h2>
<nav><ol>${figures.map((f) => `<li><a href="#${f.id}">${escapeHtml(f.title)}</a></li>`).join('')}</ol></nav>
${figures.map(figureHtml).join('\n')}
</section>
</body>
</html>
`;
}
