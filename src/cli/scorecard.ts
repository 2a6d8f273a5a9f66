// The backtest scorecard as `run` and `backtest` print it, and as Markdown for
// results/backtest/SCORECARD.md: one line per observed series from backtest-summary.csv.
import type { BacktestOutcome } from '../runner/backtest.ts';
import { formatScore, type ScorecardRow } from '../report/scorecard.ts';

export { readScorecard } from '../report/scorecard.ts';

const percent = (x: number) => `${Math.round(x * 100)}%`;

function cells(r: ScorecardRow): string[] {
  const series = `${r.point === null ? '' : `point ${r.point} `}${r.metric}${r.region ? ` ${r.region}` : ''}`;
  return [series, String(r.n), formatScore(r.mdale), percent(r.coverage50), percent(r.coverage90), formatScore(r.crpsMean), formatScore(r.crpsRelative)];
}

const HEADER = ['series', 'n', 'MdALE', 'in 50%', 'in 90%', 'CRPS', 'CRPS / mean obs.'];

/** The line that says what was scored and skipped. */
export function outcomeLine(o: BacktestOutcome): string {
  const skipped: string[] = [];
  if (o.skippedDates) skipped.push(`${o.skippedDates} outside the simulated dates`);
  if (o.skippedRegion) skipped.push(`${o.skippedRegion} of a region not in the config`);
  return `${o.scored} observation${o.scored === 1 ? '' : 's'} scored${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`;
}

/** The scorecard as a plain-text table for the terminal. */
export function scorecardText(title: string, rows: ScorecardRow[], outcome?: BacktestOutcome): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, j) => Math.max(...table.map((r) => r[j].length)));
  const lines = table.map((r) => '  ' + r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  '));
  return [`${title}${outcome ? `: ${outcomeLine(outcome)}` : ''}`, ...lines].join('\n') + '\n';
}

/** The scorecard as a Markdown table. */
export function scorecardMarkdown(rows: ScorecardRow[]): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  return [line(HEADER), line(HEADER.map((_, j) => (j === 0 ? '---' : '---:'))), ...rows.map((r) => line(cells(r).map((c, j) => (j === 0 ? `\`${c}\`` : c))))].join('\n') + '\n';
}
