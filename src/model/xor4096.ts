// Richard Brent's xorgens xor4096 generator as seedrandom 3.0.5 implements it (lib/xor4096.js),
// restated as one class: the same state, seeding and outputs, bit for bit (test/model/xor4096.test.ts
// compares the two). seedrandom builds a fresh set of closures for every generator, so each new
// replicate's streams called different functions at the model's call sites, and V8 threw away the
// optimised code of every function that draws (integer, shuffle, poisson...) on the second replicate.
// Brent, "Some long-period random number generators using shifts and xors" (2007), arXiv:1004.3115.

/** Words of the xor generator's circular state. */
const WORDS = 128;

export class Xor4096 {
  /** circular xor state, int32 words */
  private readonly X = new Int32Array(WORDS);
  /** position in X of the last word written */
  private i = 0;
  /** Weyl generator, int32 */
  private w = 0;

  /** Seeds from a string, as seedrandom.xor4096(seed) does (its string branch). */
  constructor(seed: string) {
    const X = this.X;
    const key = `${seed}\u0000`;
    let v = 0;
    let w = 0;
    let t = 0;
    let zeros = 0;
    const limit = Math.max(WORDS, key.length);
    // Mix the key's characters into v and X, one at a time; after 32 shuffles v starts w.
    for (let j = -32; j < limit; ++j) {
      v ^= key.charCodeAt((j + 32) % key.length);
      if (j === 0) w = v;
      v ^= v << 10;
      v ^= v >>> 15;
      v ^= v << 4;
      v ^= v >>> 13;
      if (j >= 0) {
        w = (w + 0x61c88647) | 0;
        t = X[j & 127] ^= v + w;
        zeros = t === 0 ? zeros + 1 : 0;
      }
    }
    // All zeroes: make the key nonzero.
    if (zeros >= WORDS) X[key.length & 127] = -1;
    // Run the xor generator 512 times to mix the state (the Weyl generator stands still).
    let i = 127;
    for (let j = 4 * WORDS; j > 0; --j) {
      let a = X[(i + 34) & 127];
      let b = X[(i = (i + 1) & 127)];
      a ^= a << 13;
      b ^= b << 17;
      a ^= a >>> 15;
      b ^= b >>> 12;
      X[i] = a ^ b;
    }
    this.w = w;
    this.i = i;
  }

  /** The next signed 32-bit output (seedrandom's int32()). */
  next(): number {
    const X = this.X;
    const w = (this.w = (this.w + 0x61c88647) | 0);
    let i = this.i;
    let v = X[(i + 34) & 127];
    let t = X[(i = (i + 1) & 127)];
    v ^= v << 13;
    t ^= t << 17;
    v ^= v >>> 15;
    t ^= t >>> 12;
    v = X[i] = v ^ t;
    this.i = i;
    return (v + (w ^ (w >>> 16))) | 0;
  }

  /** Uniform on (0, 1) with 53 random bits (seedrandom's double()). */
  double(): number {
    let result = 0;
    do {
      const top = this.next() >>> 11;
      const bot = (this.next() >>> 0) / 0x100000000;
      result = (top + bot) / (1 << 21);
    } while (result === 0);
    return result;
  }
}
