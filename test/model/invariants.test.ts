// Invariants of the state that loops over cohorts rely on to skip operators (see EXITED in state.ts).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadExperiment } from '../../src/config/load.ts';
import { resolveParams } from '../../src/model/params.ts';
import { simulateReplicate } from '../../src/model/simulate.ts';
import { AI, EXITED } from '../../src/model/state.ts';

const config = (name: string) => fileURLToPath(new URL(`../../configs/${name}`, import.meta.url));

describe('an exited operator', () => {
  for (const name of ['baseline.json', 'china-crackdown.json']) {
    it(`has no machines and no running cohort at the end of every epoch (${name})`, () => {
      const { experiment } = loadExperiment(config(name));
      const p = resolveParams(experiment.model, null);
      const K = p.cohortSlots;
      let violations = 0;
      let exitedOperatorEpochs = 0;
      let aiOperatorEpochs = 0;
      simulateReplicate(p, { rootSeed: experiment.seed, replicate: 0, point: null }, (_, s) => {
        for (let o = 0; o < s.opStatus.length; o++) {
          if (s.opStatus[o] === AI) aiOperatorEpochs++;
          if (s.opStatus[o] !== EXITED) continue;
          exitedOperatorEpochs++;
          for (let slot = o * K; slot < (o + 1) * K; slot++) if (s.coThs[slot] > 0 || s.coRunning[slot] !== 0) violations++;
        }
      });
      expect(exitedOperatorEpochs).toBeGreaterThan(0);
      expect(aiOperatorEpochs).toBeGreaterThan(0);
      expect(violations).toBe(0);
    });
  }
});
