// I/O failures as one-line errors: "cannot write DIR/epochs.csv: no space left on device". Every
// wording of a file-system failure lives here. The CLI prints an IoError as one line and exits with 1
// (the input was fine; the machine could not store or read the files).

export class IoError extends Error {
  override readonly name = 'IoError';
  constructor(
    message: string,
    /** the system error code (ENOSPC, EROFS, ...) or 'ESHORT' for a short write */
    readonly code: string,
  ) {
    super(message);
  }
}

/** Plain-words reasons for the system error codes a run can meet. */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'something else already exists there',
  ENOENT: 'no such file or folder',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'resource busy',
  ENOTEMPTY: 'folder not empty',
  EXDEV: 'cannot rename across file systems',
};

/** The system error code of `err`, if it is one of the file-system failures named above. */
export function ioCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code in REASONS ? code : undefined;
}

/** "no space left on device" for an ENOSPC error; the error's own message otherwise. */
export function ioReason(err: unknown): string {
  const code = ioCode(err);
  if (code) return REASONS[code];
  return (err as Error | undefined)?.message ?? String(err);
}

/** The action named in a message for the Node syscall that failed. */
const SYSCALL_ACTIONS: Record<string, string> = {
  open: 'open',
  mkdir: 'create',
  mkdtemp: 'create',
  write: 'write',
  read: 'read',
  scandir: 'read',
  stat: 'read',
  lstat: 'read',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  rm: 'remove',
  fsync: 'write',
  copyfile: 'copy',
  symlink: 'create',
};

export type IoAction = 'read' | 'write' | 'create' | 'remove' | 'rename';

/** `cannot write PATH: REASON`. An IoError passes through unchanged (it already names its file). */
export function ioError(action: IoAction, path: string, err: unknown): IoError {
  if (err instanceof IoError) return err;
  return new IoError(`cannot ${action} ${path}: ${ioReason(err)}`, ioCode(err) ?? 'EIO');
}

/** `err` as an IoError naming `path` when it is a file-system failure; any other error unchanged. */
export function asIoError(action: IoAction, path: string, err: unknown): unknown {
  return err instanceof IoError || ioCode(err) ? ioError(action, path, err) : err;
}

/** An I/O failure while writing a run's outputs, with what the user can do: the spool is kept. */
export function withResumeHint(err: unknown, spoolDir: string): unknown {
  if (!(err instanceof IoError)) return err;
  return new IoError(`${err.message} (the finished replicates are kept in ${spoolDir}: free some room and run again with --resume)`, err.code);
}

/** A write that stored fewer bytes than asked: the disk is full, or the file was cut short. */
export function shortWriteError(path: string, written: number, expected: number): IoError {
  return new IoError(`cannot write ${path}: only ${written} of ${expected} bytes were written (${REASONS.ENOSPC}?)`, 'ESHORT');
}

/** A file that holds less than it should (changed or cut short while it was read). */
export function endedEarlyError(path: string, what: string): IoError {
  return new IoError(`cannot read ${path}: ${what} ends early (the file was cut short or changed while it was read)`, 'ESHORT');
}

/**
 * An error thrown by a Node fs call that nobody wrapped, turned into one line from its syscall and
 * path (`cannot open DIR/x: permission denied`); undefined for errors that are not file-system failures.
 */
export function unwrappedIoError(err: unknown): IoError | undefined {
  const code = ioCode(err);
  if (!code) return undefined;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  const path = e.dest ? `${e.path} -> ${e.dest}` : e.path;
  const action = (e.syscall && SYSCALL_ACTIONS[e.syscall]) ?? e.syscall ?? 'access';
  return new IoError(path ? `cannot ${action} ${path}: ${REASONS[code]}` : `${action}: ${REASONS[code]}`, code);
}
