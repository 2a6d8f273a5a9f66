// Paired comparison of finished runs: the first folder is the base, each other an arm. Runs pair when
// they drew the same random streams for the same replicate indices: the same seed scheme and root
// seed, the same replicate count, the same start date, no sweep. Each arm's replicate i is then
// compared with the base's replicate i, series by series and epoch by epoch, over the epochs both
// have (epoch e is the same difficulty epoch in both, and the model's path to it does not depend on
// where the horizon ends). Writes differences.csv and compare.json.
import { tablePath } from '../io/table-read.ts';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../config/errors.ts';
import { readJsonFile } from '../config/load.ts';
import type { Experiment } from '../config/experiment.ts';
import { checkManifest, sha256, type Manifest } from '../io/manifest.ts';
import { readTrajectories, type ReplicateTable } from '../io/trajectories-read.ts';
import { CsvWriter, type CsvCell } from '../io/csv.ts';
import { writeFileAtomic } from '../io/atomic.ts';
import { pairedDifference, type PairedDifference } from '../stats/paired.ts';
import type { SeriesKey } from '../model/output.ts';
import { readResults } from '../report/results.ts';
import { regionCell } from '../io/region-cell.ts';

export interface CompareArm {
  /** the arm's label in differences.csv: its experiment name (with #k when two arms share one) */
  label: string;
  dir: string;
  manifest: Manifest;
  experiment: Experiment;
}

export interface ArmDifferences {
  arm: CompareArm;
  /** one entry per compared series, in the base's series order */
  series: { key: SeriesKey; epochs: PairedDifference[] }[];
}

export interface Comparison {
  base: CompareArm;
  arms: ArmDifferences[];
  replicates: number;
  seed: number;
  /** epochs compared: 0 … epochCount − 1 */
  epochCount: number;
  /** each compared epoch's date: the start plus the base's median days elapsed at the epoch's close */
  dates: string[];
  /** series of the base that an arm lacks (not compared), by arm label */
  skipped: Record<string, string[]>;
  /** a line per arm whose horizon was longer than the common one */
  notes: string[];
}

export const DIFFERENCE_COLUMNS = [
  'arm', 'metric', 'region', 'epoch', 'date', 'n', 'base_mean', 'arm_mean', 'diff_mean', 'diff_sd',
  'diff_p05', 'diff_p25', 'diff_p50', 'diff_p75', 'diff_p95', 'ci95_low', 'ci95_high', 'unpaired_ci95_low', 'unpaired_ci95_high', 'correlation',
] as const;

function readArm(dir: string): Omit<CompareArm, 'label'> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder; expected the output folder of \`hashmigrate run\``);
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new UserError(`${file}: missing; expected the output of \`hashmigrate run\` in ${dir}`);
  const { manifest, experiment } = checkManifest(file, readJsonFile(file));
  if (manifest.shard) throw new UserError(`${dir}: is shard ${manifest.shard.index}/${manifest.shard.count} of a run, not a whole run (merge the shards first: hashmigrate merge)`);
  return { dir, manifest, experiment };
}

/** Why `arm` cannot be paired with `base`, or null when it can. */
export function pairingProblem(base: Omit<CompareArm, 'label'>, arm: Omit<CompareArm, 'label'>): string | null {
  const b = base.manifest;
  const a = arm.manifest;
  if (a.sweep) return `${arm.dir}: is a sweep (${a.sweep.design}, ${a.sweep.points.length} points); compare takes runs without a sweep`;
  if (a.seedScheme.scheme !== b.seedScheme.scheme) return `${arm.dir}: seed scheme ${a.seedScheme.scheme}, base ${base.dir} has ${b.seedScheme.scheme}; pairing needs the same scheme`;
  if (a.seedScheme.rootSeed !== b.seedScheme.rootSeed) {
    return `${arm.dir}: seed ${a.seedScheme.rootSeed}, base ${base.dir} has seed ${b.seedScheme.rootSeed}; pairing needs the same seed (run it again with --seed ${b.seedScheme.rootSeed})`;
  }
  if (a.replicates !== b.replicates) {
    return `${arm.dir}: ${a.replicates} replicates, base ${base.dir} has ${b.replicates}; pairing needs the same count (run both with --replicates ${Math.min(a.replicates, b.replicates)})`;
  }
  if (arm.experiment.model.start.date !== base.experiment.model.start.date) {
    return `${arm.dir}: starts ${arm.experiment.model.start.date}, base ${base.dir} starts ${base.experiment.model.start.date}; pairing needs the same start date`;
  }
  if (!a.options.trajectories || !existsSync(tablePath(arm.dir, 'trajectories', a.outputs))) {
    return `${arm.dir}: has no trajectories.csv; run it again with --trajectories (or let \`hashmigrate compare CONFIG...\` run the arms)`;
  }
  return null;
}

/** The base (first) and arms of a comparison, checked to be pairable; labels made unique. */
export function readArms(dirs: string[]): CompareArm[] {
  if (dirs.length < 2) throw new UserError(`compare: ${dirs.length} run folder given; expected the base and at least one arm`);
  const read = dirs.map(readArm);
  const baseProblem = pairingProblem(read[0], read[0]);
  if (baseProblem) throw new UserError(`compare: ${baseProblem}`);
  for (const arm of read.slice(1)) {
    const problem = pairingProblem(read[0], arm);
    if (problem) throw new UserError(`compare: not pairable: ${problem}`);
  }
  const seen = new Map<string, number>();
  return read.map((r) => {
    const k = (seen.get(r.manifest.name) ?? 0) + 1;
    seen.set(r.manifest.name, k);
    return { ...r, label: k === 1 ? r.manifest.name : `${r.manifest.name}#${k}` };
  });
}

