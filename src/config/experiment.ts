// The experiment file: what to run (name, question, seed, replicates, optional sweep) and the model it runs.
import { z } from 'zod';
import { modelSchema } from './schema.ts';

/** Most replicates of a run, in a file or with --replicates. */
export const MAX_REPLICATES = 10_000_000;

export const sweepSchema = z.strictObject({
  design: z.enum(['grid', 'lhs', 'morris', 'sobol']),
  /** points of a Latin hypercube; grids take `points` per parameter; Morris: trajectories r; Sobol: base samples N */
  points: z.number().int().min(1).max(10_000),
  /** Morris: levels of the grid (default 4) */
  levels: z.number().int().min(2).max(100).optional(),
  /** Morris and Sobol: bootstrap resamples for the 95% intervals (default 1000) */
  bootstrap: z.number().int().min(0).max(100_000).optional(),
  /** Morris and Sobol: the series analysed, "metric" or "metric:region" (default: the key network metrics) */
  outputs: z.array(z.string().min(1)).min(1).optional(),
  /** Morris and Sobol: the epoch analysed (default: the last) */
  epoch: z.number().int().min(0).max(10_000).optional(),
  /** common random numbers (false, the default): every point sees the same streams per replicate */
  independentStreams: z.boolean().default(false),
  parameters: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        min: z.number(),
        max: z.number(),
        /** "log": drawn log-uniformly between min and max (> 0); default uniform */
        scale: z.enum(['linear', 'log']).optional(),
        /** the drawn value multiplies every number at the path (a value, a [min, max] range, `*` for every list element) */
        multiply: z.boolean().optional(),
        /** round the resulting numbers to integers (for counts of epochs) */
        round: z.boolean().optional(),
      }),
    )
    .min(1),
});

export const experimentSchema = z.strictObject({
  $schema: z.string().optional(),
  // the name is the default output folder (results/NAME), so it must fit a file name with room to spare
  name: z.string().max(100, 'expected at most 100 characters').regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"'),
  description: z.string().min(1),
  question: z.string().min(1),
  seed: z.number().int().min(0).max(2 ** 53 - 1),
  replicates: z.number().int().min(1).max(MAX_REPLICATES),
  model: modelSchema,
  sweep: sweepSchema.optional(),
  /** observed series to score the run against (a CSV date,metric,region,value[,source], relative to the file) */
  observed: z.string().min(1).optional(),
});

export type Experiment = z.infer<typeof experimentSchema>;
export type Sweep = z.infer<typeof sweepSchema>;
