// report.html: one self-contained page (inline CSS and SVG, no script, no network) that opens with
// the experiment's question and description, the last epoch's key numbers with 90% intervals and
// the run's provenance, followed by every figure. A sweep point's page names the point in its title.
import { escapeXml as escapeHtml, type Figure } from './figure.ts';
import { formatNumber } from './format.ts';
import { priceTercilesHtml } from './price-terciles.ts';
import { seriesKey, type Results } from './results.ts';
import { formatScore } from './scorecard.ts';

interface KeyNumber {
  metric: string;
  region?: string;
  label: string;
  unit: string;
  /** factor from the file's unit to the one printed (100 for shares as %) */
  k?: number;
}

const KEY_NUMBERS: KeyNumber[] = [
  { metric: 'hashrate_ehs', label: 'Network hashrate', unit: 'EH/s' },
  { metric: 'btc_price_usd', label: 'BTC price', unit: 'USD' },
  { metric: 'hashprice_usd_ph_day', label: 'Hashprice', unit: 'USD/PH/s/day' },
  { metric: 'hhi_region', label: 'HHI of regions', unit: '0–10,000' },
  { metric: 'nakamoto_region', label: 'Nakamoto coefficient of regions', unit: 'regions' },
  { metric: 'top3_share_region', label: 'Share of the top 3 regions', unit: '%', k: 100 },
  { metric: 'hhi_operator', label: 'HHI of operators', unit: '0–10,000' },
  { metric: 'nakamoto_operator', label: 'Nakamoto coefficient of operators', unit: 'operators' },
  { metric: 'gini_operator', label: 'Gini coefficient of operators', unit: '0–1' },
  { metric: 'operators_mining', label: 'Operators mining', unit: 'operators' },
  { metric: 'unprofitable_share', label: 'Hashrate below power + overhead cost', unit: '%', k: 100 },
  { metric: 'ai_mw', label: 'IT load pivoted to AI', unit: 'MW' },
];

