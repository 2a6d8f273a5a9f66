// The spool: finished units on disk while a batch runs, so that memory stays flat, a stopped run can
// resume, and aggregation reads units in index order whatever order they finished in.
//   layout.json  what the units belong to (SpoolLayout: config hash, seed, replicates, unit count,
//                record and summary sizes); a resume with any other is refused
//   values.f64   fixed-size records, unit u at byte offset u * recordBytes
//   done.jsonl   one line per finished unit, appended after its record is on disk:
//                {"u":unit,"d":seedDigest,"s":[summary...],"n":record bytes,"h":SHA-256 of the record,
//                 "c":SHA-256 of [u,d,s,n,h]}
// On resume every line is checked (its checksum, unit, sizes) and its record read back and hashed. A
// torn or edited line, or a record that is missing, cut short or changed, drops that unit, which then
// runs again: a damaged unit is never read.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitResult } from './record.ts';
import { recordDoubles } from './record.ts';
import { unitCount, type Plan } from './plan.ts';
import { UserError } from '../config/errors.ts';
import { configHash, sha256 } from '../io/manifest.ts';
import { writeFileAtomicSync } from '../io/atomic.ts';
import { endedEarlyError, ioError } from '../io/io-error.ts';
import { writeFully } from '../io/write-fully.ts';

export interface SpoolEntry {
  unit: number;
  seedDigest: string;
  summary: number[];
}

/** What a spool's units belong to, kept in layout.json. */
export interface SpoolLayout {
  /** version of this file layout */
  format: number;
  configSha256: string;
  seed: number;
  replicates: number;
  /** units of the whole batch: points times replicates */
  units: number;
  /** doubles per record (record.ts) */
  recordDoubles: number;
  /** numbers per summary line */
  summaryLength: number;
}

export const SPOOL_FORMAT = 2;

/** The layout of a plan's spool. */
export function spoolLayout(plan: Plan): SpoolLayout {
  return {
    format: SPOOL_FORMAT,
    configSha256: configHash(plan.experiment),
    seed: plan.experiment.seed,
    replicates: plan.replicates,
    units: unitCount(plan),
    recordDoubles: recordDoubles(plan.series.length, plan.epochCount),
    summaryLength: plan.summary.length,
  };
}

/** One line of a shard's units.jsonl (shard.ts): {"u":unit,"d":seedDigest,"s":[summary...]}. */
export function logLine(e: SpoolEntry): string {
  return JSON.stringify({ u: e.unit, d: e.seedDigest, s: e.summary }) + '\n';
}

function lineChecksum(u: number, d: string, s: number[], n: number, h: string): string {
  return sha256(JSON.stringify([u, d, s, n, h]));
}

/** One line of done.jsonl: the entry, its record's size and hash, and a checksum of both. */
function spoolLine(e: SpoolEntry, recordBytes: number, recordSha256: string): string {
  const c = lineChecksum(e.unit, e.seedDigest, e.summary, recordBytes, recordSha256);
  return JSON.stringify({ u: e.unit, d: e.seedDigest, s: e.summary, n: recordBytes, h: recordSha256, c }) + '\n';
}

interface LoggedUnit {
  entry: SpoolEntry;
  recordSha256: string;
}

