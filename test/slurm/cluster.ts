// A throwaway Slurm cluster for tests: munged, slurmctld and one slurmd on 127.0.0.1, each started as
// a child process in the foreground, with its own munge key and socket, free ports, and every file
// (config, state, spool, logs) in one folder, so that it touches nothing of the machine's own and
// several can run side by side. stop() ends each daemon by its pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, closeSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';

export const SLURM_BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'sinfo', 'scancel'] as const;
const NODE_NAME = 'hmnode';
/** The daemons live in sbin, which a non-login PATH may lack. */
const PATH = [process.env.PATH, '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean).join(':');

/** Why a local cluster cannot start here, or null when it can be tried. */
export function whySlurmCannotStart(): string | null {
  if (process.platform !== 'linux') return `Slurm needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'starting slurmd and munged needs root (the test runs as uid ' + process.getuid?.() + ')';
  const missing = SLURM_BINARIES.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`], { env: { ...process.env, PATH } }).status !== 0);
  if (missing.length) return `${missing.join(', ')} not found (install the Debian packages slurm-wlm and munge, as .ci/run does)`;
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Daemon {
  name: string;
  child: ChildProcess;
  log: string;
}

export class LocalCluster {
  readonly daemons: Daemon[] = [];
  readonly env: NodeJS.ProcessEnv;

  private constructor(readonly dir: string, readonly conf: string) {
    this.env = { ...process.env, PATH, SLURM_CONF: conf };
  }

  /** Starts munged, slurmctld and slurmd in `dir`; resolves when the node is idle. Stops what it started on failure. */
  static async start(dir: string, timeoutMs = 60_000): Promise<LocalCluster> {
    const munge = join(dir, 'munge');
    mkdirSync(munge, { recursive: true, mode: 0o700 });
    for (const d of ['state', 'spool', 'log']) mkdirSync(join(dir, d), { recursive: true });
    const key = join(munge, 'munge.key');
    writeFileSync(key, randomBytes(128), { mode: 0o400 });
    const socket = join(munge, 'munge.sock');
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const host = os.hostname().split('.')[0];
    const cpus = os.availableParallelism();
    const conf = join(dir, 'slurm.conf');
    writeFileSync(
      conf,
      [
        `ClusterName=hmtest`,
        `SlurmctldHost=${host}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        `SlurmUser=root`,
        `SlurmdUser=root`,
        `AuthType=auth/munge`,
        `CredType=cred/munge`,
        `AuthInfo=socket=${socket}`,
        `StateSaveLocation=${join(dir, 'state')}`,
        `SlurmdSpoolDir=${join(dir, 'spool')}`,
        `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
        `ProctrackType=proctrack/linuxproc`,
        `TaskPlugin=task/none`,
        `SelectType=select/cons_tres`,
        `SelectTypeParameters=CR_CPU`,
        `JobAcctGatherType=jobacct_gather/none`,
        `AccountingStorageType=accounting_storage/none`,
        `JobCompType=jobcomp/none`,
        `MpiDefault=none`,
        `ReturnToService=2`,
        `MinJobAge=600`,
        `NodeName=${NODE_NAME} NodeAddr=127.0.0.1 NodeHostname=${host} CPUs=${cpus} State=UNKNOWN`,
        `PartitionName=debug Nodes=${NODE_NAME} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    const cluster = new LocalCluster(dir, conf);
    try {
      cluster.spawn('munged', 'munged', ['--force', '--foreground', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${join(munge, 'munged.pid')}`, `--seed-file=${join(munge, 'munged.seed')}`, `--log-file=${join(dir, 'log', 'munged.log')}`]);
      await cluster.until(() => existsSync(socket), 'munged to create its socket', timeoutMs);
      cluster.spawn('slurmctld', 'slurmctld', ['-D', '-f', conf]);
      cluster.spawn('slurmd', 'slurmd', ['-D', '-f', conf, '-N', NODE_NAME]);
      await cluster.until(() => /^idle/.test(cluster.run('sinfo', ['-h', '-n', NODE_NAME, '-o', '%T']).stdout.trim()), `node ${NODE_NAME} to be idle`, timeoutMs);
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  private spawn(name: string, command: string, args: string[]): void {
    const log = join(this.dir, 'log', `${name}.out`);
    const fd = openSync(log, 'a');
    try {
      const child = spawn(command, args, { cwd: this.dir, env: this.env, stdio: ['ignore', fd, fd] });
      child.on('error', () => {});
      this.daemons.push({ name, child, log });
    } finally {
      closeSync(fd);
    }
  }

  /** A Slurm client command against this cluster. */
  run(command: string, args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(command, args, { env: { ...this.env, ...env }, cwd, encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
  }

  /** The last lines of every daemon's output, to say why something did not work. */
  logs(lines = 15): string {
    return this.daemons
      .map((d) => {
        const text = existsSync(d.log) ? readFileSync(d.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no output)';
        const state = d.child.exitCode !== null || d.child.signalCode !== null ? ` (exited: ${d.child.exitCode ?? d.child.signalCode})` : '';
        return `--- ${d.name} pid ${d.child.pid}${state}\n${text}`;
      })
      .join('\n');
  }

  /** Polls `ready` until it holds; fails early, with the logs, when a daemon has exited. */
  async until(ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (ready()) return;
      const dead = this.daemons.find((d) => d.child.exitCode !== null || d.child.signalCode !== null);
      if (dead) throw new Error(`Slurm could not start: ${dead.name} exited while waiting for ${what}\n${this.logs()}`);
      if (Date.now() > deadline) throw new Error(`Slurm could not start: timed out after ${timeoutMs} ms waiting for ${what}\n${this.logs()}`);
      await sleep(250);
    }
  }

  /** Ends every daemon it started, by pid, newest first: SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    for (const d of [...this.daemons].reverse()) {
      const { child } = d;
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid, 'SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!killed) {
        process.kill(child.pid, 'SIGKILL');
        await exited;
      }
    }
  }
}
