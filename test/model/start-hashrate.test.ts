// The network at the start (model.start.hashrateEhs): the fleet of the start is calibrated to the
// hashrate that mines the first epoch, and operators start from it as the network they expect.
// The difficulty in force was set by the previous retarget period, so a historical start gives the
// hashrate that mined the period from start.height (configs/history/); without the field, the
// difficulty-implied hashrate of a forecast from the latest retarget (the baseline).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { initialState } from '../../src/model/init.ts';
import { impliedHashrateThs } from '../../src/model/params.ts';
import { createStreams } from '../../src/model/rng.ts';
import { ROOT } from '../support/cli.ts';
import { paramsFrom } from './support.ts';

const key = { rootSeed: 20260401, replicate: 0, point: null };

describe('the network hashrate at the start', () => {
  it('calibrates the fleet and the expected network to start.hashrateEhs, leaving the difficulty and hashprice as they were', () => {
    const base = paramsFrom();
    const implied = impliedHashrateThs(base.config.start.difficulty, base.config.protocol.targetBlockSeconds);
    // 9% above the difficulty-implied hashrate, as in January 2022 (190.7 against 174.5 EH/s).
    const ehs = (1.09 * implied) / 1e6;
    const p = paramsFrom((m) => {
      m.start.hashrateEhs = ehs;
    });
    const s0 = initialState(base, createStreams(key));
    const s = initialState(p, createStreams(key));
    expect(s0.runningThs / implied).toBeCloseTo(1, 3);
    expect(s.runningThs / (ehs * 1e6)).toBeCloseTo(1, 3);
    expect(s.expHashrateThs).toBe(ehs * 1e6);
    expect(s0.expHashrateThs).toBe(implied);
    expect(s.difficulty).toBe(s0.difficulty);
    expect(s.hashpriceUsdPerPhDay).toBe(s0.hashpriceUsdPerPhDay);
  });

  it('the history episodes start from the hashrate that mined their first period (the difficulty set at its end)', () => {
    const rows = readFileSync(join(ROOT, 'data', 'history', 'difficulty.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(','));
    for (const name of ['growth-2022-2026', 'halving-2024']) {
      const { start, protocol } = loadExperiment(join(ROOT, 'configs', 'history', `${name}.json`)).experiment.model;
      const next = rows.find((r) => Number(r[0]) === start.height + protocol.blocksPerEpoch);
      expect(next, `${name}: the retarget after ${start.height}`).toBeDefined();
      const ehs = impliedHashrateThs(Number(next![2]), protocol.targetBlockSeconds) / 1e6;
      expect(start.hashrateEhs, name).toBeCloseTo(ehs, 3);
    }
  });
});
