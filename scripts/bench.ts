// Benchmark: single-threaded replicates (baseline, and 100,000 operators), then worker scaling
// (1 worker against N workers, in this one process run). Run the compiled build: `npm run bench`.
//   --json            print one JSON line only
//   --workers N       workers for the scaling run (default: SLURM_CPUS_PER_TASK or the available cores)
//   --replicates R    replicates per scaling run (default: 16 per worker, at least 48)
//   --quick           smaller runs (for a smoke test)
//   --warm-up W       untimed replicates before the single-thread baseline figure (default 3)
// Besides the pool, it runs the same replicates in N separate processes at once (no threads, no
// messages): the throughput the machine itself gives N independent copies of the model. The pool's
// efficiency can be read against that ceiling (`processEfficiency`).
import { loadExperiment } from '../src/config/load.ts';
import { resolveParams } from '../src/model/params.ts';
import { simulateReplicate } from '../src/model/simulate.ts';
import { makePlan, type WorkerPayload } from '../src/runner/plan.ts';
import { chunkReplicates, defaultWorkerCount, runPool } from '../src/runner/pool.ts';
import { defaultChunkSize, workerBoot } from '../src/runner/batch.ts';
import type { Experiment } from '../src/config/experiment.ts';
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const json = flag('--json');
const quick = flag('--quick');
const say = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};
/** What is being timed next, on stderr (so that --json keeps stdout to its one line): each stage takes a while. */
const timing = (what: string) => process.stderr.write(`timing ${what} ...\n`);
const file = 'configs/baseline.json';
const { experiment } = loadExperiment(file);

/** CPU seconds this process has used (user and system). */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * Times `replicates` replicates in this thread, on the wall clock and in CPU time (on a shared
 * machine the CPU time is the steadier figure). First `warmUp` replicates run untimed, so the figure
 * is the steady state after the JIT has compiled the model (the first replicates of a fresh process
 * take longer, the first about twice as long); their time is reported as `coldSeconds`.
 */
function single(e: Experiment, replicates: number, warmUp: number): { opEpochsPerSec: number; opEpochsPerCpuSec: number; seconds: number; cpuSeconds: number; coldSeconds: number; operators: number; epochs: number } {
  const p = resolveParams(e.model, null);
  const c0 = performance.now();
  for (let w = 0; w < warmUp; w++) simulateReplicate(p, { rootSeed: e.seed, replicate: replicates + w, point: null });
  const coldSeconds = (performance.now() - c0) / 1000;
  const t0 = performance.now();
  const u0 = cpuSeconds();
  for (let r = 0; r < replicates; r++) simulateReplicate(p, { rootSeed: e.seed, replicate: r, point: null });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - u0;
  const opEpochs = e.model.operators.count * p.epochCount * replicates;
  return { opEpochsPerSec: opEpochs / seconds, opEpochsPerCpuSec: opEpochs / cpu, seconds, cpuSeconds: cpu, coldSeconds, operators: e.model.operators.count, epochs: p.epochCount };
}

async function pooled(e: Experiment, replicates: number, workers: number): Promise<number> {
  const plan = makePlan(file, { ...e, replicates });
  const payload: WorkerPayload = { experiment: { ...e, replicates }, pricePath: null, feePath: null, points: plan.points, replicates };
  const boot = workerBoot(payload);
  const units = Array.from({ length: replicates }, (_, i) => i);
  const t0 = performance.now();
  await runPool(chunkReplicates(units, defaultChunkSize(replicates, workers)), { ...boot, workers, onResult: () => {} });
  const seconds = (performance.now() - t0) / 1000;
  return (e.model.operators.count * (plan.epochCount - 1) * replicates) / seconds;
}

// A child process of the process-ceiling measurement: run replicates [from, from + count), print the seconds.
if (flag('--child')) {
  const from = value('--from', 0);
  const count = value('--count', 1);
  const p = resolveParams(experiment.model, null);
  simulateReplicate(p, { rootSeed: experiment.seed, replicate: from, point: null }); // warm-up, not timed
  const t0 = performance.now();
  for (let r = from; r < from + count; r++) simulateReplicate(p, { rootSeed: experiment.seed, replicate: r, point: null });
  process.stdout.write(`${(performance.now() - t0) / 1000}\n`);
  process.exit(0);
}