function seriesIndex(table: ReplicateTable): Map<string, number> {
  return new Map(table.series.map((s, i) => [`${s.metric}|${s.region}`, i]));
}

/** Replicate values of series s at epoch e. */
function column(table: ReplicateTable, s: number, e: number, into: Float64Array): Float64Array {
  const S = table.series.length;
  const E = table.epochCount;
  for (let r = 0; r < table.replicates; r++) into[r] = table.values[(r * S + s) * E + e];
  return into;
}

/** Dates of the base's epochs as its epochs.csv gives them: the start plus the median days elapsed at the close. */
function epochDates(base: CompareArm, epochCount: number): string[] {
  const results = readResults(base.dir);
  const rows = results.series.values().next().value ?? [];
  return Array.from({ length: epochCount }, (_, e) => rows[e]?.date.toISOString().slice(0, 10) ?? '');
}

/** Reads every folder's trajectories and computes the paired differences of each arm against the base. */
export async function compareRuns(dirs: string[]): Promise<Comparison> {
  const [base, ...arms] = readArms(dirs);
  const R = base.manifest.replicates;
  const baseTable = await readTrajectories(tablePath(base.dir, 'trajectories', base.manifest.outputs), R);
  const armTables: ReplicateTable[] = [];
  for (const arm of arms) armTables.push(await readTrajectories(tablePath(arm.dir, 'trajectories', arm.manifest.outputs), R));
  const epochCount = Math.min(baseTable.epochCount, ...armTables.map((t) => t.epochCount));
  const notes: string[] = [];
  [base, ...arms].forEach((a, k) => {
    const E = k === 0 ? baseTable.epochCount : armTables[k - 1].epochCount;
    if (E > epochCount) notes.push(`${a.label}: ${E} epochs; compared over the first ${epochCount}, the shortest horizon`);
  });
  const baseCol = new Float64Array(R);
  const armCol = new Float64Array(R);
  const skipped: Record<string, string[]> = {};
  const out: ArmDifferences[] = arms.map((arm, k) => {
    const index = seriesIndex(armTables[k]);
    const series: ArmDifferences['series'] = [];
    baseTable.series.forEach((key, s) => {
      const j = index.get(`${key.metric}|${key.region}`);
      if (j === undefined) {
        (skipped[arm.label] ??= []).push(`${key.metric}${key.region ? ` ${key.region}` : ''}`);
        return;
      }
      const epochs: PairedDifference[] = [];
      for (let e = 0; e < epochCount; e++) {
        const label = `${arm.label} − ${base.label}: ${key.metric}${key.region ? `[${key.region}]` : ''} at epoch ${e}`;
        epochs.push(pairedDifference(column(baseTable, s, e, baseCol), column(armTables[k], j, e, armCol), label));
      }
      series.push({ key, epochs });
    });
    return { arm, series };
  });
  return { base, arms: out, replicates: R, seed: base.manifest.seedScheme.rootSeed, epochCount, dates: epochDates(base, epochCount), skipped, notes };
}

/** differences.csv: one row per arm, series and epoch, arms in the order given, series in the base's order. */
export function differencesCsv(c: Comparison): string {
  const writer = new CsvWriter(DIFFERENCE_COLUMNS);
  const parts = [writer.start()];
  for (const { arm, series } of c.arms) {
    for (const { key, epochs } of series) {
      epochs.forEach((d, e) => {
        const cells: CsvCell[] = [arm.label, key.metric, regionCell(key.region), e, c.dates[e], d.n, d.baseMean, d.armMean, d.mean, d.sd, d.p05, d.p25, d.p50, d.p75, d.p95, d.low, d.high, d.unpairedLow, d.unpairedHigh, d.correlation];
        parts.push(writer.row(cells));
      });
    }
  }
  return parts.join('');
}

/** Writes differences.csv and compare.json (provenance) into `outDir`; returns the file names. */
export async function writeComparison(c: Comparison, outDir: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const csv = differencesCsv(c);
  await writeFileAtomic(join(outDir, 'differences.csv'), csv);
  const arm = (a: CompareArm) => ({ label: a.label, dir: a.dir, name: a.manifest.name, configSha256: a.manifest.configSha256, trajectoriesSha256: a.manifest.outputs['trajectories.csv'] ?? null });
  const record = {
    compareVersion: 1,
    base: arm(c.base),
    arms: c.arms.map((a) => arm(a.arm)),
    seed: c.seed,
    replicates: c.replicates,
    epochCount: c.epochCount,
    lastDate: c.dates[c.epochCount - 1],
    ...extra,
    notes: c.notes,
    skippedSeries: c.skipped,
    outputs: { 'differences.csv': sha256(csv) },
  };
  await writeFileAtomic(join(outDir, 'compare.json'), JSON.stringify(record, null, 2) + '\n');
  return ['differences.csv', 'compare.json'];
}
