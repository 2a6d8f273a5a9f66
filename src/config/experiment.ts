// The experiment file: what to run (name, question, seed, replicates, optional sweep) and the model it runs.
import { z } from 'zod';
import { modelSchema } from './schema.ts';

export const sweepSchema = z.strictObject({
  design: z.enum(['grid', 'lhs']),
  /** number of points for a Latin hypercube; grids take `points` per parameter */
  points: z.number().int().min(1).max(10_000),
  /** common random numbers (false, the default): every point sees the same streams per replicate */
  independentStreams: z.boolean().default(false),
  parameters: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        min: z.number(),
        max: z.number(),
      }),
    )
    .min(1),
});

export const experimentSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"'),
  description: z.string().min(1),
  question: z.string().min(1),
  seed: z.number().int().min(0).max(2 ** 53 - 1),
  replicates: z.number().int().min(1).max(10_000_000),
  model: modelSchema,
  sweep: sweepSchema.optional(),
});

export type Experiment = z.infer<typeof experimentSchema>;
export type Sweep = z.infer<typeof sweepSchema>;
