// The report's figures, each built only from a run's outputs (see results.ts): regional shares,
// concentration, network hashrate and hashprice, decisions, regional cost per BTC against the price,
// and for a sweep the final epoch against each swept parameter.
import * as Plot from '@observablehq/plot';
import type { FigureSpec, LegendItem } from './figure.ts';
import { seriesOf, seriesKey, type Results, type StatRow } from './results.ts';
import { sensitivityFigures } from './sensitivity-figure.ts';
import type { ObservedMark } from './backtest-results.ts';

/** Observable 10, then two more for the twelve baseline regions. */
export const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0', '#1b7837', '#762a83'];
const MEDIAN = '#1f3b73';
/** HHI thresholds of the US merger guidelines (2010): above 1,500 moderately, above 2,500 highly concentrated */
const HHI_MODERATE = 1500;
const HHI_HIGH = 2500;
/** 2023 US Merger Guidelines §2.1: above 1,800 highly concentrated; 1,000: the unconcentrated line of the 1982–1997 guidelines */
const HHI_2023_LOW = 1000;
const HHI_2023_HIGH = 1800;

/** Dates are each epoch's close (the median across replicates, as in epochs.csv). */
const DATE_AXIS = { type: 'utc', label: 'date (close of epoch)', ticks: 8, labelOffset: 44 } as const;
const DATE_MARGIN = 48;

type Scaled = StatRow & { group?: string; fx?: number; fy?: number };

function bandLegend(color: string, what: string): LegendItem[] {
  return [
    { label: `median ${what}`, color, kind: 'line' },
    { label: '50% interval (p25–p75)', color, kind: 'band', opacity: 0.35 },
    { label: '90% interval (p05–p95)', color, kind: 'band', opacity: 0.15 },
  ];
}

/** Median line with 50% and 90% bands of one series, values multiplied by `k`. */
function bandMarks(data: Scaled[], color: string, k = 1, extra: Record<string, unknown> = {}): Plot.Markish[] {
  const y = (s: keyof StatRow) => (d: Scaled) => (d[s] as number) * k;
  return [
    Plot.areaY(data, { x: 'date', y1: y('p05'), y2: y('p95'), fill: color, fillOpacity: 0.15, curve: 'step-before', ...extra }),
    Plot.areaY(data, { x: 'date', y1: y('p25'), y2: y('p75'), fill: color, fillOpacity: 0.35, curve: 'step-before', ...extra }),
    Plot.lineY(data, { x: 'date', y: y('p50'), stroke: color, strokeWidth: 1.5, curve: 'step-before', ...extra }),
  ];
}

const OBSERVED = '#d62728';

/** The observations of a series (backtest.csv), or none. */
function observedOf(results: Results, metric: string, region = ''): ObservedMark[] {
  return results.backtest?.observed.get(seriesKey(metric, region)) ?? [];
}

function observedLegend(marks: ObservedMark[]): LegendItem[] {
  return marks.length ? [{ label: 'observed (backtest.csv); hollow: outside the 90% interval', color: OBSERVED, kind: 'dot' }] : [];
}

/** Observations as dots on a fan chart, values multiplied by `k`: filled inside the 90% interval, hollow outside. */
function observedMarks(marks: ObservedMark[], k = 1, extra: Record<string, unknown> = {}): Plot.Markish[] {
  if (marks.length === 0) return [];
  const r = marks.length > 200 ? 1.2 : 2.5;
  const y = (d: ObservedMark) => d.observed * k;
  return [
    Plot.dot(marks.filter((d) => d.in90), { x: 'date', y, r, fill: OBSERVED, ...extra }),
    Plot.dot(marks.filter((d) => !d.in90), { x: 'date', y, r, stroke: OBSERVED, fill: 'white', strokeWidth: 1, ...extra }),
  ];
}

function observedCaption(marks: ObservedMark[]): string {
  if (marks.length === 0) return '';
  const inside = marks.filter((d) => d.in90).length;
  return ` Dots: the ${marks.length} observations of the backtest (backtest.csv), ${inside} inside the 90% interval at their date (filled) and ${marks.length - inside} outside (hollow).`;
}

