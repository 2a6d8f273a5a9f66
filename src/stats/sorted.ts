// An ascending copy of a sample that refuses non-finite values: d3-array's statistics silently skip
// NaN, null and undefined, so a model bug would otherwise just shorten the sample.

/**
 * Copies the values into an ascending Float64Array (typed-array sort is numeric, and much faster
 * than sorting a number[] with a comparator), throwing `Error("<label>: NaN at index i")` on the
 * first non-finite value and `Error("<label>: no values")` on empty input.
 */
export function sortedFinite(values: Float64Array | readonly number[], label: string): Float64Array {
  const count = values.length;
  if (count === 0) throw new Error(`${label}: no values`);
  const sorted = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const value = values[i];
    // Number.isFinite does not coerce, so null/undefined/holes in a number[] are caught too.
    if (!Number.isFinite(value)) throw new Error(`${label}: ${String(value)} at index ${i}`);
    sorted[i] = value;
  }
  return sorted.sort();
}