const isHex64 = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Parses one line of done.jsonl; undefined when it is torn, edited or does not fit the layout. */
function parseSpoolLine(line: string, layout: SpoolLayout): LoggedUnit | undefined {
  let raw: { u?: unknown; d?: unknown; s?: unknown; n?: unknown; h?: unknown; c?: unknown };
  try {
    raw = JSON.parse(line) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object') return undefined;
  const { u, d, s, n, h, c } = raw;
  if (!Number.isSafeInteger(u) || (u as number) < 0 || (u as number) >= layout.units) return undefined;
  if (!isHex64(d) || !isHex64(h) || !isHex64(c)) return undefined;
  if (n !== layout.recordDoubles * 8) return undefined;
  if (!Array.isArray(s) || s.length !== layout.summaryLength || !s.every((v) => typeof v === 'number')) return undefined;
  if (lineChecksum(u as number, d, s as number[], n, h) !== c) return undefined;
  return { entry: { unit: u as number, seedDigest: d, summary: s as number[] }, recordSha256: h };
}

function sameLayout(a: SpoolLayout, b: SpoolLayout): boolean {
  return (Object.keys(b) as (keyof SpoolLayout)[]).every((k) => a[k] === b[k]);
}

/** What a resume's layout differs in, as the reason of its refusal. */
function layoutDifference(found: SpoolLayout, wanted: SpoolLayout): string {
  if (found.seed !== wanted.seed) return `seed ${found.seed}, not ${wanted.seed} (resume with --seed ${found.seed})`;
  if (found.replicates !== wanted.replicates) return `${found.replicates} replicates, not ${wanted.replicates} (resume with --replicates ${found.replicates})`;
  if (found.configSha256 !== wanted.configSha256) return `another configuration (config hash ${String(found.configSha256).slice(0, 12)}, this one ${wanted.configSha256.slice(0, 12)})`;
  return 'another record layout (another version of hashmigrate)';
}

function parseLayout(text: string): SpoolLayout | undefined {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (raw === null || typeof raw !== 'object' || raw.format !== SPOOL_FORMAT || !isHex64(raw.configSha256)) return undefined;
    for (const k of ['seed', 'replicates', 'units', 'recordDoubles', 'summaryLength'] as const) if (!Number.isSafeInteger(raw[k])) return undefined;
    return raw as unknown as SpoolLayout;
  } catch {
    return undefined;
  }
}

/** True when the folder holds spooled data (a record or a log line). */
function holdsData(dir: string): boolean {
  return ['values.f64', 'done.jsonl'].some((name) => {
    const path = join(dir, name);
    return existsSync(path) && statSync(path).size > 0;
  });
}

function openFile(path: string, flags: string): number {
  try {
    return openSync(path, flags);
  } catch (err) {
    throw ioError(flags === 'r' ? 'read' : 'write', path, err);
  }
}

function syncFile(fd: number, path: string): void {
  try {
    fsyncSync(fd);
  } catch (err) {
    throw ioError('write', path, err);
  }
}

/** Reads up to bytes.length bytes at `position`; returns how many were there. */
function readUpTo(fd: number, bytes: Uint8Array, position: number, path: string): number {
  let got = 0;
  try {
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, position + got);
      if (n === 0) break;
      got += n;
    }
  } catch (err) {
    throw ioError('read', path, err);
  }
  return got;
}

export class Spool {
  readonly entries = new Map<number, SpoolEntry>();
  /** units whose spooled line or record failed its checks on opening; they run again */
  readonly dropped: number[] = [];
  private readonly valuesPath: string;
  private readonly donePath: string;
  private readonly valuesFd: number;
  private readonly doneFd: number;

  private constructor(
    readonly dir: string,
    readonly layout: SpoolLayout,
  ) {
    this.valuesPath = join(dir, 'values.f64');
    this.donePath = join(dir, 'done.jsonl');
    this.valuesFd = openFile(this.valuesPath, existsSync(this.valuesPath) ? 'r+' : 'w+');
    try {
      if (existsSync(this.donePath)) this.verifyLog();
      this.doneFd = openFile(this.donePath, 'a');
    } catch (err) {
      closeSync(this.valuesFd);
      throw err;
    }
  }

