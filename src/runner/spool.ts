// The spool: finished units on disk while a batch runs, so that memory stays flat, a stopped run can
// resume, and aggregation reads units in index order whatever order they finished in.
//   values.f64  fixed-size records, unit u at byte offset u * recordBytes
//   done.jsonl  one line per finished unit: {"u":unit,"d":seedDigest,"s":[summary...]}, appended after
//               its record is on disk (a torn last line from a killed run is ignored)
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitResult } from './record.ts';
import { UserError } from '../config/errors.ts';

export interface SpoolEntry {
  unit: number;
  seedDigest: string;
  summary: number[];
}

/** One line of done.jsonl. */
export function logLine(e: SpoolEntry): string {
  return JSON.stringify({ u: e.unit, d: e.seedDigest, s: e.summary }) + '\n';
}

export class Spool {
  readonly entries = new Map<number, SpoolEntry>();
  private readonly valuesFd: number;
  private readonly doneFd: number;

  private constructor(
    readonly dir: string,
    readonly recordDoubles: number,
  ) {
    this.valuesFd = openSync(join(dir, 'values.f64'), existsSync(join(dir, 'values.f64')) ? 'r+' : 'w+');
    const donePath = join(dir, 'done.jsonl');
    if (existsSync(donePath)) {
      for (const line of readFileSync(donePath, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as { u: number; d: string; s: number[] };
          this.entries.set(e.u, { unit: e.u, seedDigest: e.d, summary: e.s });
        } catch {
          // a line torn by a killed run: that unit runs again
        }
      }
      // Rewrite the log without any torn tail before appending to it.
      writeFileSync(donePath, [...this.entries.values()].map(logLine).join(''));
    }
    this.doneFd = openSync(donePath, 'a');
  }

  /** Opens (resume) or creates a spool; `fresh` discards whatever a previous run left. */
  static open(dir: string, recordDoubles: number, fresh: boolean, configSha256 = ''): Spool {
    if (fresh) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const layoutPath = join(dir, 'layout.json');
    if (existsSync(layoutPath)) {
      const layout = JSON.parse(readFileSync(layoutPath, 'utf8')) as { recordDoubles: number; configSha256?: string };
      if (layout.recordDoubles !== recordDoubles || (layout.configSha256 ?? '') !== configSha256) {
        throw new UserError(`${dir}: the unfinished run here used a different configuration or seed (use --force to start again)`);
      }
    } else {
      writeFileSync(layoutPath, JSON.stringify({ recordDoubles, configSha256 }) + '\n');
    }
    return new Spool(dir, recordDoubles);
  }

  get bytesPerRecord(): number {
    return this.recordDoubles * 8;
  }

  /** Stores finished units: records first (synced), then their log lines (synced). */
  write(results: UnitResult[]): void {
    for (const r of results) {
      if (r.record.length !== this.recordDoubles) throw new Error(`unit ${r.unit}: record of ${r.record.length} values, expected ${this.recordDoubles}`);
      writeSync(this.valuesFd, new Uint8Array(r.record.buffer, r.record.byteOffset, r.record.byteLength), 0, r.record.byteLength, r.unit * this.bytesPerRecord);
    }
    fsyncSync(this.valuesFd);
    const lines = results.map((r) => logLine({ unit: r.unit, seedDigest: r.seedDigest, summary: r.summary })).join('');
    writeSync(this.doneFd, lines);
    fsyncSync(this.doneFd);
    for (const r of results) this.entries.set(r.unit, { unit: r.unit, seedDigest: r.seedDigest, summary: r.summary });
  }

  /** Reads `doubles` values at `offsetDoubles` within unit u's record into `into` at `at`. */
  read(unit: number, offsetDoubles: number, doubles: number, into: Float64Array, at: number): void {
    const bytes = doubles * 8;
    const view = new Uint8Array(into.buffer, into.byteOffset + at * 8, bytes);
    const n = readSync(this.valuesFd, view, 0, bytes, unit * this.bytesPerRecord + offsetDoubles * 8);
    if (n !== bytes) throw new Error(`${this.dir}: unit ${unit}: short read from the spool`);
  }

  close(): void {
    closeSync(this.valuesFd);
    closeSync(this.doneFd);
  }
}
