// A real Slurm job array: a one-node cluster on localhost (munged, slurmctld, slurmd, started here and
// stopped by pid afterwards) runs scripts/slurm/submit.sh: 3 shard tasks of the tiny config with the
// repository's own CLI, then the merge, held back by a job dependency. The merged folder must equal a
// local single run byte for byte. Where Slurm cannot start, the test says why; in CI (CI set) that is
// a failure, elsewhere the test is skipped with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp.ts';
import { LocalCluster, whySlurmCannotStart } from './cluster.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const TINY = join(ROOT, 'test', 'fixtures', 'tiny.json');
const REPLICATES = '5';
const SHARDS = 3;

const tmp = tempDirs('hm-slurm-');
const reason = whySlurmCannotStart();
const skipHere = reason !== null && !process.env.CI;
if (skipHere) console.warn(`test/slurm skipped: ${reason} (in CI this test fails instead)`);

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
const manifestOf = (dir: string) => JSON.parse(read(dir, 'manifest.json'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL_STATES = /^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE)/;

describe.skipIf(skipHere)('Slurm job array, then merge', () => {
  let cluster: LocalCluster | undefined;
  // why the cluster did not start; the test fails with it (a failing hook would count no failed test)
  let startError: string | undefined;
  const jobs: string[] = [];
  let work: string;

  beforeAll(async () => {
    if (reason) {
      startError = `Slurm cannot start here: ${reason}`;
      return;
    }
    work = tmp();
    try {
      cluster = await LocalCluster.start(join(work, 'cluster'));
    } catch (err) {
      startError = (err as Error).message;
    }
  }, 120_000);

  afterAll(async () => {
    if (cluster && jobs.length) cluster.run('scancel', jobs);
    await cluster?.stop();
  }, 60_000);

  /** The job's state as scontrol reports it, e.g. COMPLETED or PENDING. */
  function jobState(id: string): string {
    const r = cluster!.run('scontrol', ['-o', 'show', 'job', id]);
    return /JobState=(\S+)/.exec(r.stdout)?.[1] ?? `unknown (${r.stderr.trim()})`;
  }

  async function waitFor(id: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = jobState(id);
      if (FINAL_STATES.test(state)) return state;
      // a job that can never start (too many CPUs asked, a failed dependency) would wait forever
      const reason = /Reason=(PartitionConfig|DependencyNeverSatisfied|BadConstraints|PartitionNodeLimit)/.exec(cluster!.run('scontrol', ['-o', 'show', 'job', id]).stdout);
      if (reason) return `${state} (${reason[1]})`;
      if (Date.now() > deadline) return `still ${state} after ${timeoutMs} ms`;
      await sleep(500);
    }
  }

  it(`runs ${SHARDS} shards as an array and merges them into the bytes of a local run`, async () => {
    if (startError !== undefined) throw new Error(startError);
    const shardRoot = join(work, 'shards');
    const merged = join(work, 'merged');
    const submit = cluster!.run(join(ROOT, 'scripts', 'slurm', 'submit.sh'), [TINY, String(SHARDS), shardRoot, merged, '--replicates', REPLICATES], ROOT, {
      // the scripts ask for 4 CPUs a task by default; this node may have fewer
      SBATCH_OPTIONS: '--cpus-per-task=1',
    });
    expect(submit.status, submit.stderr).toBe(0);
    const ids = /job (\d+) \(tasks 0-2\) and the merge as job (\d+)/.exec(submit.stdout);
    expect(ids, submit.stdout).not.toBeNull();
    const [, arrayJob, mergeJob] = ids!;
    jobs.push(arrayJob, mergeJob);

    // The merge waits for the array: it cannot have run before every shard is done.
    const state = await waitFor(mergeJob, 150_000);
    const logs = () => {
      const dir = join(shardRoot, 'logs');
      const files = existsSync(dir) ? readdirSync(dir).sort() : [];
      return files.map((f) => `--- ${f}\n${read(dir, f)}`).join('\n') + `\n${cluster!.logs(5)}`;
    };
    expect(state, logs()).toBe('COMPLETED');
    for (let i = 0; i < SHARDS; i++) expect(jobState(`${arrayJob}_${i}`), logs()).toBe('COMPLETED');

    // Each task found its shard in the Slurm environment (--shard auto).
    const shardDirs = readdirSync(shardRoot).filter((d) => d.startsWith('shard-')).sort();
    expect(shardDirs).toEqual(['shard-0', 'shard-1', 'shard-2']);
    const ranges = shardDirs.map((d) => manifestOf(join(shardRoot, d)).shard);
    expect(ranges.map((s) => [s.index, s.count, s.firstUnit, s.endUnit])).toEqual([
      [0, 3, 0, 1],
      [1, 3, 1, 3],
      [2, 3, 3, 5],
    ]);

    // The same batch on this machine, without Slurm.
    const local = join(work, 'local');
    const run = spawnSync(process.execPath, ['bin/hashmigrate.mjs', 'run', TINY, '--replicates', REPLICATES, '--workers', '1', '--progress', 'none', '--no-summary', '--out', local], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);

    // report.html too: the merge writes the report as run does
    for (const name of ['epochs.csv', 'replicates.csv', 'report.html']) expect(read(merged, name), name).toBe(read(local, name));
    const m = manifestOf(merged);
    expect(m.outputs).toEqual(manifestOf(local).outputs);
    expect(m.configSha256).toBe(manifestOf(local).configSha256);
    expect(m.mergedFrom.map((s: { index: number; dir: string }) => [s.index, s.dir])).toEqual(shardDirs.map((d, i) => [i, join(shardRoot, d)]));
    expect(readdirSync(merged).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 240_000);
});
