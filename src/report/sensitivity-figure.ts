// Figures of a Morris or Sobol sweep, from the run's sensitivity.csv: Sobol first-order and total
// indices with their bootstrap 95% intervals, one panel per analysed series (indices are fractions
// of variance, so the panels share an axis); Morris μ* with its interval and σ, one figure per
// series (effects are in the series' own unit).
import { existsSync } from 'node:fs';
import * as Plot from '@observablehq/plot';
import { readTable, tablePath } from '../io/table-read.ts';
import { regionOfCell } from '../io/region-cell.ts';
import type { FigureSpec } from './figure.ts';
import type { Results } from './results.ts';

interface IndexRow {
  series: string;
  parameter: string;
  index: string;
  value: number;
  low: number | null;
  high: number | null;
}

function readIndices(dir: string): IndexRow[] {
  const file = tablePath(dir, 'sensitivity');
  if (!existsSync(file)) return [];
  const { header, rows } = readTable(file);
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const num = (text: string) => (text === '' ? null : Number(text));
  return rows.map((r) => ({
    series: `${r[col.metric]}${regionOfCell(r[col.region]) ? ` ${r[col.region]}` : ''} at epoch ${r[col.epoch]}`,
    parameter: r[col.parameter],
    index: r[col.index],
    value: Number(r[col.value]),
    low: num(r[col.ci95_low]),
    high: num(r[col.ci95_high]),
  }));
}

const COLORS: Record<string, string> = { S1: '#4269d0', ST: '#ff725c', mu_star: '#4269d0', sigma: '#9498a0' };

function sobolFigure(rows: IndexRow[], results: Results): FigureSpec {
  const series = [...new Set(rows.map((r) => r.series))];
  const parameters = [...new Set(rows.map((r) => r.parameter))];
  const marksOf = (index: 'S1' | 'ST', dy: number) => {
    const data = rows.filter((r) => r.index === index);
    return [
      Plot.link(data.filter((d) => d.low !== null), { x1: 'low', x2: 'high', y1: 'parameter', y2: 'parameter', fy: 'series', dy, stroke: COLORS[index], strokeWidth: 2 }),
      Plot.dot(data, { x: 'value', y: 'parameter', fy: 'series', dy, fill: COLORS[index], r: 3.5 }),
    ];
  };
  const lo = Math.min(0, ...rows.map((r) => r.low ?? r.value));
  const hi = Math.max(1, ...rows.map((r) => r.high ?? r.value));
  const pad = (hi - lo) * 0.04;
  return {
    id: 'sensitivity-sobol',
    title: 'Sensitivity: Sobol first-order (S1) and total (ST) indices',
    caption: `Share of the variance of each series (its mean across ${results.manifest.replicates} replicates per design point) due to each parameter alone (S1, Saltelli 2010 estimator) and with all its interactions (ST, Jansen estimator), with percentile bootstrap 95% intervals; from sensitivity.csv. Intervals can pass below 0 or above 1 when N is small.`,
    legend: [
      { label: 'S1 (first order)', color: COLORS.S1, kind: 'line' },
      { label: 'ST (total)', color: COLORS.ST, kind: 'line' },
    ],
    plot: {
      height: 40 + series.length * (30 + parameters.length * 34),
      marginLeft: 300,
      marginRight: 16,
      x: { label: 'index (fraction of variance)', grid: true, domain: [lo - pad, hi + pad] },
      y: { label: null, domain: parameters },
      fy: { axis: null, domain: series },
      marginTop: 24,
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        Plot.text(series.map((name) => ({ name })), { fy: 'name', text: 'name', frameAnchor: 'top-left', dy: -16, fontWeight: 'bold' }),
        Plot.ruleX([0], { stroke: '#666' }),
        ...marksOf('S1', -5),
        ...marksOf('ST', 5),
      ],
    },
  };
}

function morrisFigure(rows: IndexRow[], series: string, k: number, results: Results): FigureSpec {
  const own = rows.filter((r) => r.series === series && (r.index === 'mu_star' || r.index === 'sigma'));
  const parameters = [...new Set(own.map((r) => r.parameter))];
  const muStar = own.filter((r) => r.index === 'mu_star');
  const sigma = own.filter((r) => r.index === 'sigma');
  const hi = Math.max(0, ...own.map((r) => r.high ?? r.value));
  return {
    id: `sensitivity-morris-${k + 1}`,
    title: `Sensitivity (Morris screening): ${series}`,
    caption: `Mean absolute elementary effect μ* (importance, with its bootstrap 95% interval over trajectories) and the sd σ of the effects (interactions and non-linearity) of each parameter on ${series}, in the series' unit per whole range of the parameter; each design point's output is the mean across ${results.manifest.replicates} replicates. From sensitivity.csv.`,
    legend: [
      { label: 'μ* (with 95% interval)', color: COLORS.mu_star, kind: 'line' },
      { label: 'σ', color: COLORS.sigma, kind: 'line' },
    ],
    plot: {
      height: 60 + parameters.length * 38,
      marginLeft: 300,
      marginRight: 24,
      x: { label: 'elementary effect (series unit per parameter range)', grid: true, domain: [0, hi * 1.05 || 1] },
      y: { label: null, domain: parameters },
      marks: [
        Plot.frame({ stroke: '#ddd' }),
        Plot.link(muStar.filter((d) => d.low !== null), { x1: 'low', x2: 'high', y1: 'parameter', y2: 'parameter', dy: -5, stroke: COLORS.mu_star, strokeWidth: 2 }),
        Plot.dot(muStar, { x: 'value', y: 'parameter', dy: -5, fill: COLORS.mu_star, r: 3.5 }),
        Plot.dot(sigma, { x: 'value', y: 'parameter', dy: 5, fill: COLORS.sigma, r: 3.5 }),
      ],
    },
  };
}

/** The sensitivity figures of a run (none without sensitivity.csv). */
export function sensitivityFigures(results: Results): FigureSpec[] {
  const rows = readIndices(results.dir);
  if (rows.length === 0) return [];
  if (rows.some((r) => r.index === 'S1')) return [sobolFigure(rows, results)];
  return [...new Set(rows.map((r) => r.series))].map((s, k) => morrisFigure(rows, s, k, results));
}
