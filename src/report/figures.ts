// The report's figures, each built only from a run's outputs (see results.ts): regional shares,
// concentration, network hashrate and hashprice, decisions, regional cost per BTC against the price,
// and for a sweep the final epoch against each swept parameter.
import * as Plot from '@observablehq/plot';
import type { FigureSpec, LegendItem } from './figure.ts';
import { seriesOf, seriesKey, type Results, type StatRow } from './results.ts';
import { sensitivityFigures } from './sensitivity-figure.ts';
import { formatNumber } from './format.ts';
import { FIELD_DOCS } from '../config/field-docs.ts';
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

/** Panel positions of a grid of small multiples, `columns` wide. */
function grid(i: number, columns: number): { fx: number; fy: number } {
  return { fx: i % columns, fy: Math.floor(i / columns) };
}

/** Each panel's name, at its top left. */
function panelLabels(names: string[], columns: number): Plot.Markish {
  const labels = names.map((name, i) => ({ name, ...grid(i, columns) }));
  return Plot.text(labels, { fx: 'fx', fy: 'fy', text: 'name', frameAnchor: 'top-left', dx: 4, dy: 4, fontWeight: 'bold', fill: 'black', stroke: 'white', strokeWidth: 3, paintOrder: 'stroke' });
}

/** Highest 95% quantile of a region's share over the run, in percent. */
function peakShare(results: Results, region: string): number {
  return Math.max(0, ...seriesOf(results, 'share', region).map((d) => d.p95 * 100));
}

/** Regions whose 95% quantile of share never reaches a quarter of the largest region's: drawn again on their own axis. */
const SMALL_SHARE_FRACTION = 0.25;

function sharesPanels(results: Results, regions: { id: string; name: string }[], o: { id: string; title: string; caption: string }): FigureSpec {
  const columns = Math.min(4, regions.length);
  const rowsCount = Math.ceil(regions.length / columns);
  const data: Scaled[] = regions.flatMap((r, i) => seriesOf(results, 'share', r.id).map((row) => ({ ...row, ...grid(i, columns) })));
  const observed = regions.flatMap((r, i) => observedOf(results, 'share', r.id).map((m) => ({ ...m, ...grid(i, columns) })));
  return {
    id: o.id,
    title: o.title,
    caption: `${o.caption}${observedCaption(observed)}`,
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
        panelLabels(regions.map((r) => `${r.name} (${r.id})`), columns),
      ],
    },
  };
}

function sharesFigure(results: Results): FigureSpec | null {
  const regions = results.regions.filter((r) => seriesOf(results, 'share', r.id).length > 0);
  if (regions.length === 0) return null;
  const small = smallRegions(results, regions);
  return sharesPanels(results, regions, {
    id: 'regional-shares',
    title: 'Regional shares of running hashrate',
    caption: `Share of the network's running hashrate mined in each region (unsplit), per difficulty epoch: median across ${runLabel(results)} with its 50% and 90% intervals, from epochs.csv (metric share). Panels share the same axes${small.length ? `; the ${small.length} smaller regions are drawn again on an axis of their own in the next figure` : ''}.`,
  });
}

function smallRegions(results: Results, regions: { id: string; name: string }[]): { id: string; name: string }[] {
  const largest = Math.max(0, ...regions.map((r) => peakShare(results, r.id)));
  const small = regions.filter((r) => peakShare(results, r.id) < SMALL_SHARE_FRACTION * largest);
  return small.length === regions.length ? [] : small;
}

