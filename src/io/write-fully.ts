// A synchronous write that checks what was written. writeSync may store fewer bytes than asked (a
// full disk, a quota); the spool must then fail rather than mark a unit done over a cut-off record.
import { writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ioError, shortWriteError } from './io-error.ts';

type WriteSync = (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number;

/**
 * The system calls behind writeFully and the atomic writer's files (atomic.ts); tests replace them to
 * simulate a full disk or a read-only folder without needing one.
 */
export const fsCalls: { writeSync: WriteSync; open: (path: string, flags: string) => Promise<FileHandle> } = { writeSync, open };

/** Writes all of `bytes` at `position` (null: at the end of an append-mode file), or throws an IoError naming `path`. */
export function writeFully(fd: number, bytes: Uint8Array, position: number | null, path: string): void {
  let written: number;
  try {
    written = fsCalls.writeSync(fd, bytes, 0, bytes.length, position);
  } catch (err) {
    throw ioError('write', path, err);
  }
  if (written !== bytes.length) throw shortWriteError(path, written, bytes.length);
}