function lastDate(results: Results): string {
  const rows = seriesOf(results, 'hashrate_ehs');
  return rows.length ? rows[rows.length - 1].date.toISOString().slice(0, 10) : '';
}

function runLabel(results: Results): string {
  const n = results.manifest.replicates;
  const point = results.point === null ? '' : `, sweep point ${results.point}`;
  return `${n} replicate${n === 1 ? '' : 's'}${point}`;
}

function sharesFigure(results: Results): FigureSpec | null {
  const regions = results.regions.filter((r) => seriesOf(results, 'share', r.id).length > 0);
  if (regions.length === 0) return null;
  const columns = Math.min(4, regions.length);
  const rowsCount = Math.ceil(regions.length / columns);
  const data: Scaled[] = regions.flatMap((r, i) => seriesOf(results, 'share', r.id).map((row) => ({ ...row, fx: i % columns, fy: Math.floor(i / columns) })));
  const labels = regions.map((r, i) => ({ name: `${r.name} (${r.id})`, fx: i % columns, fy: Math.floor(i / columns) }));
  const observed = regions.flatMap((r, i) => observedOf(results, 'share', r.id).map((m) => ({ ...m, fx: i % columns, fy: Math.floor(i / columns) })));
  return {
    id: 'regional-shares',
    title: 'Regional shares of running hashrate',
    caption: `Share of the network's running hashrate mined in each region (unsplit), per difficulty epoch: median across ${runLabel(results)} with its 50% and 90% intervals, from epochs.csv (metric share). Panels share the same axes.${observedCaption(observed)}`,
    legend: [...bandLegend(MEDIAN, 'share'), ...observedLegend(observed)],
    plot: {
      height: 40 + rowsCount * 150,
      marginLeft: 44,
      marginRight: 16,
      x: { ...DATE_AXIS, ticks: 3 },
      marginBottom: DATE_MARGIN,
      y: { label: 'share of hashrate (%)', grid: true, domain: [0, Math.max(1, ...data.map((d) => d.p95 * 100), ...observed.map((d) => d.observed * 100)) * 1.05] },
      fx: { axis: null },
      fy: { axis: null },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        ...bandMarks(data, MEDIAN, 100, { fx: 'fx', fy: 'fy' }),
        ...observedMarks(observed, 100, { fx: 'fx', fy: 'fy' }),
        Plot.text(labels, { fx: 'fx', fy: 'fy', text: 'name', frameAnchor: 'top-left', dx: 4, dy: 4, fontWeight: 'bold' }),
      ],
    },
  };
}

/** A panel title above the chart's frame, at its right (the y axis label sits at the left). */
function panelTitle(text: string): Plot.Markish {
  return Plot.text([text], { frameAnchor: 'top-right', dy: -18, fontWeight: 'bold', fontSize: 12 });
}

/** One series' median, 50% and 90% bands on its own axes: a panel of a stacked figure. */
function seriesPanel(rows: StatRow[], color: string, title: string, y: Plot.ScaleOptions, extra: Plot.Markish[] = []): Plot.PlotOptions {
  return {
    height: 240,
    marginTop: 28,
    marginLeft: 60,
    marginRight: 16,
    x: DATE_AXIS,
    marginBottom: DATE_MARGIN,
    y: { grid: true, ...y },
    marks: [Plot.frame({ stroke: '#ddd' }), ...bandMarks(rows, color), ...extra, panelTitle(title)],
  };
}

/**
 * HHI thresholds of the US merger guidelines, drawn above the data so no band hides them: the 2010
 * Horizontal Merger Guidelines (§5.3: above 1,500 moderately, above 2,500 highly concentrated) and
 * the 2023 Merger Guidelines (§2.1: above 1,800 highly concentrated), with the 1,000 line below
 * which markets count as unconcentrated in the 1982-1997 guidelines that the 2023 line returns to.
 */