/** The regions too small to read on the common axis (destinations at a few percent), zoomed. */
function smallSharesFigure(results: Results): FigureSpec | null {
  const regions = results.regions.filter((r) => seriesOf(results, 'share', r.id).length > 0);
  const small = smallRegions(results, regions);
  if (small.length === 0) return null;
  const top = Math.max(...small.map((r) => peakShare(results, r.id)));
  return sharesPanels(results, small, {
    id: 'regional-shares-small',
    title: 'Regional shares: the smaller regions on their own axis',
    caption: `The regions whose 95% quantile of share stays below a quarter of the largest region's (here below ${formatNumber(SMALL_SHARE_FRACTION * Math.max(...regions.map((r) => peakShare(results, r.id))))}%), on a common axis up to ${formatNumber(top * 1.05)}% so that shares of a few percent can be read: median across ${runLabel(results)} with its 50% and 90% intervals (epochs.csv, metric share).`,
  });
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
    caption: `Operators that exited in each difficulty epoch (including insolvent operators their creditors liquidated and banned operators with nowhere to go), and entrants that took over an exited site: mean across ${runLabel(results)} (the expected count), with the 90% interval of capitulations (epochs.csv, metrics capitulations and entries).`,
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

/** Hashrate moved to each destination since the start, with bands (epochs.csv, relocated_ehs_cumulative). */
function relocatedEhsFigure(results: Results): FigureSpec | null {
  const destinations = results.destinations.filter((d) => seriesOf(results, 'relocated_ehs_cumulative', d).length > 0);
  if (destinations.length === 0) return null;
  const names = new Map(results.regions.map((r) => [r.id, r.name]));
  const columns = Math.min(3, destinations.length);
  const rowsCount = Math.ceil(destinations.length / columns);
  const data: Scaled[] = destinations.flatMap((d, i) => seriesOf(results, 'relocated_ehs_cumulative', d).map((row) => ({ ...row, ...grid(i, columns) })));
  const facet = { fx: 'fx', fy: 'fy' };
  const top = Math.max(1e-9, ...data.map((d) => Math.max(d.p95, d.mean))) * 1.08;
  return {
    id: 'decisions-relocated-ehs',
    title: 'Decisions: hashrate relocated to each destination (cumulative, EH/s)',
    caption: `Hashrate moved to each destination since the start, after breakage, summed within each replicate before the statistics are taken (epochs.csv, metric relocated_ehs_cumulative; per epoch: relocated_ehs): median across ${runLabel(results)} with its 50% and 90% intervals, and the mean (dashed), which rare large moves pull above the median. Panels share the axis.`,
    legend: [...bandLegend(MEDIAN, 'EH/s moved'), { label: 'mean EH/s moved', color: PALETTE[2], kind: 'dash' }],
    plot: {
      height: 40 + rowsCount * 170,
      marginLeft: 52,
      marginRight: 16,
      x: { ...DATE_AXIS, ticks: 3 },
      marginBottom: DATE_MARGIN,
      y: { label: 'hashrate moved since start (EH/s)', grid: true, domain: [0, top] },
      fx: { axis: null },
      fy: { axis: null },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        ...bandMarks(data, MEDIAN, 1, facet),
        Plot.lineY(data, { x: 'date', y: 'mean', stroke: PALETTE[2], strokeWidth: 1.3, strokeDasharray: '4,2', curve: 'step-before', ...facet }),
        panelLabels(destinations.map((d) => `${names.get(d) ?? d} (${d})`), columns),
      ],
    },
  };
}

/** Ticks of a log axis over [lo, hi]: 1, 2 and 5 × 10^k, or only 10^k where those would be too many. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks = (steps: number[]) => {
    const out: number[] = [];
    for (let k = Math.floor(Math.log10(lo)) - 1; k <= Math.ceil(Math.log10(hi)); k++) for (const m of steps) {
      const v = m * 10 ** k;
      // 10 ** k is inexact for negative k: round to the digits the tick has
      const t = Number(v.toPrecision(12));
      if (t >= lo && t <= hi) out.push(t);
    }
    return out;
  };
  const fine = ticks([1, 2, 5]);
  if (fine.length >= 2 && fine.length <= 9) return fine;
  const coarse = ticks([1]);
  return coarse.length >= 2 || fine.length < 2 ? (coarse.length ? coarse : fine) : fine;
}

/** A USD amount as a tick label: $500, $20k, $1.5M. */
export function usdTick(v: number): string {
  const short = (x: number) => String(Number(x.toPrecision(3)));
  if (v >= 1e9) return `$${short(v / 1e9)}B`;
  if (v >= 1e6) return `$${short(v / 1e6)}M`;
  if (v >= 1e3) return `$${short(v / 1e3)}k`;
  return `$${short(v)}`;
}

