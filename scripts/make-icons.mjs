#!/usr/bin/env node
// Draws the placeholder app icon (a white speech bubble on a rounded teal square) and writes it as
// PNG with a tiny encoder (node:zlib for the deflate): resources/icon.png (512x512, what
// electron-builder turns into .icns/.ico) and resources/icon-256.png. No dependencies.
// Usage: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** png encodes RGBA pixels (Uint8Array, width*height*4) as a PNG file. */
export function png(width, height, rgba) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const clamp = (v) => Math.max(0, Math.min(1, v));

/** draw renders the icon at `size` pixels, 4x4 supersampled. */
function draw(size) {
  const px = new Uint8Array(size * size * 4);
  const s = size / 512;
  const roundedBox = (x, y, cx, cy, hw, hh, r) => {
    const qx = Math.abs(x - cx) - hw + r;
    const qy = Math.abs(y - cy) - hh + r;
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
  };
  for (let py = 0; py < size; py++) {
    for (let pxl = 0; pxl < size; pxl++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const x = (pxl + (sx + 0.5) / 4) / s;
          const y = (py + (sy + 0.5) / 4) / s;
          if (roundedBox(x, y, 256, 256, 232, 232, 96) <= 0) bg++;
          const bubble = roundedBox(x, y, 256, 236, 150, 110, 60) <= 0;
          // The tail: a triangle below the bubble's lower left.
          const tail = y >= 330 && y <= 410 && x >= 170 && x <= 250 && (x - 170) <= (410 - y) * 1.0;
          const line = (cy) => Math.abs(y - cy) <= 12 && x >= 170 && x <= (cy === 200 ? 342 : 300);
          if ((bubble || tail) && !(line(200) || line(262))) fg++;
        }
      }
      const a = bg / 16;
      const f = fg / 16;
      const t = py / size;
      const r = (1 - f) * (18 + 10 * t) + f * 255;
      const g = (1 - f) * (128 - 40 * t) + f * 255;
      const b = (1 - f) * (140 - 20 * t) + f * 255;
      const i = (py * size + pxl) * 4;
      px[i] = Math.round(r);
      px[i + 1] = Math.round(g);
      px[i + 2] = Math.round(b);
      px[i + 3] = Math.round(255 * clamp(a));
    }
  }
  return px;
}

for (const [name, size] of [['icon.png', 512], ['icon-256.png', 256]]) {
  writeFileSync(join(root, 'resources', name), png(size, size, draw(size)));
  console.log(`wrote resources/${name} (${size}x${size})`);
}
