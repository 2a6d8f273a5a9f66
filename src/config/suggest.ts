// "Did you mean ...?": the closest valid key or id to a misspelt one, by edit distance (optimal
// string alignment: insertions, deletions, substitutions and swaps of neighbours, case ignored).
import { showValue } from './errors.ts';

/** Edit distance between a and b, where swapping two neighbouring characters counts as one edit. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows = x.length + 1;
  const cols = y.length + 1;
  const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[x.length][y.length];
}

/** Longest word for which a suggestion is looked for; keys, ids and names are far shorter. */
const MAX_SUGGEST_LENGTH = 200;

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo: at most one edit in
 * four characters, plus one (so "uss" finds "us" but "zz" finds nothing). Ties go to the first.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  // no suggestion for an absurdly long word: the distance would cost its length squared
  if (word.length > MAX_SUGGEST_LENGTH) return undefined;
  const limit = 1 + Math.floor(word.length / 4);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word || Math.abs(c.length - word.length) > limit) continue;
    const distance = editDistance(word, c);
    if (distance <= limit && distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` for the nearest candidate, or '' when none is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = nearest(word, candidates);
  return didYouMeanOneOf(hit === undefined ? [] : [hit]);
}

/** ` (did you mean "x"?)`, ` (did you mean "x" or "y"?)` for several hits, or '' for none. */
export function didYouMeanOneOf(hits: readonly string[]): string {
  return hits.length === 0 ? '' : ` (did you mean ${hits.map((h) => showValue(h)).join(' or ')}?)`;
}

/** The last key of a dotted path: `model.regions[].pue` → `pue`. */
const lastKey = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/**
 * Where a key written at the wrong level belongs: the paths among `paths` (dotted, as
 * `schemaFields` writes them) whose last key is `key`, or failing that whose last key is the one
 * nearest to it. Several are ordered by how many leading keys they share with `at`, the path of
 * the object the key was written in (closest first, ties in the order given).
 */
export function pathsEnding(key: string, paths: Iterable<string>, at = ''): string[] {
  const all = [...paths];
  let hits = all.filter((p) => lastKey(p) === key);
  if (hits.length === 0) {
    const near = nearest(key, new Set(all.map(lastKey)));
    hits = near === undefined ? [] : all.filter((p) => lastKey(p) === near);
  }
  const here = at === '' ? [] : at.split('.');
  const shared = (p: string) => {
    const keys = p.split('.');
    let n = 0;
    while (n < here.length && n < keys.length && keys[n] === here[n]) n++;
    return n;
  };
  return hits.map((p, i) => ({ p, i, n: shared(p) })).sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.p);
}

/** `; did you mean "x"?` for the nearest candidate (to end a parenthesis), or '' when none is close. */
export function didYouMeanClause(word: string, candidates: Iterable<string>): string {
  const hit = nearest(word, candidates);
  return hit === undefined ? '' : `; did you mean ${showValue(hit)}?`;
}
