// Thrift's compact protocol (apache/thrift, doc/specs/thrift-compact-protocol.md), the encoding of
// Parquet's metadata: a writer for the structs parquet.ts builds and a generic reader that decodes
// any struct into its fields by id, for reading those files back (parquet-read.ts).

/** Compact-protocol type codes of a field header or a list's element type. */
export const CT = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const;

/** A value to write: the writer is told each field's type by the method called. */
export type ThriftField =
  | { id: number; type: 'i16'; value: number }
  | { id: number; type: 'i32'; value: number }
  | { id: number; type: 'i64'; value: number }
  | { id: number; type: 'bool'; value: boolean }
  | { id: number; type: 'binary'; value: string | Uint8Array }
  | { id: number; type: 'struct'; value: ThriftField[] }
  | { id: number; type: 'list'; element: 'i32'; value: number[] }
  | { id: number; type: 'list'; element: 'binary'; value: string[] }
  | { id: number; type: 'list'; element: 'struct'; value: ThriftField[][] };

const TYPE_CODE = { i16: CT.I16, i32: CT.I32, i64: CT.I64, binary: CT.BINARY, struct: CT.STRUCT, list: CT.LIST } as const;

const encoder = new TextEncoder();

class Out {
  parts: number[] = [];

  byte(b: number): void {
    this.parts.push(b & 0xff);
  }

  /** Unsigned LEB128 of a non-negative integer below 2^53. */
  varint(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.byte(n);
  }

  /** ZigZag, then varint: 0, -1, 1, -2 … as 0, 1, 2, 3 … (integers within ±2^52). */
  zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
  }
}

function writeStruct(out: Out, fields: ThriftField[]): void {
  let last = 0;
  for (const f of [...fields].sort((a, b) => a.id - b.id)) {
    const code = f.type === 'bool' ? (f.value ? CT.TRUE : CT.FALSE) : TYPE_CODE[f.type];
    const delta = f.id - last;
    if (delta > 0 && delta <= 15) out.byte((delta << 4) | code);
    else {
      out.byte(code);
      out.zigzag(f.id);
    }
    last = f.id;
    writeValue(out, f);
  }
  out.byte(0); // stop
}

function writeValue(out: Out, f: ThriftField): void {
  switch (f.type) {
    case 'bool':
      return; // the value is in the field header
    case 'i16':
    case 'i32':
    case 'i64':
      if (!Number.isSafeInteger(f.value)) throw new Error(`thrift: field ${f.id}: ${f.value} is not an integer`);
      return out.zigzag(f.value);
    case 'binary':
      return out.bytes(typeof f.value === 'string' ? encoder.encode(f.value) : f.value);
    case 'struct':
      return writeStruct(out, f.value);
    case 'list': {
      const n = f.value.length;
      const code = TYPE_CODE[f.element];
      if (n < 15) out.byte((n << 4) | code);
      else {
        out.byte(0xf0 | code);
        out.varint(n);
      }
      for (const item of f.value) {
        if (f.element === 'i32') out.zigzag(item as number);
        else if (f.element === 'binary') out.bytes(encoder.encode(item as string));
        else writeStruct(out, item as ThriftField[]);
      }
    }
  }
}

/** A struct in the compact protocol. */
export function encodeStruct(fields: ThriftField[]): Uint8Array {
  const out = new Out();
  writeStruct(out, fields);
  return Uint8Array.from(out.parts);
}

/** A decoded value: numbers for integers (i64 within ±2^53), Uint8Array for binary, arrays for lists, Map by field id for structs. */
export type ThriftValue = number | boolean | Uint8Array | ThriftValue[] | ThriftStruct;
export type ThriftStruct = Map<number, ThriftValue>;

/** Reads compact-protocol values from a buffer, from `pos` on. */
export class ThriftReader {
  constructor(
    private readonly buf: Uint8Array,
    public pos = 0,
  ) {}

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('thrift: input ends inside a value');
    return this.buf[this.pos++];
  }

  private varint(): number {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 63) throw new Error('thrift: varint too long');
      const b = this.byte();
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
    }
  }

  private zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case CT.TRUE:
        return true;
      case CT.FALSE:
        return false;
      case CT.BYTE: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case CT.I16:
      case CT.I32:
      case CT.I64:
        return this.zigzag();
      case CT.DOUBLE: {
        if (this.pos + 8 > this.buf.length) throw new Error('thrift: input ends inside a double');
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case CT.BINARY: {
        const n = this.varint();
        if (this.pos + n > this.buf.length) throw new Error('thrift: input ends inside a binary');
        const b = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return b;
      }
      case CT.LIST:
      case CT.SET: {
        const head = this.byte();
        const n = head >>> 4 === 15 ? this.varint() : head >>> 4;
        const element = head & 15;
        const items: ThriftValue[] = [];
        // booleans inside a list are one byte each (1 true), not a field-header code
        for (let k = 0; k < n; k++) items.push(element === CT.TRUE || element === CT.FALSE ? this.byte() === 1 : this.value(element));
        return items;
      }
      case CT.MAP: {
        const n = this.varint();
        if (n === 0) return [];
        const kinds = this.byte();
        const items: ThriftValue[] = [];
        for (let k = 0; k < n; k++) items.push([this.value(kinds >>> 4), this.value(kinds & 15)]);
        return items;
      }
      case CT.STRUCT:
        return this.struct();
      default:
        throw new Error(`thrift: unknown type ${type}`);
    }
  }

  /** One struct, up to and including its stop byte. */
  struct(): ThriftStruct {
    const fields: ThriftStruct = new Map();
    let last = 0;
    for (;;) {
      const head = this.byte();
      if (head === 0) return fields;
      const type = head & 15;
      const id = head >>> 4 === 0 ? this.zigzag() : last + (head >>> 4);
      fields.set(id, this.value(type));
      last = id;
    }
  }
}
