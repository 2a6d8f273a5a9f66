// The `report` command, and the report written at the end of `run`: one line on stdout naming
// what was written.
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import { readManifest } from './results.ts';
import { writeReport, type ReportOptions } from './write-report.ts';

export async function reportCommand(dir: string, options: ReportOptions = {}): Promise<void> {
  const started = performance.now();
  const { figureIds, page, figuresDir } = await writeReport(dir, options);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`wrote ${join(dir, page)} and ${figureIds.length} figures in ${join(dir, figuresDir)} (${seconds.toFixed(1)} s)\n`);
}

/** `report DIR --point all`: one page per sweep point (report-point-P.html). */
export async function reportAllPoints(dir: string): Promise<void> {
  const points = readManifest(dir).sweep?.points.map((p) => p.index) ?? [];
  if (points.length === 0) throw new UserError(`${dir}: --point: "all" is not valid (expected a run with a sweep; this one has none)`);
  for (const point of points) await reportCommand(dir, { point });
}
