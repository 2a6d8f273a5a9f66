// Named, seeded random streams. Every draw in the model comes from one of these, passed in.
// Seeds are SHA-256 digests of (scheme, root seed, replicate, stream name), never `seed + i`,
// so neighbouring replicates share nothing and one submodel's draws never shift another's.
import { createHash } from 'node:crypto';
import { Xor4096 } from './xor4096.ts';

export const SEED_SCHEME = 'hashmigrate/v1';
export const STREAM_NAMES = ['market', 'regions', 'policy', 'ai', 'agents'] as const;
export type StreamName = (typeof STREAM_NAMES)[number];

/** The identity of one replicate's randomness: the sweep point is included only for independent streams. */
export interface StreamKey {
  rootSeed: number;
  replicate: number;
  /** sweep point index when sweep points draw independent streams; null for common random numbers */
  point: number | null;
}

export function streamSeed(key: StreamKey, name: StreamName): string {
  const parts = [SEED_SCHEME, String(key.rootSeed), String(key.replicate)];
  if (key.point !== null) parts.push(`point=${key.point}`);
  parts.push(name);
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

/** Digest over all of a replicate's stream seeds: one value to quote for a replicate. */
export function seedDigest(key: StreamKey): string {
  const h = createHash('sha256');
  for (const name of STREAM_NAMES) h.update(streamSeed(key, name));
  return h.digest('hex');
}

export class Stream {
  private readonly prng: Xor4096;
  private spareNormal = NaN;
  private readonly seed: string;

  constructor(seed: string) {
    // xor4096's double() gives 53-bit uniforms (seedrandom's xor4096, restated as one class).
    this.prng = new Xor4096(seed);
    this.seed = seed;
  }

  /**
   * A stream of its own derived from this one's seed and `label` (sha256(seed NUL label)): it draws
   * nothing from this stream, so using it shifts none of this stream's later draws.
   */
  fork(label: string): Stream {
    return new Stream(createHash('sha256').update(`${this.seed}\u0000${label}`).digest('hex'));
  }

  /** uniform on [0, 1) */
  uniform(): number {
    return this.prng.double();
  }

  /** uniform on [lo, hi] */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.prng.double();
  }

  /** uniform integer on [lo, hi] inclusive */
  integer(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.prng.double());
  }

  /** standard normal draw (Marsaglia polar method; the second value is kept for the next call) */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return z;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.prng.double() - 1;
      v = 2 * this.prng.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** true with probability p */
  chance(p: number): boolean {
    return this.prng.double() < p;
  }

  /** Poisson draw by inversion (small means only: jump counts per epoch) */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.prng.double();
    while (p > limit) {
      k += 1;
      p *= this.prng.double();
    }
    return k;
  }

  /** Fisher-Yates shuffle of a[0..n) in place */
  shuffle(a: Int32Array, n: number): void {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor((i + 1) * this.prng.double());
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

export type Streams = Record<StreamName, Stream>;

export function createStreams(key: StreamKey): Streams {
  const out = {} as Streams;
  for (const name of STREAM_NAMES) out[name] = new Stream(streamSeed(key, name));
  return out;
}
