// The report of a run of a config with observed series: the observations drawn on the fan chart of
// each observed metric (hashrate and regional shares on their own figures, the others on fan charts
// of their own) and the scorecard table.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { ROOT } from '../support/cli.ts';
import { runBatch } from '../../src/runner/batch.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { writeReport, type ReportResult } from '../../src/report/write-report.ts';

const tmp = tempDirs('hm-report-backtest-');
let dir = '';
let report: ReportResult;
let html = '';

beforeAll(async () => {
  dir = join(tmp(), 'run');
  const file = join(ROOT, 'test', 'fixtures', 'tiny-observed.json');
  const { experiment } = loadExperiment(file);
  experiment.replicates = 3;
  await runBatch({ file, experiment, outDir: dir, workers: 2, progress: 'none', trajectories: false, excel: false, force: false, resume: false, log: () => {} });
  report = await writeReport(dir, { png: false });
  html = readFileSync(join(dir, 'report.html'), 'utf8');
}, 120_000);

describe('report of a backtest run', () => {
  it('adds a fan chart for each observed metric without a figure of its own', () => {
    expect(report.figureIds).toContain('observed-difficulty');
    expect(report.figureIds).toContain('observed-btc-price-usd');
    expect(report.figureIds.filter((id) => id.startsWith('observed-'))).toHaveLength(2);
  });

  it('draws the observations as dots, filled inside the 90% interval and hollow outside, and says how many', () => {
    const csv = readFileSync(join(dir, 'backtest.csv'), 'utf8').trim().split('\n').slice(1);
    const difficulty = csv.filter((l) => l.startsWith('difficulty,'));
    const inside = difficulty.filter((l) => l.split(',')[11] === 'TRUE').length;
    const svg = readFileSync(join(dir, 'figures', 'observed-difficulty.svg'), 'utf8');
    const caption = (id: string) => new RegExp(`<figure id="${id}">[\\s\\S]*?<figcaption>([^<]*)</figcaption>`).exec(html)?.[1] ?? '';
    expect(caption('observed-difficulty')).toContain(`Dots: the ${difficulty.length} observations of the backtest (backtest.csv), ${inside} inside the 90% interval`);
    const dots = (group: string) => (new RegExp(`<g ${group} aria-label="dot">((?:<circle[^>]*>)*)`).exec(svg)?.[1].match(/<circle/g) ?? []).length;
    expect(dots('fill="#d62728"')).toBe(inside);
    expect(dots('stroke="#d62728" fill="white"')).toBe(difficulty.length - inside);
    expect(caption('network-hashrate')).toContain('Dots: the 4 observations of the backtest');
    expect(caption('regional-shares')).toContain('Dots: the 2 observations of the backtest');
  });

  it('has the scorecard table, one row per observed series', () => {
    const section = /<section id="backtest">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(section).toContain('<th>MdALE</th>');
    expect((section.match(/<tr><td><code>/g) ?? []).length).toBe(4);
    expect(section).toContain('<code>share us</code>');
  });
});