  /** Keeps the logged units whose line and record pass their checks, and rewrites the log with them. */
  private verifyLog(): void {
    const layout = this.layout;
    let text: string;
    try {
      text = readFileSync(this.donePath, 'utf8');
    } catch (err) {
      throw ioError('read', this.donePath, err);
    }
    const logged = new Map<number, LoggedUnit>();
    const bad = new Set<number>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      const unit = parseSpoolLine(line, layout);
      if (unit) {
        logged.set(unit.entry.unit, unit);
        bad.delete(unit.entry.unit);
      } else {
        const u = /^\{"u":(\d+)[,}]/.exec(line);
        if (u && Number(u[1]) < layout.units && !logged.has(Number(u[1]))) bad.add(Number(u[1]));
      }
    }
    const record = new Uint8Array(this.bytesPerRecord);
    for (const [u, l] of [...logged].sort((a, b) => a[0] - b[0])) {
      const got = readUpTo(this.valuesFd, record, u * this.bytesPerRecord, this.valuesPath);
      if (got === record.length && sha256(record) === l.recordSha256) this.entries.set(u, l.entry);
      else bad.add(u);
    }
    this.dropped.push(...[...bad].sort((a, b) => a - b));
    // Rewrite the log with the units that passed, before appending to it.
    const kept = [...this.entries.values()].map((e) => spoolLine(e, this.bytesPerRecord, logged.get(e.unit)!.recordSha256));
    try {
      writeFileAtomicSync(this.donePath, kept.join(''));
    } catch (err) {
      throw ioError('write', this.donePath, err);
    }
  }

  /**
   * Opens (resume) or creates a spool; `fresh` discards whatever a previous run left. A resume
   * refuses a spool of another layout (config, seed, replicates), and one whose layout.json is
   * missing or corrupt while it holds data, since the data's seed could then not be told.
   */
  static open(dir: string, layout: SpoolLayout, fresh: boolean): Spool {
    if (!fresh && existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new UserError(`${dir}: is a file, not the folder of an unfinished run (use --force to start again)`);
    }
    try {
      if (fresh) rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw ioError('create', dir, err);
    }
    const layoutPath = join(dir, 'layout.json');
    const again = 'use --force to start again';
    let found: SpoolLayout | undefined;
    if (!fresh && existsSync(layoutPath)) {
      let text: string;
      try {
        text = readFileSync(layoutPath, 'utf8');
      } catch (err) {
        throw ioError('read', layoutPath, err);
      }
      found = parseLayout(text);
      if (!found && holdsData(dir)) throw new UserError(`${layoutPath}: not a valid spool layout (corrupt, or written by another version; cannot tell which configuration and seed the finished replicates belong to: ${again})`);
    } else if (!fresh && holdsData(dir)) {
      throw new UserError(`${layoutPath}: missing (cannot tell which configuration and seed the finished replicates in ${dir} belong to: ${again})`);
    }
    if (found && !sameLayout(found, layout)) {
      throw new UserError(`${dir}: the unfinished run here used ${layoutDifference(found, layout)}; ${again}`);
    }
    if (!found) {
      try {
        writeFileAtomicSync(layoutPath, JSON.stringify(layout) + '\n');
      } catch (err) {
        throw ioError('write', layoutPath, err);
      }
    }
    return new Spool(dir, layout);
  }

  get recordDoubles(): number {
    return this.layout.recordDoubles;
  }

  get bytesPerRecord(): number {
    return this.layout.recordDoubles * 8;
  }

  /** Stores finished units: records first (every byte checked, synced), then their log lines (the same). */
  write(results: UnitResult[]): void {
    const hashes: string[] = [];
    for (const r of results) {
      if (r.record.length !== this.recordDoubles) throw new Error(`unit ${r.unit}: record of ${r.record.length} values, expected ${this.recordDoubles}`);
      const bytes = new Uint8Array(r.record.buffer, r.record.byteOffset, r.record.byteLength);
      writeFully(this.valuesFd, bytes, r.unit * this.bytesPerRecord, this.valuesPath);
      hashes.push(sha256(bytes));
    }
    syncFile(this.valuesFd, this.valuesPath);
    const lines = results.map((r, k) => spoolLine({ unit: r.unit, seedDigest: r.seedDigest, summary: r.summary }, this.bytesPerRecord, hashes[k])).join('');
    writeFully(this.doneFd, Buffer.from(lines, 'utf8'), null, this.donePath);
    syncFile(this.doneFd, this.donePath);
    for (const r of results) this.entries.set(r.unit, { unit: r.unit, seedDigest: r.seedDigest, summary: r.summary });
  }

  /** Reads `doubles` values at `offsetDoubles` within unit u's record into `into` at `at`. */
  read(unit: number, offsetDoubles: number, doubles: number, into: Float64Array, at: number): void {
    const bytes = doubles * 8;
    const view = new Uint8Array(into.buffer, into.byteOffset + at * 8, bytes);
    const got = readUpTo(this.valuesFd, view, unit * this.bytesPerRecord + offsetDoubles * 8, this.valuesPath);
    if (got !== bytes) throw endedEarlyError(this.valuesPath, `unit ${unit}'s record`);
  }

  close(): void {
    closeSync(this.valuesFd);
    closeSync(this.doneFd);
  }
}