const CSS = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1a1a1a; background: #fff; max-width: 800px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
h3 { font-size: 1.05em; margin: 0 0 0.4em; }
.question { font-size: 1.15em; font-style: italic; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-size: 0.9em; }
#provenance code { word-break: break-all; }
td code { white-space: nowrap; }
figure { margin: 2em 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.88em; color: #333; margin-top: 0.4em; }
.files { font-size: 0.8em; color: #555; }
.warning { color: #a00000; font-weight: bold; }
nav ol { columns: 2; font-size: 0.9em; }
`;

function pointValues(results: Results): string {
  const point = results.manifest.sweep?.points.find((p) => p.index === results.point);
  return (point?.values ?? []).map((v) => `${escapeHtml(v.path)} = ${formatNumber(v.value)}`).join(', ');
}

/** `sweep point 1 (path = 0.06)` for a sweep point's page (escaped), or '' for a run without a sweep. */
function pointLabel(results: Results): string {
  return results.point === null ? '' : `sweep point ${results.point} (${pointValues(results)})`;
}

function keyNumbersTable(results: Results): string {
  const finals = results.finals.get(results.point ?? 0) ?? new Map();
  const regionShares: KeyNumber[] = results.regions
    .map((r) => ({ metric: 'share', region: r.id, label: `Share of ${r.name} (${r.id})`, unit: '%', k: 100 }))
    .filter((n) => finals.has(seriesKey(n.metric, n.region)))
    .sort((a, b) => finals.get(seriesKey(b.metric, b.region)).p50 - finals.get(seriesKey(a.metric, a.region)).p50);
  const rows = [...KEY_NUMBERS, ...regionShares].flatMap((n) => {
    const row = finals.get(seriesKey(n.metric, n.region));
    if (!row) return [];
    const k = n.k ?? 1;
    return [
      `<tr><td>${escapeHtml(n.label)}</td><td>${escapeHtml(n.unit)}</td><td class="num">${formatNumber(row.p50 * k)}</td>` +
        `<td class="num">${formatNumber(row.p05 * k)} – ${formatNumber(row.p95 * k)}</td><td class="num">${formatNumber(row.mean * k)}${row.seMean === undefined ? '' : ` ± ${formatNumber(1.96 * row.seMean * k)}`}</td>` +
        `<td><code>${escapeHtml(n.metric)}${n.region ? ` ${escapeHtml(n.region)}` : ''}</code></td></tr>`,
    ];
  });
  const any = [...finals.values()][0];
  const date = any ? any.date.toISOString().slice(0, 10) : '';
  return (
    `<p>Last epoch ${results.lastEpoch} (closing ${date}), across ${results.manifest.replicates} replicates${results.point === null ? '' : ` of ${pointLabel(results)}`}, from <code>${results.epochsFile}</code>.${results.point === null ? '' : ` Each point has its own page: <code>hashmigrate report DIR --point P</code> writes <code>report-point-P.html</code> (<code>--point all</code>: every point).`}</p>` +
    `<table><thead><tr><th>quantity</th><th>unit</th><th>median</th><th>90% interval (p05–p95)</th><th>mean ± Monte Carlo error (95%, 1.96 se_mean)</th><th>series</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function backtestSection(results: Results): string {
  const b = results.backtest;
  if (!b) return '';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const rows = b.scorecard.map(
    (r) =>
      `<tr><td><code>${escapeHtml(r.metric)}${r.region ? ` ${escapeHtml(r.region)}` : ''}</code></td><td class="num">${r.n}</td>` +
      `<td class="num">${escapeHtml(formatScore(r.mdale))}</td><td class="num">${pct(r.coverage50)}</td><td class="num">${pct(r.coverage90)}</td>` +
      `<td class="num">${escapeHtml(formatScore(r.crpsMean))}</td><td class="num">${escapeHtml(formatScore(r.crpsRelative))}</td></tr>`,
  );
  return `<section id="backtest"><h2>Backtest against observations</h2>
<p>Each observation of the config's <code>observed</code> file that falls in the simulated dates is scored against the replicates' values at its date (<code>backtest.csv</code>); this is the summary per series (<code>backtest-summary.csv</code>). MdALE: median absolute log error of the simulated median (0.1 is about 10% off). Coverage: share of observations inside the 50% and 90% intervals (about 50% and 90% when calibrated). CRPS: mean continuous ranked probability score, in the metric's unit and relative to the mean observation (lower is better).</p>
<table><thead><tr><th>series</th><th>n</th><th>MdALE</th><th>in 50%</th><th>in 90%</th><th>CRPS</th><th>CRPS / mean obs.</th></tr></thead><tbody>${rows.join('')}</tbody></table>
</section>
`;
}

function provenanceTable(results: Results): string {
  const m = results.manifest;
  const sweep = m.sweep ? `${m.sweep.design}, ${m.sweep.points.length} points` : 'none';
  const rows: [string, string][] = [
    ['experiment', m.name],
    ['config file', m.configFile ?? ''],
    ['config SHA-256 (canonical JSON)', m.configSha256],
    ['root seed', `${m.seedScheme.rootSeed} (scheme ${m.seedScheme.scheme})`],
    ['replicates', String(m.replicates)],
    ['sweep', sweep],
    ['software', `${m.software.name ?? 'hashmigrate'} ${m.software.version}`],
    ['git commit', m.software.gitCommit],
    ['Node', m.software.node ?? ''],
    [`${results.epochsFile} SHA-256`, m.outputs?.[results.epochsFile] ?? 'not recorded'],
  ];
  const warning = results.mismatchedOutputs.length
    ? `<p class="warning">${results.mismatchedOutputs.map(escapeHtml).join(', ')} differs from the SHA-256 recorded in manifest.json: the file was changed after the run.</p>`
    : '';
  return `<table><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join('')}</tbody></table>${warning}`;
}

function figureHtml(f: Figure, figuresDir: string): string {
  const file = (ext: string) => `${figuresDir}/${f.id}.${ext}`;
  return (
    `<figure id="${f.id}"><h3>${escapeHtml(f.title)}</h3>${f.inlineSvg}` +
    `<figcaption>${escapeHtml(f.caption)}</figcaption>` +
    `<div class="files">Files: <a href="${file('svg')}">${file('svg')}</a>, <a href="${file('png')}">${file('png')}</a></div></figure>`
  );
}

/** The whole page; deterministic (no clock, no machine-dependent text) for the same results. */
export function reportHtml(results: Results, figures: Figure[], figuresDir = 'figures'): string {
  const m = results.manifest;
  const terciles = priceTercilesHtml(results);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hashmigrate report: ${escapeHtml(m.name)}${results.point === null ? '' : `, ${pointLabel(results)}`}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(m.name)}</h1>
<p class="question">${escapeHtml(m.question)}</p>
<p>${escapeHtml(m.description)}</p>
</header>
<section id="key-numbers"><h2>Key numbers at the last epoch</h2>
${keyNumbersTable(results)}
</section>
${terciles ? `<section id="price-terciles"><h2>Key numbers by BTC price outcome</h2>\n${terciles}\n</section>` : ''}
${backtestSection(results)}<section id="provenance"><h2>Provenance</h2>
${provenanceTable(results)}
</section>
<section id="figures"><h2>Figures</h2>
<nav><ol>${figures.map((f) => `<li><a href="#${f.id}">${escapeHtml(f.title)}</a></li>`).join('')}</ol></nav>
${figures.map((f) => figureHtml(f, figuresDir)).join('\n')}
</section>
</body>
</html>
`;
}
