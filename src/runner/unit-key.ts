// The random-stream key of one unit (sweep point, replicate): the same in a worker, in `simulate`
// and in the library's runReplicate, so a replicate re-run alone matches the batch's.
import type { Experiment } from '../config/experiment.ts';
import type { StreamKey } from '../model/rng.ts';

export function unitStreamKey(experiment: Experiment, point: number, replicate: number): StreamKey {
  // Common random numbers (the default): every sweep point sees the same streams per replicate.
  const independent = experiment.sweep?.independentStreams === true;
  return { rootSeed: experiment.seed, replicate, point: independent ? point : null };
}
