// Atomic file output: readers see either the old file or the complete new one, never a torn write.
//
// The data goes to a temporary file in the target's own directory (rename is atomic only within
// one file system), is fsync'd so the rename cannot be persisted before the data, and is then
// renamed over the target (POSIX rename(2) replaces atomically). Afterwards the directory is
// fsync'd, best-effort, so the rename itself survives a crash. The same recipe as npm's
// write-file-atomic (https://github.com/npm/write-file-atomic).
//
// A file-system failure (a full disk, a read-only folder) is thrown as an IoError naming the target,
// `cannot write DIR/epochs.csv: no space left on device`, never the temporary file.
//
// A process killed mid-write leaves its `.<name>.<pid>.<tag>.tmp` file behind; removeStaleTemps
// clears those of processes that no longer run (a run does it when it takes its folder's lock).
//
// Not handled: the temporary file keeps default permissions (an existing target's mode is not
// copied).

import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { asIoError } from './io-error.ts';
import { fsCalls } from './write-fully.ts';

let tempCounter = 0;

/**
 * `.<basename>.<pid>.<counter>-<hrtime>.tmp` beside the target. Unique with no random source: the
 * pid separates processes, the counter separates calls within this module instance, and the
 * nanosecond clock separates module instances (worker threads share a pid).
 */
function tempPathFor(targetPath: string): string {
  tempCounter += 1;
  const tag = `${tempCounter.toString(36)}-${process.hrtime.bigint().toString(36)}`;
  const name = `.${nodePath.basename(targetPath)}.${process.pid}.${tag}.tmp`;
  return nodePath.join(nodePath.dirname(targetPath), name);
}

/** The temporary files tempPathFor makes: `.<basename>.<pid>.<counter>-<hrtime>.tmp`. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-z]+-[0-9a-z]+\.tmp$/;

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporary files in `directory` left by writers that no longer run; returns their names. */
export function removeStaleTemps(directory: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || processRuns(Number(m[1]))) continue;
    try {
      fs.rmSync(nodePath.join(directory, name), { force: true });
      removed.push(name);
    } catch {
      // a file that cannot be removed is left; it is only a leftover
    }
  }
  return removed;
}

/**
 * Makes a completed rename durable. Best-effort: some platforms (Windows) and file systems cannot
 * open or fsync a directory, and by then the data is already in place.
 */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await fsp.open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // durability of the directory entry is not guaranteed here; the rename already happened
  }
}