const COST = '#c4452c';
const PRICE = '#555';

function costFigure(results: Results): FigureSpec | null {
  const regions = results.regions.filter((r) => seriesOf(results, 'cost_per_btc_usd', r.id).length > 0);
  const price = seriesOf(results, 'btc_price_usd');
  if (regions.length === 0 || price.length === 0) return null;
  const columns = Math.min(4, regions.length);
  const rowsCount = Math.ceil(regions.length / columns);
  const data: Scaled[] = regions.flatMap((r, i) => seriesOf(results, 'cost_per_btc_usd', r.id).map((row) => ({ ...row, ...grid(i, columns) })));
  const prices: Scaled[] = regions.flatMap((_, i) => price.map((row) => ({ ...row, ...grid(i, columns) })));
  const values = [...data, ...price].flatMap((d) => [d.p05, d.p95]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const log = lo > 0;
  const facet = { fx: 'fx', fy: 'fy' };
  const underwater = regions.some((r) => seriesOf(results, 'underwater', r.id).length > 0);
  return {
    id: 'cost-per-btc',
    title: 'Electricity cost per BTC by region against the BTC price',
    caption:
      `One panel per region: the electricity cost per BTC earned by the region's running fleet (power with PUE, contracts and hosting rates; no overhead), median with its 50% and 90% intervals across ${runLabel(results)}, against the BTC price, median and 90% interval (epochs.csv, metrics cost_per_btc_usd by region and btc_price_usd). ` +
      `The two are separate distributions across replicates: a cost median above the price median does not say that most replicates lose money there${underwater ? '; the next figure counts, replicate by replicate, how often the region\'s cost is above that replicate\'s own price' : ''}. Panels share the ${log ? 'logarithmic ' : ''}axis.`,
    legend: [
      { label: 'cost per BTC (median)', color: COST, kind: 'line' },
      { label: 'cost, 50% interval', color: COST, kind: 'band', opacity: 0.35 },
      { label: 'cost, 90% interval', color: COST, kind: 'band', opacity: 0.15 },
      { label: 'BTC price (median)', color: PRICE, kind: 'dash' },
      { label: 'BTC price, 90% interval', color: PRICE, kind: 'band', opacity: 0.12 },
    ],
    plot: {
      height: 40 + rowsCount * 160,
      marginLeft: 52,
      marginRight: 16,
      x: { ...DATE_AXIS, ticks: 3 },
      marginBottom: DATE_MARGIN,
      y: log
        ? { label: 'USD per BTC (log scale)', grid: true, type: 'log', domain: [lo / 1.1, hi * 1.1], ticks: logTicks(lo / 1.1, hi * 1.1), tickFormat: usdTick }
        : { label: 'USD per BTC', grid: true, zero: true, tickFormat: usdTick },
      fx: { axis: null },
      fy: { axis: null },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        Plot.areaY(prices, { x: 'date', y1: 'p05', y2: 'p95', fill: PRICE, fillOpacity: 0.12, curve: 'step-before', ...facet }),
        ...bandMarks(data, COST, 1, facet),
        Plot.lineY(prices, { x: 'date', y: 'p50', stroke: PRICE, strokeWidth: 1.3, strokeDasharray: '4,2', curve: 'step-before', ...facet }),
        panelLabels(regions.map((r) => `${r.name} (${r.id})`), columns),
      ],
    },
  };
}