function hhiThresholdMarks(top: number): Plot.Markish[] {
  const lines = [
    { y: HHI_MODERATE, t: '2010 guidelines: 1,500 moderately concentrated', color: '#b30000', dash: '5,3' },
    { y: HHI_HIGH, t: '2010 guidelines: 2,500 highly concentrated', color: '#b30000', dash: '5,3' },
    { y: HHI_2023_LOW, t: '1,000 unconcentrated below (1982–1997 guidelines)', color: '#5a3d99', dash: '2,3' },
    { y: HHI_2023_HIGH, t: '2023 guidelines: 1,800 highly concentrated', color: '#5a3d99', dash: '2,3' },
  ].filter((l) => l.y < top);
  return [
    ...['5,3', '2,3'].map((dash) => Plot.ruleY(lines.filter((l) => l.dash === dash), { y: 'y', stroke: 'color', strokeDasharray: dash, strokeWidth: 1.3 })),
    Plot.text(lines, { y: 'y', text: 't', fill: 'color', frameAnchor: 'left', textAnchor: 'start', dx: 6, dy: -6, stroke: 'white', strokeWidth: 3, paintOrder: 'stroke', fontSize: 10.5 }),
  ];
}

function hhiFigure(results: Results): FigureSpec | null {
  const region = seriesOf(results, 'hhi_region');
  const operator = seriesOf(results, 'hhi_operator');
  if (region.length === 0) return null;
  const top = Math.min(10_000, Math.max(HHI_HIGH * 1.15, ...region.map((d) => d.p95)) * 1.05);
  const operatorTop = Math.max(1, ...operator.map((d) => d.p95)) * 1.08;
  const operatorColor = PALETTE[2];
  return {
    id: 'hhi',
    title: 'Concentration: Herfindahl–Hirschman index (HHI) over time',
    caption: `HHI on the 0–10,000 scale, in two panels with their own axes: of regional shares (regions, with the rest of the world split into 1% parts) and of operators' shares of running hashrate; median across ${runLabel(results)} with 50% and 90% intervals (epochs.csv, metrics hhi_region and hhi_operator). Lines drawn over the bands: the 2010 US Horizontal Merger Guidelines (above 1,500 moderately, above 2,500 highly concentrated) and the 2023 US Merger Guidelines (above 1,800 highly concentrated), with the 1,000 line below which the 1982–1997 guidelines called a market unconcentrated. The guidelines judge markets of firms; for regions they are only a yardstick.`,
    legend: [
      ...bandLegend(MEDIAN, 'HHI'),
      { label: '2010 US merger guidelines (1,500; 2,500)', color: '#b30000', kind: 'dash' },
      { label: '2023 US merger guidelines (1,800) and 1,000', color: '#5a3d99', kind: 'dash' },
    ],
    plot: seriesPanel(region, MEDIAN, 'Regions', { label: 'HHI of regions (0–10,000)', domain: [0, top] }, hhiThresholdMarks(top)),
    panels: operator.length ? [seriesPanel(operator, operatorColor, 'Operators', { label: 'HHI of operators (0–10,000)', domain: [0, operatorTop] }, hhiThresholdMarks(operatorTop))] : [],
  };
}

function nakamotoFigure(results: Results): FigureSpec | null {
  const region = seriesOf(results, 'nakamoto_region');
  const operator = seriesOf(results, 'nakamoto_operator');
  if (region.length === 0 && operator.length === 0) return null;
  const operatorColor = PALETTE[2];
  const panels = [
    ...(region.length ? [seriesPanel(region, MEDIAN, 'Regions', { label: 'Nakamoto coefficient (count of regions)', zero: true })] : []),
    ...(operator.length ? [seriesPanel(operator, operatorColor, 'Operators', { label: 'Nakamoto coefficient (count of operators)', zero: true })] : []),
  ];
  return {
    id: 'nakamoto',
    title: 'Concentration: Nakamoto coefficient over time',
    caption: `Fewest regions (after the rest-of-world split) and fewest operators that together hold more than 50% of running hashrate, in separate panels with their own axes (regions count in ones, operators in tens): median across ${runLabel(results)} with 50% and 90% intervals (epochs.csv, metrics nakamoto_region and nakamoto_operator). Lower means more concentrated.`,
    legend: bandLegend(MEDIAN, 'count'),
    plot: panels[0],
    panels: panels.slice(1),
  };
}

