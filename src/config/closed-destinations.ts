// Destinations that can receive nobody: a region in model.decisions.destinations whose allocations
// are closed at the start and that no scripted `open` event reopens. Relocations into a closed
// region are not allowed (docs/MODEL.md), so such a destination's series stay at zero; the run
// summary says so rather than leaving the zeros to be puzzled over.
import type { Experiment } from './experiment.ts';

export function closedDestinations(e: Experiment): string[] {
  const m = e.model;
  const reopened = new Set(m.events.filter((ev) => ev.kind === 'open').map((ev) => (ev as { region: string }).region));
  return m.decisions.destinations.filter((id) => {
    const region = m.regions.find((r) => r.id === id);
    return region !== undefined && !region.allocationsOpen && !reopened.has(id);
  });
}

/** The summary's note on closed destinations, or '' when every destination can receive. */
export function closedDestinationsNote(e: Experiment): string {
  const closed = closedDestinations(e);
  if (closed.length === 0) return '';
  const list = closed.join(', ');
  return `note: destination${closed.length > 1 ? 's' : ''} ${list} ${closed.length > 1 ? 'are' : 'is'} closed to allocations (allocationsOpen false, no "open" event), so ${closed.length > 1 ? 'they receive' : 'it receives'} no relocations\n`;
}
