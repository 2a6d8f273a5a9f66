// Loading and checking experiment files from a program: the same rules as `hashmigrate validate`.
import { loadExperiment, type LoadedExperiment } from '../config/load.ts';
import { checkExperimentFile } from '../config/check.ts';
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

/**
 * Checks an experiment file without throwing on bad input: every problem found in one pass (syntax,
 * extends, overrides, schema, cross-field checks; then, for a valid file, its data files and each
 * sweep point), as lines.
 */
export function validateConfig(file: string): ConfigCheck {
  const { experiment, problems } = checkExperimentFile(file);
  if (!experiment) return { problems };
  try {
    makePlan(file, experiment);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { problems: err.problems };
  }
  return { experiment, problems: [] };
}
