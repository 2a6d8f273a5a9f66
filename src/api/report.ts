// The report of a finished run from a program. Its module loads Observable Plot and resvg, so it is
// imported only when called.
import type { ReportOptions } from '../report/write-report.ts';

/** Writes DIR/report.html and DIR/figures/ from a finished run's files; returns the figure ids. */
export async function writeRunReport(dir: string, options: ReportOptions = {}): Promise<string[]> {
  const { writeReport } = await import('../report/write-report.ts');
  return (await writeReport(dir, options)).figureIds;
}
