// Figures of a paired comparison (compare.html): for each key metric, a fan chart of the paired
// difference arm − base over time, one panel per arm; and for each arm the change in every region's
// share. Built only from a Comparison (src/runner/compare.ts), the numbers of differences.csv.
import * as Plot from '@observablehq/plot';
import type { FigureSpec, LegendItem } from './figure.ts';
import type { Comparison } from '../runner/compare.ts';
import type { PairedDifference } from '../stats/paired.ts';

/** The metrics with a difference fan chart, with the unit printed and a factor from the file's unit. */
export const COMPARE_METRICS: { metric: string; label: string; unit: string; k?: number }[] = [
  { metric: 'hashrate_ehs', label: 'Network hashrate', unit: 'EH/s' },
  { metric: 'hhi_region', label: 'HHI of regions', unit: 'HHI points (0–10,000)' },
  { metric: 'nakamoto_region', label: 'Nakamoto coefficient of regions', unit: 'regions' },
  { metric: 'top3_share_region', label: 'Share of the top 3 regions', unit: 'percentage points', k: 100 },
  { metric: 'hhi_operator', label: 'HHI of operators', unit: 'HHI points (0–10,000)' },
  { metric: 'nakamoto_operator', label: 'Nakamoto coefficient of operators', unit: 'operators' },
  { metric: 'hashprice_usd_ph_day', label: 'Hashprice', unit: 'USD/PH/s/day' },
  { metric: 'operators_mining', label: 'Operators mining', unit: 'operators' },
  { metric: 'ai_mw', label: 'IT load pivoted to AI', unit: 'MW' },
];

const COLOR = '#1f3b73';
const CI_COLOR = '#b30000';
const DATE_AXIS = { type: 'utc', label: 'date (close of epoch)', ticks: 6, labelOffset: 44 } as const;

interface Row {
  date: Date;
  panel: string;
  p05: number;
  p25: number;
  p75: number;
  p95: number;
  mean: number;
  low: number;
  high: number;
}

function rows(c: Comparison, epochs: PairedDifference[], panel: string, k: number): Row[] {
  return epochs.map((d, e) => ({
    date: new Date(`${c.dates[e]}T00:00:00Z`),
    panel,
    p05: d.p05 * k,
    p25: d.p25 * k,
    p75: d.p75 * k,
    p95: d.p95 * k,
    mean: d.mean * k,
    low: (d.low ?? d.mean) * k,
    high: (d.high ?? d.mean) * k,
  }));
}

const LEGEND: LegendItem[] = [
  { label: 'mean paired difference', color: CI_COLOR, kind: 'line' },
  { label: '95% interval of the mean difference', color: CI_COLOR, kind: 'band', opacity: 0.35 },
  { label: '50% of replicates (p25–p75)', color: COLOR, kind: 'band', opacity: 0.3 },
  { label: '90% of replicates (p05–p95)', color: COLOR, kind: 'band', opacity: 0.12 },
];

function fanMarks(data: Row[], facet: Record<string, unknown>): Plot.Markish[] {
  const common = { x: 'date', curve: 'step-before', ...facet } as const;
  return [
    Plot.ruleY([0], { stroke: '#666' }),
    Plot.areaY(data, { ...common, y1: 'p05', y2: 'p95', fill: COLOR, fillOpacity: 0.12 }),
    Plot.areaY(data, { ...common, y1: 'p25', y2: 'p75', fill: COLOR, fillOpacity: 0.3 }),
    Plot.areaY(data, { ...common, y1: 'low', y2: 'high', fill: CI_COLOR, fillOpacity: 0.35 }),
    Plot.lineY(data, { ...common, y: 'mean', stroke: CI_COLOR, strokeWidth: 1.5 }),
  ];
}

/** Padded y domain over the bands, always including 0. */
function domain(data: Row[]): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const d of data) {
    lo = Math.min(lo, d.p05, d.low);
    hi = Math.max(hi, d.p95, d.high);
  }
  const pad = (hi - lo) * 0.06 || 1;
  return [lo - pad, hi + pad];
}

function metricFigure(c: Comparison, m: (typeof COMPARE_METRICS)[number]): FigureSpec | null {
  const data = c.arms.flatMap((a) => {
    const s = a.series.find((x) => x.key.metric === m.metric && x.key.region === '');
    return s ? rows(c, s.epochs, `${a.arm.label} − ${c.base.label}`, m.k ?? 1) : [];
  });
  if (data.length === 0) return null;
  const panels = [...new Set(data.map((d) => d.panel))];
  return {
    id: `difference-${m.metric}`,
    title: `${m.label}: paired difference from ${c.base.label}`,
    caption: `Per replicate, the arm's value minus the base's for the same replicate (same random streams), over ${c.replicates} replicates: the spread of those differences (50% and 90% bands) and the mean difference with its 95% interval (paired t). differences.csv, metric ${m.metric}. The grey line is no change.`,
    legend: LEGEND,
    plot: {
      height: 60 + panels.length * 200,
      marginLeft: 64,
      marginRight: 16,
      marginBottom: 48,
      x: DATE_AXIS,
      y: { label: `difference (${m.unit})`, grid: true, domain: domain(data) },
      fy: { axis: null, domain: panels },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        ...fanMarks(data, { fy: 'panel' }),
        Plot.text(panels.map((panel) => ({ panel })), { fy: 'panel', text: 'panel', frameAnchor: 'top-left', dx: 4, dy: 4, fontWeight: 'bold' }),
      ],
    },
  };
}

function sharesFigure(c: Comparison, arm: Comparison['arms'][number], index: number): FigureSpec | null {
  const shares = arm.series.filter((s) => s.key.metric === 'share');
  if (shares.length === 0) return null;
  const columns = Math.min(4, shares.length);
  const data = shares.flatMap((s, i) => rows(c, s.epochs, s.key.region, 100).map((r) => ({ ...r, fx: i % columns, fy: Math.floor(i / columns) })));
  const labels = shares.map((s, i) => ({ name: s.key.region, fx: i % columns, fy: Math.floor(i / columns) }));
  return {
    id: `difference-shares-${index + 1}`,
    title: `Regional shares: ${arm.arm.label} − ${c.base.label}`,
    caption: `Change in each region's share of running hashrate, in percentage points, paired by replicate over ${c.replicates} replicates: spread of the differences (50% and 90% bands) and mean difference with its 95% interval. differences.csv, metric share. Panels share the same axes.`,
    legend: LEGEND,
    plot: {
      height: 40 + Math.ceil(shares.length / columns) * 150,
      marginLeft: 48,
      marginRight: 16,
      marginBottom: 48,
      x: { ...DATE_AXIS, ticks: 3 },
      y: { label: 'difference (percentage points)', grid: true, domain: domain(data) },
      fx: { axis: null },
      fy: { axis: null },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        ...fanMarks(data as Row[], { fx: 'fx', fy: 'fy' }),
        Plot.text(labels, { fx: 'fx', fy: 'fy', text: 'name', frameAnchor: 'top-left', dx: 4, dy: 4, fontWeight: 'bold' }),
      ],
    },
  };
}

export function compareFigureSpecs(c: Comparison): FigureSpec[] {
  const specs = COMPARE_METRICS.map((m) => metricFigure(c, m));
  c.arms.forEach((a, i) => specs.push(sharesFigure(c, a, i)));
  return specs.filter((s): s is FigureSpec => s !== null);
}