function singleSeriesFigure(results: Results, o: { id: string; metric: string; region?: string; title: string; label: string; what: string; caption: string; log?: boolean }): FigureSpec | null {
  const rows = seriesOf(results, o.metric, o.region);
  if (rows.length === 0) return null;
  const observed = observedOf(results, o.metric, o.region);
  const log = o.log && rows.every((d) => d.p05 > 0) && observed.every((d) => d.observed > 0);
  return {
    id: o.id,
    title: o.title,
    caption: `${o.caption} Median across ${runLabel(results)} with 50% and 90% intervals (epochs.csv, metric ${o.metric}${o.region ? `, region ${o.region}` : ''}).${observedCaption(observed)}`,
    legend: [...bandLegend(MEDIAN, o.what), ...observedLegend(observed)],
    plot: {
      height: 300,
      marginLeft: 60,
      x: DATE_AXIS,
      marginBottom: DATE_MARGIN,
      y: { label: o.label, grid: true, type: log ? 'log' : 'linear', zero: !log },
      marks: [...bandMarks(rows, MEDIAN), ...observedMarks(observed)],
    },
  };
}

function capitulationsFigure(results: Results): FigureSpec | null {
  // epoch 0 (always 0) anchors the step of epoch 1, which spans from the start to its close
  const rows = seriesOf(results, 'capitulations');
  if (rows.length === 0) return null;
  const entries = seriesOf(results, 'entries');
  return {
    id: 'decisions-capitulations',
    title: 'Decisions: capitulations per epoch',
    caption: `Operators that exited in each difficulty epoch (including insolvent or banned operators), and entrants that took over an exited site: mean across ${runLabel(results)} (the expected count), with the 90% interval of capitulations (epochs.csv, metrics capitulations and entries).`,
    legend: [
      { label: 'mean capitulations', color: MEDIAN, kind: 'line' },
      { label: '90% interval of capitulations', color: MEDIAN, kind: 'band', opacity: 0.15 },
      { label: 'mean entries', color: PALETTE[4], kind: 'line' },
    ],
    plot: {
      height: 300,
      marginLeft: 48,
      x: DATE_AXIS,
      marginBottom: DATE_MARGIN,
      y: { label: 'operators per epoch', grid: true, zero: true },
      marks: [
        Plot.areaY(rows, { x: 'date', y1: 'p05', y2: 'p95', fill: MEDIAN, fillOpacity: 0.15, curve: 'step-before' }),
        Plot.lineY(rows, { x: 'date', y: 'mean', stroke: MEDIAN, strokeWidth: 1.5, curve: 'step-before' }),
        Plot.lineY(entries, { x: 'date', y: 'mean', stroke: PALETTE[4], strokeWidth: 1.2, curve: 'step-before' }),
      ],
    },
  };
}

function relocationsFigure(results: Results): FigureSpec | null {
  const destinations = results.destinations.filter((d) => seriesOf(results, 'relocations', d).length > 0);
  if (destinations.length === 0) return null;
  const names = new Map(results.regions.map((r) => [r.id, r.name]));
  // The mean of a sum is the sum of the means, so the running total of per-epoch means is the
  // expected cumulative count of relocations.
  const data = destinations.flatMap((d) => {
    let total = 0;
    return seriesOf(results, 'relocations', d).map((row) => ({ date: row.date, destination: `${names.get(d) ?? d} (${d})`, cumulative: (total += row.mean) }));
  });
  const domain = destinations.map((d) => `${names.get(d) ?? d} (${d})`);
  const range = domain.map((_, i) => PALETTE[i % PALETTE.length]);
  return {
    id: 'decisions-relocations',
    title: 'Decisions: relocations by destination (cumulative)',
    caption: `Operators that began moving to each destination, summed from the start: the running total of the mean per epoch across ${runLabel(results)}, which is the expected cumulative count (epochs.csv, metric relocations by destination).`,
    legend: domain.map((label, i) => ({ label, color: range[i], kind: 'line' as const })),
    plot: {
      height: 300,
      marginLeft: 48,
      x: DATE_AXIS,
      marginBottom: DATE_MARGIN,
      y: { label: 'relocations since start (operators, expected)', grid: true, zero: true },
      color: { domain, range },
      marks: [Plot.lineY(data, { x: 'date', y: 'cumulative', stroke: 'destination', strokeWidth: 1.5, curve: 'step-before' })],
    },
  };
}