/** Throughput of `procs` separate processes running `reps` replicates between them, all at once. */
async function processes(procs: number, reps: number): Promise<number> {
  const p = resolveParams(experiment.model, null);
  const per = Math.ceil(reps / procs);
  const seconds = await Promise.all(
    Array.from({ length: procs }, (_, i) =>
      new Promise<number>((res, rej) => {
        const child = spawn(process.execPath, [process.argv[1], '--child', '--from', String(i * per), '--count', String(per)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => (code === 0 ? res(Number(out.trim())) : rej(new Error(`bench child exited with ${code}`))));
      }),
    ),
  );
  return (experiment.model.operators.count * p.epochCount * per * procs) / Math.max(...seconds);
}

const warmUp = value('--warm-up', 3);
const baseReps = quick ? 2 : 6;
timing(`${baseReps} baseline replicates on 1 thread, after ${warmUp} warm-up replicates`);
const base = single(experiment, baseReps, warmUp);
say(
  `baseline (${base.operators} operators x ${base.epochs} epochs), 1 thread, after ${warmUp} warm-up replicates: ${(base.opEpochsPerSec / 1e6).toFixed(2)} M operator-epochs/s ` +
    `(CPU time ${(base.opEpochsPerCpuSec / 1e6).toFixed(2)} M/s, ${(base.cpuSeconds / baseReps).toFixed(3)} s CPU each; warm-up ${base.coldSeconds.toFixed(2)} s, then ${(base.seconds / baseReps).toFixed(2)} s each)`,
);
const big = structuredClone(experiment);
big.model.operators.count = quick ? 20_000 : 100_000;
timing(`one replicate of ${big.model.operators.count} operators on 1 thread`);
const large = single(big, 1, 0);
say(`${big.model.operators.count} operators x ${large.epochs} epochs, 1 thread: ${(large.opEpochsPerSec / 1e6).toFixed(2)} M operator-epochs/s (${large.seconds.toFixed(1)} s)`);

const workers = value('--workers', defaultWorkerCount());
// Enough replicates per worker (about 4 s of work each) that worker start-up and JIT warm-up, paid once per
// worker, weigh little against the steady state.
const reps = value('--replicates', Math.max(48, 16 * workers) / (quick ? 4 : 1));
timing(`${reps} baseline replicates on 1 worker thread`);
const one = await pooled(experiment, reps, 1);
timing(`the same ${reps} replicates on ${workers} worker threads`);
const many = await pooled(experiment, reps, workers);
const efficiency = many / (workers * one);
say(`${reps} replicates: 1 worker ${(one / 1e6).toFixed(2)} M/s, ${workers} workers ${(many / 1e6).toFixed(2)} M/s, efficiency ${efficiency.toFixed(3)}`);
timing(`${reps / workers} replicates in 1 separate process`);
const proc1 = await processes(1, reps / workers);
timing(`${reps} replicates in ${workers} separate processes at once`);
const procN = await processes(workers, reps);
const processEfficiency = procN / (workers * proc1);
say(`separate processes (the machine's ceiling): 1 process ${(proc1 / 1e6).toFixed(2)} M/s, ${workers} at once ${(procN / 1e6).toFixed(2)} M/s, efficiency ${processEfficiency.toFixed(3)}`);
if (json) {
  process.stdout.write(
    JSON.stringify({
      operatorEpochsPerSec1: one,
      operatorEpochsPerSecN: many,
      workers,
      efficiency,
      replicates: reps,
      processesPerSec1: proc1,
      processesPerSecN: procN,
      processEfficiency,
      singleThreadBaseline: base.opEpochsPerSec,
      singleThreadBaselineCpu: base.opEpochsPerCpuSec,
      singleThreadBaselineWarmUp: warmUp,
      singleThreadBaselineColdSeconds: base.coldSeconds,
      singleThreadLarge: large.opEpochsPerSec,
      largeOperators: big.model.operators.count,
    }) + '\n',
  );
}
