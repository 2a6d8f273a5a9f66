// `hashmigrate reproduce MANIFEST`: re-runs a published experiment from its manifest into a scratch
// folder and compares every output with the hash the manifest records. Identical bytes are promised
// on the same Node major and lockfile; on another Node major (Math.exp/log/pow may differ in the last
// bits) the tables (CSV or Parquet) are compared value by value within a tolerance, and the report
// says which it did.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readManifest, sha256, type Manifest } from '../io/manifest.ts';
import { parseCsv } from '../io/csv-read.ts';
import { readParquetTable } from '../io/parquet-read.ts';
import { runBatch } from '../runner/batch.ts';
import { UserError, showValue } from '../config/errors.ts';
import { isSameOrInside } from '../io/outdir.ts';
import type { ProgressMode } from '../runner/progress.ts';

export type Verdict = 'identical' | 'within tolerance' | 'different' | 'missing';

export interface FileResult {
  file: string;
  verdict: Verdict;
  /** where the files first differ, for a "different" verdict */
  detail?: string;
  /** false when the published copy next to the manifest no longer matches the manifest's hash */
  publishedMatches: boolean | null;
}

export interface ReproduceOptions {
  manifestPath: string;
  workers: number;
  /** relative tolerance for the cross-major comparison */
  tolerance: number;
  progress: ProgressMode;
  /** folder to re-run into (kept); default a temporary folder, removed when everything matches */
  outDir?: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface ReproduceResult {
  manifest: Manifest;
  files: FileResult[];
  /** the manifest was made on another Node major: values compared within the tolerance */
  crossMajor: boolean;
  ok: boolean;
  outDir: string;
  kept: boolean;
}

const major = (version: string) => version.replace(/^v/, '').split('.')[0];

/** True when two numbers agree within a relative tolerance (absolute near zero). */
export function closeEnough(a: number, b: number, tolerance: number): boolean {
  if (a === b) return true;
  const diff = Math.abs(a - b);
  return diff <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Compares two CSV texts cell by cell: text cells must be equal, numeric cells within the
 * tolerance. Returns null when they agree, else where they first differ.
 */
export function compareCsvWithin(expected: string, actual: string, tolerance: number, file = 'CSV'): string | null {
  const parse = (text: string) => {
    const t = parseCsv(text, file);
    return [t.header, ...t.rows];
  };
  return compareCellsWithin(parse(expected), parse(actual), tolerance);
}

/** compareCsvWithin for two Parquet files, whose cells are read as the CSV would hold them. */
export function compareParquetWithin(expectedFile: string, actualFile: string, tolerance: number): string | null {
  const read = (file: string) => {
    const t = readParquetTable(file);
    return [t.header, ...t.rows];
  };
  return compareCellsWithin(read(expectedFile), read(actualFile), tolerance);
}

/** Rows of text cells (the header first) compared as compareCsvWithin describes. */
function compareCellsWithin(a: string[][], b: string[][], tolerance: number): string | null {
  if (a.length !== b.length) return `${a.length} rows expected, ${b.length} found`;
  for (let r = 0; r < a.length; r++) {
    if (a[r].length !== b[r].length) return `row ${r + 1}: ${a[r].length} cells expected, ${b[r].length} found`;
    for (let c = 0; c < a[r].length; c++) {
      const x = a[r][c];
      const y = b[r][c];
      if (x === y) continue;
      const nx = Number(x);
      const ny = Number(y);
      const numeric = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny);
      if (!numeric || !closeEnough(nx, ny, tolerance)) return `row ${r + 1}, column ${a[0][c] ?? c + 1}: ${JSON.stringify(x)} expected, ${JSON.stringify(y)} found`;
    }
  }
  return null;
}

/** Where two texts first differ, as a line number. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return `first difference at line ${i + 1}`;
  return 'same lines, different bytes';
}

export async function reproduce(o: ReproduceOptions): Promise<ReproduceResult> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { manifest, experiment } = readManifest(o.manifestPath);
  if (manifest.shard) {
    throw new UserError(
      `${o.manifestPath}: shard: ${manifest.shard.index}/${manifest.shard.count} is not valid (expected the manifest of a whole or merged run: merge the shards with \`hashmigrate merge\` and reproduce its manifest, or re-run this shard with: ${manifest.shard.command})`,
    );
  }
  if (manifest.simulate) {
    const { replicate, point } = manifest.simulate;
    throw new UserError(
      `${o.manifestPath}: simulate: replicate ${replicate}${point === null ? '' : ` of point ${point}`} is not valid (expected the manifest of a run; re-run this replicate with: hashmigrate simulate ${manifest.configFile} --replicate ${replicate}${point === null ? '' : ` --point ${point}`} --seed ${experiment.seed})`,
    );
  }
  const crossMajor = major(manifest.software.node) !== major(process.versions.node);
  const publishedDir = dirname(o.manifestPath);
  if (o.outDir !== undefined && isSameOrInside(o.outDir, publishedDir)) {
    throw new UserError(`--out: ${showValue(o.outDir)} is not valid (expected a folder outside ${publishedDir}, the published run that reproduce checks and never writes into)`);
  }
  const outDir = o.outDir ?? mkdtempSync(join(tmpdir(), `hashmigrate-reproduce-${manifest.name}-`));
  log(
    `[hashmigrate] reproducing ${manifest.name}: ${manifest.replicates} replicates, seed ${experiment.seed}, config ${manifest.configSha256.slice(0, 12)}, into ${outDir}` +
      (crossMajor ? ` (made on Node ${manifest.software.node}, here Node ${process.versions.node}: values compared within ${o.tolerance})` : ''),
  );
  await runBatch({
    file: manifest.configFile,
    experiment,
    outDir,
    workers: o.workers,
    progress: o.progress,
    trajectories: manifest.options.trajectories,
    agents: manifest.options.agents,
    excel: manifest.options.excel,
    format: manifest.options.format,
    force: true,
    resume: false,
    // asked for by name: a long re-run prints its estimate, and one beyond the machine's memory is still refused
    allowLarge: true,
    signal: o.signal,
    log,
  });
  const files: FileResult[] = [];
  for (const [file, hash] of Object.entries(manifest.outputs)) {
    const published = join(publishedDir, file);
    const publishedMatches = existsSync(published) ? sha256(readFileSync(published)) === hash : null;
    const fresh = join(outDir, file);
    if (!existsSync(fresh)) {
      files.push({ file, verdict: 'missing', detail: 'the re-run did not write it', publishedMatches });
      continue;
    }
    const bytes = readFileSync(fresh);
    if (sha256(bytes) === hash) {
      files.push({ file, verdict: 'identical', publishedMatches });
      continue;
    }
    const comparable = existsSync(published) && publishedMatches;
    const parquet = file.endsWith('.parquet');
    if (crossMajor && (file.endsWith('.csv') || parquet) && comparable) {
      const diff = parquet ? compareParquetWithin(published, fresh, o.tolerance) : compareCsvWithin(readFileSync(published, 'utf8'), bytes.toString('utf8'), o.tolerance, file);
      files.push(diff === null ? { file, verdict: 'within tolerance', publishedMatches } : { file, verdict: 'different', detail: diff, publishedMatches });
      continue;
    }
    // a Parquet file's first difference is its first differing cell, not a "line" of bytes
    const detail = !comparable ? undefined : parquet ? (compareParquetWithin(published, fresh, 0) ?? 'same cells, different bytes') : firstDifference(readFileSync(published, 'utf8'), bytes.toString('utf8'));
    files.push({ file, verdict: 'different', detail, publishedMatches });
  }
  const ok = files.every((f) => (f.verdict === 'identical' || f.verdict === 'within tolerance') && f.publishedMatches !== false);
  const kept = o.outDir !== undefined || !ok;
  if (!kept) rmSync(outDir, { recursive: true, force: true });
  return { manifest, files, crossMajor, ok, outDir, kept };
}

/** The lines `reproduce` prints: one per file, then a verdict. */
export function formatReproduction(r: ReproduceResult): string[] {
  const width = Math.max(...r.files.map((f) => f.file.length));
  const lines = r.files.map((f) => {
    let line = `${f.file.padEnd(width)}  ${f.verdict}${f.detail ? ` (${f.detail})` : ''}`;
    if (f.publishedMatches === false) line += '; the published copy does not match the manifest\'s hash (edited after the run?)';
    if (f.publishedMatches === null) line += '; no published copy next to the manifest';
    return line;
  });
  const n = r.files.length;
  const good = r.files.filter((f) => f.verdict === 'identical' || f.verdict === 'within tolerance').length;
  const how = r.crossMajor
    ? `compared within tolerance: the run was made on Node ${r.manifest.software.node}, this is Node ${process.versions.node}`
    : `byte for byte (Node ${process.versions.node}, run made on Node ${r.manifest.software.node})`;
  const edited = r.files.filter((f) => f.publishedMatches === false).length;
  const tail = edited ? `; ${edited} published file${edited > 1 ? 's differ' : ' differs'} from the manifest` : '';
  lines.push(
    r.ok
      ? `reproduced: ${good} of ${n} outputs match the manifest, ${how}`
      : `NOT reproduced: ${good} of ${n} re-run outputs match the manifest, ${how}${tail}${r.kept ? `; the re-run is kept in ${r.outDir}` : ''}`,
  );
  return lines;
}
