// Loading and checking experiment files from a program: the same rules as `hashmigrate validate`.
import { loadExperiment, resolveRaw, validateExperiment, type LoadedExperiment } from '../config/load.ts';
import { UserError } from '../config/errors.ts';
import { makePlan } from '../runner/plan.ts';

/**
 * Loads an experiment file (resolving `extends` and `overrides`, filling defaults) and validates it.
 * Throws a UserError whose `message` is the first problem and whose `problems` lists them all.
 */
export function loadConfig(file: string): LoadedExperiment {
  const loaded = loadExperiment(file);
  makePlan(file, loaded.experiment);
  return loaded;
}

export interface ConfigCheck {
  /** the resolved experiment, when the file has no problem */
  experiment?: LoadedExperiment['experiment'];
  /** every problem found, one line each (file, field path, value, expectation); empty when valid */
  problems: string[];
}

/** Checks an experiment file without throwing on bad input: every problem found, as lines. */
export function validateConfig(file: string): ConfigCheck {
  const problems: string[] = [];
  try {
    const { experiment, problems: found } = validateExperiment(file, resolveRaw(file));
    problems.push(...found);
    if (experiment) makePlan(file, experiment);
    return problems.length ? { problems } : { experiment, problems };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { problems: [...problems, ...err.problems] };
  }
}
