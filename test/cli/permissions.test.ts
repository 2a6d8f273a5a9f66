// Real read-only and unwritable folders (not simulated errors): a run or a replicate into one stops
// with one line naming the folder and the reason, exit 1, and never "no such file". A read-only file
// system needs a mount, so that test runs as root (as .ci/run does) and is skipped otherwise; the
// unwritable folder is made with chmod for a normal user, and as root by running the command as
// `nobody` (setpriv), since root writes through any mode.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../support/cli.ts';
import { tempDirs } from '../support/tmp.ts';

const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const tmp = tempDirs('hm-permissions-');
const isRoot = process.getuid?.() === 0;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function cli(args: string[], asNobody = false) {
  const cmd = asNobody ? 'setpriv' : process.execPath;
  const argv = asNobody ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...CLI, ...args] : [...CLI, ...args];
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, lines: r.stderr.trim().split('\n') };
}
const RUN = ['run', TINY, '--replicates', '2', '--workers', '1', '--progress', 'none'];

/** A read-only tmpfs mounted at a fresh folder, or the reason there is none. */
function readOnlyMount(): { dir?: string; reason?: string } {
  if (!isRoot) return { reason: 'mounting a read-only file system needs root' };
  const dir = join(tmp(), 'ro');
  mkdirSync(dir);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? { dir } : { reason: `mount failed: ${r.stderr.trim()}` };
}
const ro = readOnlyMount();
afterAll(() => {
  if (ro.dir) spawnSync('umount', [ro.dir]);
});
if (ro.reason) console.warn(`skipping the read-only file system tests: ${ro.reason}`);

describe.skipIf(!ro.dir)('a read-only file system', () => {
  it('run into a new folder on it: one line with the real reason, exit 1', () => {
    const out = join(ro.dir!, 'results', 'x');
    const r = cli([...RUN, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([`hashmigrate: cannot create ${out}: read-only file system`]);
  });

  it('run into the read-only folder itself: the lock cannot be written', () => {
    const r = cli([...RUN, '--out', ro.dir!]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([`hashmigrate: cannot write ${join(ro.dir!, '.hashmigrate.lock')}: read-only file system`]);
  });

  it('simulate into it: one line, exit 1', () => {
    const out = join(ro.dir!, 'one');
    const r = cli(['simulate', TINY, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([`hashmigrate: cannot create ${out}: read-only file system`]);
  });
});

const nobodyReason = isRoot && !has('setpriv') ? 'as root, an unwritable folder needs setpriv to run as nobody' : undefined;
if (nobodyReason) console.warn(`skipping the permission tests: ${nobodyReason}`);

describe.skipIf(nobodyReason !== undefined)('a folder without write permission', () => {
  /** A folder the command's user cannot write: mode 555 for a normal user; root's 755 folder for nobody. */
  function unwritable(): string {
    const base = tmp();
    chmodSync(base, 0o755);
    const dir = join(base, 'locked');
    mkdirSync(dir);
    chmodSync(dir, isRoot ? 0o755 : 0o555);
    return dir;
  }

  it('run into a new folder below it: "permission denied", not "no such file", exit 1', () => {
    const dir = unwritable();
    const out = join(dir, 'a', 'b');
    const r = cli([...RUN, '--out', out], isRoot);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([`hashmigrate: cannot create ${out}: permission denied`]);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    if (!isRoot) chmodSync(dir, 0o755);
  });

  it('run into it: the lock cannot be written, exit 1', () => {
    const dir = unwritable();
    const r = cli([...RUN, '--out', dir], isRoot);
    expect(r.status).toBe(1);
    expect(r.lines).toEqual([`hashmigrate: cannot write ${join(dir, '.hashmigrate.lock')}: permission denied`]);
    if (!isRoot) chmodSync(dir, 0o755);
  });
});
