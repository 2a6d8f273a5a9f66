// The files a report writes into a run's folder, without the report's modules (Observable Plot,
// resvg), so that the runner can remove a report that no longer describes the outputs.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const FIGURES_DIR = 'figures';
export const REPORT_FILE = 'report.html';
/** A sweep point's page (`report DIR --point P`). */
export const POINT_PAGE = /^report-point-\d+\.html$/;

/**
 * Removes every report page (report.html, report-point-P.html) and the figures of `dir`: called when
 * the outputs they were drawn from change, so that no page is left that looks complete but shows
 * other results.
 */
export function removeReport(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name === REPORT_FILE || POINT_PAGE.test(name)) rmSync(join(dir, name), { force: true });
  rmSync(join(dir, FIGURES_DIR), { recursive: true, force: true });
}