function costFigure(results: Results): FigureSpec | null {
  const regions = results.regions.filter((r) => seriesOf(results, 'cost_per_btc_usd', r.id).length > 0);
  const price = seriesOf(results, 'btc_price_usd');
  if (regions.length === 0 || price.length === 0) return null;
  const domain = regions.map((r) => `${r.name} (${r.id})`);
  const range = domain.map((_, i) => PALETTE[i % PALETTE.length]);
  const data = regions.flatMap((r, i) => seriesOf(results, 'cost_per_btc_usd', r.id).map((row) => ({ date: row.date, region: domain[i], p50: row.p50 })));
  const log = data.every((d) => d.p50 > 0) && price.every((d) => d.p05 > 0);
  return {
    id: 'cost-per-btc',
    title: 'Electricity cost per BTC by region against the BTC price',
    caption: `Median electricity cost per BTC earned by each region's running fleet (power with PUE, contracts and hosting rates; no overhead) across ${runLabel(results)}, against the median BTC price with its 90% interval (epochs.csv, metrics cost_per_btc_usd by region and btc_price_usd). Where a region's line is above the price, its mining loses money on power alone.`,
    legend: [{ label: 'BTC price (median)', color: 'black', kind: 'line' }, { label: 'BTC price, 90% interval', color: 'black', kind: 'band', opacity: 0.1 }, ...domain.map((label, i) => ({ label, color: range[i], kind: 'line' as const }))],
    plot: {
      height: 360,
      marginLeft: 64,
      x: DATE_AXIS,
      marginBottom: DATE_MARGIN,
      y: { label: `USD per BTC${log ? ' (log scale)' : ''}`, grid: true, type: log ? 'log' : 'linear', tickFormat: '~s' },
      color: { domain, range },
      marks: [
        Plot.areaY(price, { x: 'date', y1: 'p05', y2: 'p95', fill: 'black', fillOpacity: 0.1, curve: 'step-before' }),
        Plot.lineY(data, { x: 'date', y: 'p50', stroke: 'region', strokeWidth: 1, curve: 'step-before' }),
        Plot.lineY(price, { x: 'date', y: 'p50', stroke: 'black', strokeWidth: 2.2, curve: 'step-before' }),
      ],
    },
  };
}

/** Final-epoch metrics plotted against each swept parameter (one figure per parameter and metric). */
const SWEEP_METRICS: { metric: string; name: string; label: string; k?: number }[] = [
  { metric: 'hhi_region', name: 'HHI of regions', label: 'HHI of regions (0–10,000)' },
  { metric: 'nakamoto_region', name: 'Nakamoto coefficient of regions', label: 'Nakamoto coefficient of regions (count)' },
  { metric: 'top3_share_region', name: 'share of the top 3 regions', label: 'share of the top 3 regions (%)', k: 100 },
  { metric: 'hashrate_ehs', name: 'network hashrate', label: 'network hashrate (EH/s)' },
];

