// The `report` command, and the report written at the end of `run`: one line on stdout naming
// what was written.
import { join } from 'node:path';
import { FIGURES_DIR, REPORT_FILE, writeReport, type ReportOptions } from './write-report.ts';

export async function reportCommand(dir: string, options: ReportOptions = {}): Promise<void> {
  const started = performance.now();
  const { figureIds } = await writeReport(dir, options);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`wrote ${join(dir, REPORT_FILE)} and ${figureIds.length} figures in ${join(dir, FIGURES_DIR)} (${seconds.toFixed(1)} s)\n`);
}
