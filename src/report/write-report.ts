// `hashmigrate report DIR`: reads a run's outputs and writes DIR/report.html and
// DIR/figures/<id>.svg and .png, each atomically. Stale figures from an earlier report are removed,
// and the page before anything else, so that a report that fails leaves none.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.ts';
import { renderFigure } from './figure.ts';
import { figureSpecs } from './figures.ts';
import { reportHtml } from './html.ts';
import { svgToPng } from './png.ts';
import { readResults, type ReadOptions } from './results.ts';

import { FIGURES_DIR, REPORT_FILE } from './report-files.ts';

export { FIGURES_DIR, REPORT_FILE };

export interface ReportOptions extends ReadOptions {
  /** also write figures/*.png (default true) */
  png?: boolean;
}

/**
 * Where a report goes: report.html and figures/ for a run (a sweep's point 0 by default); with an
 * explicit point, report-point-P.html and figures/point-P/, so that every point of a sweep can have
 * its page beside the others.
 */
export function reportPaths(point: number | undefined): { page: string; figures: string } {
  return point === undefined ? { page: REPORT_FILE, figures: FIGURES_DIR } : { page: `report-point-${point}.html`, figures: `${FIGURES_DIR}/point-${point}` };
}

export interface ReportResult {
  /** written files, relative to the output folder */
  files: string[];
  figureIds: string[];
  /** the page and the figures folder written, relative to the output folder */
  page: string;
  figuresDir: string;
}

export async function writeReport(dir: string, options: ReportOptions = {}): Promise<ReportResult> {
  const paths = reportPaths(options.point);
  // The page goes first: a report that fails (damaged results, a figure that cannot be written)
  // leaves no page, rather than an earlier one that looks complete beside other results.
  rmSync(join(dir, paths.page), { force: true });
  const results = readResults(dir, options);
  const figures = figureSpecs(results).map(renderFigure);
  const figuresDir = join(dir, paths.figures);
  mkdirSync(figuresDir, { recursive: true });
  const files: string[] = [];
  for (const f of figures) {
    await writeFileAtomic(join(figuresDir, `${f.id}.svg`), f.svg);
    files.push(`${paths.figures}/${f.id}.svg`);
    if (options.png ?? true) {
      await writeFileAtomic(join(figuresDir, `${f.id}.png`), svgToPng(f.svg));
      files.push(`${paths.figures}/${f.id}.png`);
    }
  }
  const keep = new Set(files.map((f) => f.slice(paths.figures.length + 1)));
  for (const name of readdirSync(figuresDir)) if (/\.(svg|png)$/.test(name) && !keep.has(name)) rmSync(join(figuresDir, name), { force: true });
  await writeFileAtomic(join(dir, paths.page), reportHtml(results, figures, paths.figures));
  files.push(paths.page);
  return { files, figureIds: figures.map((f) => f.id), page: paths.page, figuresDir: paths.figures };
}
