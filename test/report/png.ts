// Test helper: decodes a PNG far enough to prove it is a whole image (signature, chunk CRCs, IHDR,
// and the inflated pixel data being exactly rows × (filter byte + width × bytes per pixel)).
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** inflated scanlines, each prefixed with its filter byte */
  scanlines: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

export function decodePng(bytes: Uint8Array): DecodedPng {
  const buf = Buffer.from(bytes);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let offset = 8;
  let width = 0;
  let height = 0;
  let bytesPerPixel = 0;
  const idat: Buffer[] = [];
  for (;;) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    const crc = buf.readUInt32BE(offset + 8 + length);
    if (crc32(buf.subarray(offset + 4, offset + 8 + length)) !== crc) throw new Error(`PNG chunk ${type}: bad CRC`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      const channels = CHANNELS[data[9]];
      if (depth !== 8 || !channels) throw new Error(`PNG: unsupported depth ${depth} / colour type ${data[9]}`);
      bytesPerPixel = channels;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  const scanlines = inflateSync(Buffer.concat(idat));
  if (scanlines.length !== height * (1 + width * bytesPerPixel)) throw new Error(`PNG: ${scanlines.length} bytes of pixels for ${width}×${height}`);
  return { width, height, scanlines };
}
