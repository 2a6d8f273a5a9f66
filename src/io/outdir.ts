// The results folder: refuses to overwrite finished results without --force, and a lock file keeps
// two runs from writing into the same folder at once.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError, showValue } from '../config/errors.ts';
import { ioError } from './io-error.ts';
import { removeStaleTemps } from './atomic.ts';

export const LOCK_FILE = '.hashmigrate.lock';
export const SPOOL_DIR = '.partial';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuses an output folder that is a file or lies below one (bad input, exit 2, before anything is written). */
export function checkOutDir(dir: string): void {
  for (let p = resolve(dir); ; p = dirname(p)) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      if (dirname(p) === p) return;
      continue;
    }
    if (stat.isDirectory()) return;
    const where = p === resolve(dir) ? 'it is a file' : `${p} is a file`;
    throw new UserError(`--out: ${showValue(dir)} is not valid (${where}; expected a folder, or a path where one can be made)`);
  }
}

/**
 * Makes `dir` and its missing parents, or throws an IoError naming it. A recursive mkdir reports
 * ENOENT ("no such file or folder") when a parent cannot be made on a read-only file system or
 * without permission; the first missing folder is then made alone to learn the real reason.
 */
export function makeDirs(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('create', dir, err);
    let first = resolve(dir);
    while (dirname(first) !== first && !existsSync(dirname(first))) first = dirname(first);
    try {
      mkdirSync(first);
    } catch (real) {
      throw ioError('create', dir, real);
    }
    throw ioError('create', dir, err);
  }
}

/** Takes the folder's lock; a lock left by a process that no longer runs is taken over. Returns its release. */
export function lockOutDir(dir: string): () => void {
  checkOutDir(dir);
  makeDirs(dir);
  const path = join(dir, LOCK_FILE);
  try {
    writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError('write', path, err);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw ioError('read', path, e);
    }
    const pid = Number(text.trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new UserError(`${dir}: another hashmigrate run (pid ${pid}) is writing into this folder (wait for it, or remove ${path} if it is gone)`);
    }
    try {
      writeFileSync(path, `${process.pid}\n`);
    } catch (e) {
      throw ioError('write', path, e);
    }
  }
  // the folder is ours now: clear what a killed writer left half-written
  removeStaleTemps(dir);
  return () => rmSync(path, { force: true });
}

/** Checks that the folder holds no finished results, unless they may be replaced. */
export function checkOverwrite(dir: string, force: boolean, resume: boolean): void {
  if (force || resume) return;
  if (existsSync(join(dir, 'manifest.json')) || existsSync(join(dir, 'epochs.csv')) || existsSync(join(dir, 'epochs.parquet'))) {
    throw new UserError(`${dir}: holds results already (use --force to replace them, or another --out)`);
  }
  if (existsSync(join(dir, SPOOL_DIR))) {
    throw new UserError(`${dir}: holds an unfinished run (use --resume to complete it, or --force to start again)`);
  }
}

/** The real path of `path`, resolving symbolic links in the part that exists (the rest may not yet). */
function realPath(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    const parent = dirname(full);
    return parent === full ? full : join(realPath(parent), basename(full));
  }
}

/** True when `path` is `folder` or lies inside it, after following symbolic links. */
export function isSameOrInside(path: string, folder: string): boolean {
  const rel = relative(realPath(folder), realPath(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