function sweepFigures(results: Results): FigureSpec[] {
  const sweep = results.manifest.sweep;
  if (!sweep || sweep.points.length === 0) return [];
  const paths = sweep.points[0].values.map((v) => v.path);
  const specs: FigureSpec[] = [];
  paths.forEach((path, j) => {
    for (const { metric, name, label, k = 1 } of SWEEP_METRICS) {
      const data = sweep.points.flatMap((p) => {
        const row = results.finals.get(p.index)?.get(seriesKey(metric));
        return row ? [{ x: p.values[j].value, p05: row.p05 * k, p50: row.p50 * k, p95: row.p95 * k, point: p.index }] : [];
      });
      if (data.length === 0) continue;
      specs.push({
        id: `sweep-${j + 1}-${metric.replace(/_/g, '-')}`,
        title: `Sweep: ${name} at the last epoch against ${path}`,
        caption: `Last epoch (${results.lastEpoch}) of each of the ${sweep.points.length} sweep points (${sweep.design} design), plotted against the point's value of ${path}: median across ${results.manifest.replicates} replicates with its 90% interval (epochs.csv, metric ${metric}, by point; parameter values from manifest.json).`,
        legend: [
          { label: 'median at the last epoch', color: MEDIAN, kind: 'line' },
          { label: '90% interval (p05–p95)', color: MEDIAN, kind: 'band', opacity: 0.5 },
        ],
        plot: {
          height: 280,
          marginLeft: 60,
          x: { label: path, grid: true, inset: 14 },
          y: { label, grid: true },
          marks: [
            Plot.ruleX(data, { x: 'x', y1: 'p05', y2: 'p95', stroke: MEDIAN, strokeOpacity: 0.5, strokeWidth: 2 }),
            Plot.dot(data, { x: 'x', y: 'p50', fill: MEDIAN, r: 3 }),
            Plot.lineY([...data].sort((a, b) => a.x - b.x), { x: 'x', y: 'p50', stroke: MEDIAN, strokeOpacity: 0.4 }),
          ],
        },
      });
    }
  });
  return specs;
}

/** Observed series without a figure of their own above: each gets a fan chart with its observations. */
function observedFigures(results: Results): FigureSpec[] {
  const drawn = new Set([seriesKey('hashrate_ehs'), ...results.regions.map((r) => seriesKey('share', r.id))]);
  const keys = [...(results.backtest?.observed.keys() ?? [])].filter((k) => !drawn.has(k));
  return keys.flatMap((key) => {
    const [metric, region] = key.split('|');
    const name = `${metric}${region ? ` ${region}` : ''}`;
    const spec = singleSeriesFigure(results, {
      id: `observed-${metric.replace(/_/g, '-')}${region ? `-${region}` : ''}`,
      metric,
      region,
      title: `Backtest: ${name} against the observations`,
      label: name,
      what: name,
      caption: `Simulated ${name} per difficulty epoch against what was observed.`,
      log: true,
    });
    return spec ? [spec] : [];
  });
}

/** Every figure the results support, in report order. */
export function figureSpecs(results: Results): FigureSpec[] {
  const end = lastDate(results);
  return [
    sharesFigure(results),
    hhiFigure(results),
    nakamotoFigure(results),
    singleSeriesFigure(results, {
      id: 'network-hashrate',
      metric: 'hashrate_ehs',
      title: 'Network hashrate',
      label: 'running hashrate (EH/s)',
      what: 'hashrate',
      caption: `Hashrate that ran in each difficulty epoch (machines not shut in), up to ${end}.`,
    }),
    singleSeriesFigure(results, {
      id: 'hashprice',
      metric: 'hashprice_usd_ph_day',
      title: 'Hashprice',
      label: 'hashprice (USD per PH/s per day)',
      what: 'hashprice',
      caption: 'Revenue per unit of hashrate per day: 144 × subsidy × (1 + fee ratio) × BTC price / implied hashrate.',
    }),
    capitulationsFigure(results),
    relocationsFigure(results),
    singleSeriesFigure(results, {
      id: 'decisions-ai',
      metric: 'ai_mw',
      title: 'Decisions: MW pivoted to AI hosting',
      label: 'IT load at AI sites (MW)',
      what: 'MW',
      caption: 'IT load at former mining sites converting to or hosting AI, at the close of each epoch (cumulative).',
    }),
    costFigure(results),
    ...observedFigures(results),
    ...sweepFigures(results),
    ...sensitivityFigures(results),
  ].filter((s): s is FigureSpec => s !== null);
}
