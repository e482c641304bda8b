import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

/**
 * Draws the app's two icons as PNGs with nothing but zlib: a calm blue rounded square with a
 * white "F" (color.png, 192×192), and the same "F" in white on transparent (outline.png, 32×32).
 */
type Pixel = readonly [number, number, number, number];

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function png(size: number, pixel: (x: number, y: number) => Pixel): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) rows.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The letter F on a unit square: a stem and two bars. */
function inLetter(u: number, v: number): boolean {
  const stem = u >= 0.3 && u <= 0.45 && v >= 0.22 && v <= 0.78;
  const top = u >= 0.3 && u <= 0.72 && v >= 0.22 && v <= 0.35;
  const middle = u >= 0.3 && u <= 0.64 && v >= 0.45 && v <= 0.57;
  return stem || top || middle;
}

function inRoundedSquare(u: number, v: number, radius: number): boolean {
  const dx = Math.max(radius - u, 0, u - (1 - radius));
  const dy = Math.max(radius - v, 0, v - (1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

const blue: Pixel = [0x1f, 0x5f, 0x8b, 255];
const white: Pixel = [255, 255, 255, 255];
const clear: Pixel = [0, 0, 0, 0];

export const colorIcon = () =>
  png(192, (x, y) => {
    const u = (x + 0.5) / 192;
    const v = (y + 0.5) / 192;
    if (!inRoundedSquare(u, v, 0.18)) return clear;
    return inLetter(u, v) ? white : blue;
  });

export const outlineIcon = () =>
  png(32, (x, y) => (inLetter((x + 0.5) / 32, (y + 0.5) / 32) ? white : clear));

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync('manifest/color.png', colorIcon());
  writeFileSync('manifest/outline.png', outlineIcon());
  console.log('Wrote manifest/color.png (192×192) and manifest/outline.png (32×32)');
}
