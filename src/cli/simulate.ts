// `hashmigrate simulate`: one replicate (of one sweep point) into DIR/trajectory.csv and
// DIR/manifest.json, refusing a folder that already holds a trajectory unless --force.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import type { LoadedExperiment } from '../config/load.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { checkOutDir, makeDirs } from '../io/outdir.ts';
import { buildManifest } from '../io/manifest.ts';
import { trajectoryCsv } from '../io/trajectory.ts';
import { agentsCsv } from '../io/agents-csv.ts';
import { runReplicate } from '../api/run-replicate.ts';
import { makePlan } from '../runner/plan.ts';
import { applyPoint } from '../runner/sweep.ts';
import { checkRunSize } from '../runner/estimate.ts';

export const TRAJECTORY_FILE = 'trajectory.csv';

export interface SimulateOptions {
  replicate: number;
  point: number;
  outDir: string;
  excel: boolean;
  force: boolean;
  /** epochs at which to write every operator's row to agents.csv */
  agents?: number[];
}

export const AGENTS_FILE = 'agents.csv';

/** `--agents 0,52,104`: epochs, comma-separated. */
export function parseEpochList(text: string): number[] {
  const parts = text.split(',').map((t) => t.trim());
  if (parts.some((t) => !/^\d+$/.test(t))) throw new UserError(`--agents: ${JSON.stringify(text)} is not valid (expected epochs as integers separated by commas, e.g. 0,52,104)`);
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

/** Runs the replicate, writes the trajectory and its manifest; returns the line to print. */
export async function simulateCommand(loaded: LoadedExperiment, o: SimulateOptions): Promise<string> {
  const { file, experiment } = loaded;
  checkOutDir(o.outDir);
  if (!o.force && [TRAJECTORY_FILE, AGENTS_FILE, 'manifest.json'].some((f) => existsSync(join(o.outDir, f)))) {
    throw new UserError(`${o.outDir}: holds results already (use --force to replace them, or another --out)`);
  }
  const plan = makePlan(file, experiment);
  // one replicate in this process: refused only when it cannot fit in memory
  checkRunSize(file, plan, 1, 1, { allowLarge: true });
  const out = runReplicate(loaded, { replicate: o.replicate, point: o.point, agentEpochs: o.agents });
  const start = applyPoint(experiment, plan.points[o.point]).model.start.date;
  makeDirs(o.outDir);
  await writeFileAtomic(join(o.outDir, TRAJECTORY_FILE), trajectoryCsv(out, start, { excel: o.excel }));
  const outputs = [TRAJECTORY_FILE];
  if (o.agents?.length) {
    await writeFileAtomic(join(o.outDir, AGENTS_FILE), agentsCsv(out.agents, start, { excel: o.excel }));
    outputs.push(AGENTS_FILE);
  } else rmSync(join(o.outDir, AGENTS_FILE), { force: true }); // none from an earlier, replaced run
  const sweeping = experiment.sweep !== undefined;
  const manifest = buildManifest(
    { file, experiment, replicates: experiment.replicates, points: plan.points, excel: o.excel, trajectories: true },
    o.outDir,
    outputs,
    { simulate: { replicate: o.replicate, point: sweeping ? o.point : null, seedDigest: out.seedDigest } },
  );
  await writeFileAtomic(join(o.outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const at = sweeping ? `replicate ${o.replicate} of point ${o.point}` : `replicate ${o.replicate}`;
  return `wrote ${[...outputs, 'manifest.json'].map((f) => join(o.outDir, f)).join(', ')} (${at}, seed ${experiment.seed}, ${out.epochCount} epochs, ${out.series.length} series)`;
}
