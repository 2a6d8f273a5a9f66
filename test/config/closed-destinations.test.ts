import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.ts';
import { closedDestinations, closedDestinationsNote } from '../../src/config/closed-destinations.ts';
import { ROOT } from '../support/cli.ts';

describe('closedDestinations', () => {
  const baseline = loadExperiment(join(ROOT, 'configs', 'baseline.json')).experiment;

  it('names a default destination closed to allocations (Ethiopia in the baseline)', () => {
    expect(closedDestinations(baseline)).toEqual(['et']);
    expect(closedDestinationsNote(baseline)).toBe('note: destination et is closed to allocations (allocationsOpen false, no "open" event), so it receives no relocations\n');
  });

  it('leaves out a closed destination that an open event reopens', () => {
    const e = structuredClone(baseline);
    e.model.events = [{ date: '2027-01-01', kind: 'open', region: 'et', addCapacityMw: 100 }];
    expect(closedDestinations(e)).toEqual([]);
    expect(closedDestinationsNote(e)).toBe('');
  });
});
