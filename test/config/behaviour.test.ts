// One set of behavioural parameters for the baseline and every historical episode: the configs in
// configs/history/ may change the world, never how operators behave (src/config/behaviour.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BEHAVIOURAL_PATHS, behaviouralDifferences } from '../../src/config/behaviour.ts';
import { loadExperiment } from '../../src/config/load.ts';
import { getPath } from '../../src/config/paths.ts';
import { tempDirs } from '../support/tmp.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const HISTORY = join(ROOT, 'configs', 'history');
const EPISODES = readdirSync(HISTORY).filter((f) => f.endsWith('.json')).sort();
const baseline = loadExperiment(join(ROOT, 'configs', 'baseline.json')).experiment;
const tmp = tempDirs('hm-behaviour-');

describe('behavioural fields', () => {
  it('every behavioural path leads to a field of the baseline, once', () => {
    expect(new Set(BEHAVIOURAL_PATHS).size).toBe(BEHAVIOURAL_PATHS.length);
    for (const path of BEHAVIOURAL_PATHS) expect(getPath(baseline, path.split('.')), path).not.toBeUndefined();
  });

  it('docs/CONFIG.md lists every behavioural path', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'CONFIG.md'), 'utf8');
    for (const path of BEHAVIOURAL_PATHS) expect(doc, path).toContain(`\`${path}\``);
  });

  it('there are history episodes to check', () => {
    expect(EPISODES).toEqual(['growth-2022-2026.json', 'halving-2024.json']);
  });

  it.each(EPISODES)('configs/history/%s keeps every behavioural field at the baseline value', (file) => {
    const { experiment } = loadExperiment(join(HISTORY, file));
    expect(behaviouralDifferences(experiment, baseline)).toEqual([]);
  });

  it('a config that changes a behavioural field is caught, one that changes the world is not', () => {
    const dir = tmp();
    const write = (name: string, overrides: Record<string, unknown>) => {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify({ extends: join(ROOT, 'configs', 'baseline.json'), name: 'x', overrides }));
      return loadExperiment(file).experiment;
    };
    const behaviour = write('b.json', { 'model.decisions.temperature': 0.5, 'model.renewal.deliveryEpochs': [2, 4] });
    expect(behaviouralDifferences(behaviour, baseline)).toEqual(['model.decisions.temperature', 'model.renewal.deliveryEpochs']);
    const world = write('w.json', { 'model.market.price.startUsd': 20000, 'model.regions.us.share': 0.3, 'model.horizon.endDate': '2030-01-01' });
    expect(behaviouralDifferences(world, baseline)).toEqual([]);
  });
});