function syncDirectorySync(directory: string): void {
  try {
    const fd = fs.openSync(directory, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // as in syncDirectory
  }
}

async function removeQuietly(path: string): Promise<void> {
  await fsp.rm(path, { force: true }).catch(() => undefined);
}

/** Writes `data` (strings as UTF-8) to `path` atomically: temp file, fsync, rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tempPath = tempPathFor(path);
  let handle: fsp.FileHandle | undefined;
  try {
    // 'wx' fails rather than clobber a file of the same name
    handle = await fsCalls.open(tempPath, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tempPath, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await removeQuietly(tempPath);
    throw asIoError('write', path, error);
  }
  await syncDirectory(nodePath.dirname(path));
}

/** Synchronous twin of writeFileAtomic, for exit paths where awaiting is not possible. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tempPath = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tempPath, 'wx');
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tempPath, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; the original error is the one to report
      }
    }
    fs.rmSync(tempPath, { force: true });
    throw asIoError('write', path, error);
  }
  syncDirectorySync(nodePath.dirname(path));
}

/** Characters buffered before a write waits for the disk; large enough to batch many CSV rows. */
const FLUSH_THRESHOLD_CHARS = 1 << 20;

type StreamState = 'open' | 'committed' | 'aborted' | 'failed';

/**
 * A large output written in pieces and published atomically: nothing appears at `path` until
 * commit(), and abort() leaves the target as it was. Open with `AtomicFileStream.open(path)` or
 * `openAtomicStream(path)`.
 *
 * Writes are buffered; once about 1 MiB is pending, write() resolves only after it reaches the
 * file, so awaiting each write bounds memory (backpressure). Operations run in call order even
 * if not awaited. After a failed write the temporary file is removed and every later call
 * rejects with that error. abort() after commit() is a no-op, so
 * `try { …; await out.commit(); } finally { await out.abort(); }` is safe.
 */
export class AtomicFileStream {
  readonly path: string;
  readonly tempPath: string;
  #handle: fsp.FileHandle | undefined;
  #pending: (string | Uint8Array)[] = [];
  #pendingChars = 0;
  #state: StreamState = 'open';
  /** set as soon as commit() or abort() is called, so later writes reject rather than vanish */
  #closing: 'commit' | 'abort' | undefined;
  #failure: unknown;
  /** tail of the operation queue; never rejects, so one failure cannot jam later operations */
  #queueTail: Promise<void> = Promise.resolve();

  private constructor(path: string, tempPath: string, handle: fsp.FileHandle) {
    this.path = path;
    this.tempPath = tempPath;
    this.#handle = handle;
  }

  /** Creates the temporary file beside `path`; the target is untouched until commit(). */
  static async open(path: string): Promise<AtomicFileStream> {
    const tempPath = tempPathFor(path);
    try {
      return new AtomicFileStream(path, tempPath, await fsCalls.open(tempPath, 'wx'));
    } catch (error) {
      throw asIoError('write', path, error);
    }
  }

  /**
   * Appends `chunk` (text as UTF-8, or bytes, copied at once so the caller may reuse its buffer);
   * resolves at once unless the buffer is due to be flushed.
   */
  write(chunk: string | Uint8Array): Promise<void> {
    const unusable = this.#unusableError('write');
    if (unusable) return Promise.reject(unusable);
    if (this.#closing) {
      return Promise.reject(
        new Error(`AtomicFileStream: write after ${this.#closing} was called (${this.path})`),
      );
    }
    this.#pending.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk));
    this.#pendingChars += chunk.length;
    if (this.#pendingChars < FLUSH_THRESHOLD_CHARS) return Promise.resolve();
    return this.#enqueue(() => this.#failOnError(() => this.#flush()));
  }

  /** Flushes, fsyncs and closes the temporary file, then renames it over the target. */
  commit(): Promise<void> {
    this.#closing ??= 'commit';
    return this.#enqueue(async () => {
      const unusable = this.#unusableError('commit');
      if (unusable) throw unusable;
      await this.#failOnError(async () => {
        await this.#flush();
        const handle = this.#openHandle();
        await handle.sync();
        this.#handle = undefined;
        await handle.close();
        await fsp.rename(this.tempPath, this.path);
      });
      this.#state = 'committed';
      await syncDirectory(nodePath.dirname(this.path));
    });
  }

  /** Discards everything written: closes and deletes the temporary file. No-op once finished. */
  abort(): Promise<void> {
    this.#closing ??= 'abort';
    return this.#enqueue(async () => {
      if (this.#state !== 'open') return;
      this.#state = 'aborted';
      await this.#discard();
    });
  }

  #enqueue(operation: () => Promise<void>): Promise<void> {
    const result = this.#queueTail.then(operation);
    this.#queueTail = result.catch(() => undefined);
    return result;
  }

  #unusableError(operation: string): unknown {
    if (this.#state === 'failed') return this.#failure;
    if (this.#state !== 'open') {
      return new Error(`AtomicFileStream: ${operation} after ${this.#state} (${this.path})`);
    }
    return undefined;
  }

  /** Runs `step`; on error marks the stream failed, removes the temporary file and rethrows. */
  async #failOnError(step: () => Promise<void>): Promise<void> {
    if (this.#state === 'failed') throw this.#failure;
    try {
      await step();
    } catch (caught) {
      const error = asIoError('write', this.path, caught);
      this.#state = 'failed';
      this.#failure = error;
      await this.#discard();
      throw error;
    }
  }

  #openHandle(): fsp.FileHandle {
    if (!this.#handle) throw new Error(`AtomicFileStream: file already closed (${this.path})`);
    return this.#handle;
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const bytes = this.#pending.every((c) => typeof c === 'string')
      ? Buffer.from(this.#pending.join(''), 'utf8')
      : Buffer.concat(this.#pending.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
    this.#pending = [];
    this.#pendingChars = 0;
    const handle = this.#openHandle();
    // write() may write fewer bytes than asked; loop until all are down
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
      offset += bytesWritten;
    }
  }

  async #discard(): Promise<void> {
    this.#pending = [];
    this.#pendingChars = 0;
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
    await removeQuietly(this.tempPath);
  }
}

/** Opens an AtomicFileStream for `path`; see the class for the write/commit/abort contract. */
export function openAtomicStream(path: string): Promise<AtomicFileStream> {
  return AtomicFileStream.open(path);
}