/**
 * Wilson's score interval (95%) of a proportion `p` observed in `n` trials: unlike p ± 1.96 se, it
 * does not shrink to nothing when every replicate agrees (0 of 12 still allows up to about 24%).
 */
export function wilsonInterval(p: number, n: number, z = 1.96): [number, number] {
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Share of replicates in which each region's cost per BTC is above that replicate's price (epochs.csv, underwater). */
function underwaterFigure(results: Results): FigureSpec | null {
  const regions = results.regions.filter((r) => seriesOf(results, 'underwater', r.id).length > 0);
  if (regions.length === 0) return null;
  const columns = Math.min(4, regions.length);
  const rowsCount = Math.ceil(regions.length / columns);
  const n = results.manifest.replicates;
  const data = regions.flatMap((r, i) =>
    seriesOf(results, 'underwater', r.id).map((row) => {
      const [low, high] = wilsonInterval(row.mean, n);
      return { date: row.date, share: row.mean * 100, low: low * 100, high: high * 100, ...grid(i, columns) };
    }),
  );
  const facet = { fx: 'fx', fy: 'fy' };
  return {
    id: 'cost-underwater',
    title: 'Cost per BTC: share of replicates in which a region mines at a loss on power',
    caption:
      `For each region, the share of the ${runLabel(results)} in which the region's electricity cost per BTC (power with PUE, contracts and hosting rates; no overhead) is above that same replicate's BTC price at the epoch: the mean of a 0/1 value per replicate (epochs.csv, metric underwater), ` +
      `with its 95% Monte Carlo interval (Wilson's score interval for a share of ${n} replicates, which stays open where every replicate agrees: more replicates narrow it). Where nothing runs in a region, the cost is that of the network's mean machine there. Panels share the axis.`,
    legend: [
      { label: 'replicates underwater (mean of 0/1)', color: COST, kind: 'line' },
      { label: '95% Monte Carlo interval', color: COST, kind: 'band', opacity: 0.25 },
    ],
    plot: {
      height: 40 + rowsCount * 140,
      marginLeft: 44,
      marginRight: 16,
      x: { ...DATE_AXIS, ticks: 3 },
      marginBottom: DATE_MARGIN,
      y: { label: 'replicates underwater (%)', grid: true, domain: [0, 100], ticks: [0, 25, 50, 75, 100] },
      fx: { axis: null },
      fy: { axis: null },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        Plot.areaY(data, { x: 'date', y1: 'low', y2: 'high', fill: COST, fillOpacity: 0.25, curve: 'step-before', ...facet }),
        Plot.lineY(data, { x: 'date', y: 'share', stroke: COST, strokeWidth: 1.5, curve: 'step-before', ...facet }),
        panelLabels(regions.map((r) => `${r.name} (${r.id})`), columns),
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

/** FIELD_DOCS keys with a list level (`model.regions[]`), by the path before the `[]`. */
const LIST_FIELDS = new Set(Object.keys(FIELD_DOCS).flatMap((k) => [...k.matchAll(/\[\]/g)].map((m) => k.slice(0, m.index))));

/** The documented unit of a config path (list elements by id, index or `*`), or null when it has none. */
export function fieldUnit(path: string): string | null {
  const parts = path.split('.');
  let key = '';
  for (let i = 0; i < parts.length; i++) {
    key = key ? `${key}.${parts[i]}` : parts[i];
    if (i + 1 < parts.length && LIST_FIELDS.has(key)) {
      key += '[]';
      i++;
    }
  }
  const unit = FIELD_DOCS[key]?.unit;
  return unit && unit !== 'none' && unit !== 'path' ? unit : null;
}

/** The x label of a swept parameter: its path and unit (a factor for a multiplying parameter). */
export function parameterLabel(path: string, multiply = false): string {
  if (multiply) return `${path} (factor on the config's value)`;
  const unit = fieldUnit(path);
  return unit ? `${path} (${unit})` : path;
}

function sweepFigures(results: Results): FigureSpec[] {
  const sweep = results.manifest.sweep;
  if (!sweep || sweep.points.length === 0) return [];
  const paths = sweep.points[0].values.map((v) => v.path);
  const declared = new Map((results.manifest.config?.sweep?.parameters ?? []).map((p) => [p.path, p]));
  // Only a grid over one parameter has points that differ in nothing else: there a line between
  // neighbours is a response curve. Elsewhere (Latin hypercube, Morris, Sobol, a grid over several
  // parameters) the other parameters move too, so the points are a scatter.
  const joined = sweep.design === 'grid' && paths.length === 1;
  const specs: FigureSpec[] = [];
  paths.forEach((path, j) => {
    const parameter = declared.get(path);
    const logX = parameter?.scale === 'log';
    for (const { metric, name, label, k = 1 } of SWEEP_METRICS) {
      const data = sweep.points.flatMap((p) => {
        const row = results.finals.get(p.index)?.get(seriesKey(metric));
        return row ? [{ x: p.values[j].value, p05: row.p05 * k, p50: row.p50 * k, p95: row.p95 * k, point: p.index }] : [];
      });
      if (data.length === 0) continue;
      const lo = Math.min(...data.map((d) => d.p05));
      const hi = Math.max(...data.map((d) => d.p95));
      const pad = hi > lo ? 0.08 * (hi - lo) : Math.max(Math.abs(hi) * 0.05, 1e-9);
      specs.push({
        id: `sweep-${j + 1}-${metric.replace(/_/g, '-')}`,
        title: `Sweep: ${name} at the last epoch against ${path}`,
        caption:
          `Last epoch (${results.lastEpoch}) of each of the ${sweep.points.length} sweep points (${sweep.design} design), plotted against the point's value of ${path}: median across ${results.manifest.replicates} replicates with its 90% interval (epochs.csv, metric ${metric}, by point; parameter values from manifest.json).` +
          (joined ? ' The line joins neighbouring points.' : paths.length > 1 ? ' The other swept parameters differ between points too, so the points are not joined.' : ' The points are not joined.'),
        legend: [
          { label: 'median at the last epoch', color: MEDIAN, kind: joined ? 'line' : 'dot' },
          { label: '90% interval (p05–p95)', color: MEDIAN, kind: 'band', opacity: 0.5 },
        ],
        plot: {
          height: 280,
          marginLeft: 60,
          marginTop: 24,
          marginBottom: 44,
          x: { label: parameterLabel(path, parameter?.multiply), grid: true, inset: 14, ...(logX ? { type: 'log' as const } : {}) },
          y: { label, grid: true, domain: [lo - pad, hi + pad] },
          marks: [
            Plot.ruleX(data, { x: 'x', y1: 'p05', y2: 'p95', stroke: MEDIAN, strokeOpacity: 0.5, strokeWidth: 2 }),
            Plot.dot(data, { x: 'x', y: 'p50', fill: MEDIAN, r: 3 }),
            ...(joined ? [Plot.lineY([...data].sort((a, b) => a.x - b.x), { x: 'x', y: 'p50', stroke: MEDIAN, strokeOpacity: 0.4 })] : []),
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
    smallSharesFigure(results),
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
    relocatedEhsFigure(results),
    singleSeriesFigure(results, {
      id: 'decisions-ai',
      metric: 'ai_mw',
      title: 'Decisions: MW pivoted to AI hosting',
      label: 'IT load at AI sites (MW)',
      what: 'MW',
      caption: 'IT load at former mining sites converting to or hosting AI, at the close of each epoch (cumulative).',
    }),
    costFigure(results),
    underwaterFigure(results),
    ...observedFigures(results),
    ...sweepFigures(results),
    ...sensitivityFigures(results),
  ].filter((s): s is FigureSpec => s !== null);
}
