// `hashmigrate report DIR`: reads a run's outputs and writes DIR/report.html and
// DIR/figures/<id>.svg and .png, each atomically. Stale figures from an earlier report are removed.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { renderFigure } from './figure.ts';
import { figureSpecs } from './figures.ts';
import { reportHtml } from './html.ts';
import { svgToPng } from './png.ts';
import { readResults, type ReadOptions } from './results.ts';

export const FIGURES_DIR = 'figures';
export const REPORT_FILE = 'report.html';

export interface ReportOptions extends ReadOptions {
  /** also write figures/*.png (default true) */
  png?: boolean;
}

export interface ReportResult {
  /** written files, relative to the output folder */
  files: string[];
  figureIds: string[];
}

export async function writeReport(dir: string, options: ReportOptions = {}): Promise<ReportResult> {
  const results = readResults(dir, options);
  const figures = figureSpecs(results).map(renderFigure);
  const figuresDir = join(dir, FIGURES_DIR);
  mkdirSync(figuresDir, { recursive: true });
  const files: string[] = [];
  for (const f of figures) {
    await writeFileAtomic(join(figuresDir, `${f.id}.svg`), f.svg);
    files.push(`${FIGURES_DIR}/${f.id}.svg`);
    if (options.png ?? true) {
      await writeFileAtomic(join(figuresDir, `${f.id}.png`), svgToPng(f.svg));
      files.push(`${FIGURES_DIR}/${f.id}.png`);
    }
  }
  const keep = new Set(files.map((f) => f.slice(FIGURES_DIR.length + 1)));
  for (const name of readdirSync(figuresDir)) if (/\.(svg|png)$/.test(name) && !keep.has(name)) rmSync(join(figuresDir, name), { force: true });
  await writeFileAtomic(join(dir, REPORT_FILE), reportHtml(results, figures));
  files.push(REPORT_FILE);
  return { files, figureIds: figures.map((f) => f.id) };
}
