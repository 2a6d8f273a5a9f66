// Snappy, the raw block format (no framing), as Parquet's SNAPPY codec stores pages: the
// uncompressed length as a varint, then elements, each a literal run or a copy of earlier output
// (google/snappy, format_description.txt). The compressor is a greedy matcher over a hash table of
// 4-byte sequences; it compresses less than the reference one but is deterministic and short.

/** Bytes a match must share to be worth a copy element (a copy costs 2 or 3 bytes). */
const MIN_MATCH = 4;
/** The longest copy one element holds (tag 10: length - 1 in six bits). */
const MAX_COPY = 64;
/** Copies reach back at most this far (tag 10: a two-byte offset). */
const MAX_OFFSET = 65535;
/** Entries of the hash table of 4-byte sequences (a power of two). */
const HASH_BITS = 14;

function hash4(input: Uint8Array, i: number): number {
  const v = input[i] | (input[i + 1] << 8) | (input[i + 2] << 16) | (input[i + 3] << 24);
  // multiplicative hashing (Knuth, TAOCP vol. 3, 6.4): the top bits of v * 2654435761
  return Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS);
}

class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(b: number): void {
    this.room(1);
    this.bytes[this.length++] = b;
  }

  varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  copyFrom(src: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    this.bytes.set(src.subarray(start, end), this.length);
    this.length += end - start;
  }
}

function emitLiteral(out: ByteSink, input: Uint8Array, start: number, end: number): void {
  const n = end - start;
  if (n === 0) return;
  const m = n - 1;
  if (m < 60) out.byte(m << 2);
  else {
    // 60..63: the length - 1 follows in 1..4 little-endian bytes
    const width = m < 1 << 8 ? 1 : m < 1 << 16 ? 2 : m < 1 << 24 ? 3 : 4;
    out.byte((59 + width) << 2);
    for (let k = 0; k < width; k++) out.byte((m >>> (8 * k)) & 0xff);
  }
  out.copyFrom(input, start, end);
}

function emitCopy(out: ByteSink, offset: number, length: number): void {
  while (length > 0) {
    // never leave a piece shorter than MIN_MATCH for the one-byte-offset form below
    let n = Math.min(length, MAX_COPY);
    if (length - n > 0 && length - n < MIN_MATCH) n = length - MIN_MATCH;
    if (n >= 4 && n <= 11 && offset < 2048) {
      // tag 01: length - 4 in three bits, offset's high three bits, then its low byte
      out.byte(0x01 | ((n - 4) << 2) | ((offset >>> 8) << 5));
      out.byte(offset & 0xff);
    } else {
      // tag 10: length - 1 in six bits, then a two-byte little-endian offset
      out.byte(0x02 | ((n - 1) << 2));
      out.byte(offset & 0xff);
      out.byte(offset >>> 8);
    }
    length -= n;
  }
}

/** Compresses `input` into Snappy's raw format. The same input always gives the same bytes. */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const n = input.length;
  const out = new ByteSink(32 + n + Math.ceil(n / 6));
  out.varint(n);
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let literalStart = 0;
  let i = 0;
  while (i + MIN_MATCH <= n) {
    const h = hash4(input, i);
    const candidate = table[h];
    table[h] = i;
    if (
      candidate >= 0 &&
      i - candidate <= MAX_OFFSET &&
      input[candidate] === input[i] &&
      input[candidate + 1] === input[i + 1] &&
      input[candidate + 2] === input[i + 2] &&
      input[candidate + 3] === input[i + 3]
    ) {
      let length = MIN_MATCH;
      while (i + length < n && input[candidate + length] === input[i + length]) length++;
      emitLiteral(out, input, literalStart, i);
      emitCopy(out, i - candidate, length);
      // index a few positions inside the match so that the next repetition of it is found
      const end = i + length;
      for (let k = i + 1; k < end && k + MIN_MATCH <= n; k += Math.max(1, length >> 3)) table[hash4(input, k)] = k;
      i = end;
      literalStart = i;
    } else i++;
  }
  emitLiteral(out, input, literalStart, n);
  return out.bytes.slice(0, out.length);
}

/** Decompresses Snappy's raw format; throws on input that is cut short or copies from before the start. */
export function snappyUncompress(input: Uint8Array): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new Error('snappy: bad length preamble');
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = new Uint8Array(length);
  let at = 0;
  const need = (k: number) => {
    if (pos + k > input.length) throw new Error('snappy: input ends inside an element');
  };
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const width = n - 59;
        need(width);
        n = 0;
        for (let k = 0; k < width; k++) n += input[pos++] * 2 ** (8 * k);
      }
      n += 1;
      need(n);
      if (at + n > length) throw new Error('snappy: output longer than its preamble');
      out.set(input.subarray(pos, pos + n), at);
      pos += n;
      at += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      need(1);
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      need(2);
      n = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      need(4);
      n = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > at) throw new Error('snappy: copy from before the start of the output');
    if (at + n > length) throw new Error('snappy: output longer than its preamble');
    // byte by byte: a copy may overlap the bytes it writes (offset < length repeats them)
    for (let k = 0; k < n; k++, at++) out[at] = out[at - offset];
  }
  if (at !== length) throw new Error(`snappy: ${at} bytes decoded, the preamble says ${length}`);
  return out;
}
