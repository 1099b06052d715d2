import { Readable, pipeline } from 'node:stream';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';
import { UserError } from '../../../shared/ipc/user-error';

/**
 * A streaming ZIP writer, just what an .xlsx needs: deflated entries written one after the other,
 * each with a data descriptor (so an entry's size and CRC need not be known before its data), then
 * the central directory. An entry's text is deflated as it is produced, through node:zlib with its
 * backpressure: when the consumer (a file on disk) is slow, production waits; nothing is held whole.
 * Names are ASCII; no ZIP64, so a workbook over 4 GiB is refused with a clear message.
 */

/** ZipEntry is one file in the archive: its text at once, or in pieces. */
export interface ZipEntry {
  name: string;
  data: string | Iterable<string> | AsyncIterable<string>;
}

interface Written {
  name: Buffer;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

const LIMIT = 0xffff_ffff;
const FLAGS = 0x0008; // sizes and CRC follow the data, in a data descriptor
const DEFLATE = 8;
const VERSION = 20;

/** dosTime packs a local time the way ZIP headers keep it (2-second resolution, years from 1980). */
function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function tooLarge(): UserError {
  return new UserError('The report is too large for an Excel workbook (over 4 GB). Export it as CSV instead.');
}

/** deflateStream deflates text pieces as they come, counting their bytes and CRC into `sum`. */
async function* deflateStream(data: Iterable<string> | AsyncIterable<string>, level: number, sum: { crc: number; size: number }): AsyncGenerator<Buffer> {
  async function* bytes(): AsyncGenerator<Buffer> {
    for await (const text of data) {
      const b = Buffer.from(text, 'utf8');
      sum.crc = crc32(b, sum.crc);
      sum.size += b.length;
      yield b;
    }
  }
  // pipeline ties the two ends: an error in production destroys the deflater (and so ends this loop
  // with it), and a consumer that stops early destroys the producer.
  const deflater = pipeline(Readable.from(bytes()), createDeflateRaw({ level }), () => undefined);
  for await (const chunk of deflater) yield chunk as Buffer;
}

/**
 * zipChunks yields the archive's bytes. `entries` is pulled one at a time, after the previous
 * entry is fully written, so an entry produced last (a summary of the rows) can depend on the
 * ones before it. Deflate level 1 by default: on a report's XML it costs a quarter of the CPU of
 * zlib's default (6) for a file about 15% larger (measured: 0.37 s against 1.3 s for 109 MB of XML).
 */
export async function* zipChunks(
  entries: Iterable<ZipEntry> | AsyncIterable<ZipEntry>,
  options: { level?: number; now?: Date } = {},
): AsyncGenerator<Uint8Array> {
  const level = options.level ?? 1;
  const { time, date } = dosTime(options.now ?? new Date());
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(VERSION, 4);
    head.writeUInt16LE(FLAGS, 6);
    head.writeUInt16LE(DEFLATE, 8);
    head.writeUInt16LE(time, 10);
    head.writeUInt16LE(date, 12);
    // CRC and sizes (14..25) stay zero: the data descriptor carries them.
    head.writeUInt16LE(name.length, 26);
    head.writeUInt16LE(0, 28);
    yield head;
    yield name;
    const sum = { crc: 0, size: 0 };
    let compressed = 0;
    if (typeof entry.data === 'string') {
      const b = Buffer.from(entry.data, 'utf8');
      sum.crc = crc32(b);
      sum.size = b.length;
      const z = deflateRawSync(b, { level });
      compressed = z.length;
      yield z;
    } else {
      for await (const z of deflateStream(entry.data, level, sum)) {
        compressed += z.length;
        if (compressed > LIMIT || sum.size > LIMIT) throw tooLarge();
        yield z;
      }
    }
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(sum.crc >>> 0, 4);
    desc.writeUInt32LE(compressed, 8);
    desc.writeUInt32LE(sum.size, 12);
    yield desc;
    written.push({ name, crc: sum.crc >>> 0, compressed, size: sum.size, offset });
    offset += head.length + name.length + compressed + desc.length;
    if (offset > LIMIT) throw tooLarge();
  }
  let directory = 0;
  for (const w of written) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(VERSION, 4); // made by (MS-DOS attributes)
    c.writeUInt16LE(VERSION, 6);
    c.writeUInt16LE(FLAGS, 8);
    c.writeUInt16LE(DEFLATE, 10);
    c.writeUInt16LE(time, 12);
    c.writeUInt16LE(date, 14);
    c.writeUInt32LE(w.crc, 16);
    c.writeUInt32LE(w.compressed, 20);
    c.writeUInt32LE(w.size, 24);
    c.writeUInt16LE(w.name.length, 28);
    // extra, comment, disk, attributes: zero (30..41)
    c.writeUInt32LE(w.offset, 42);
    yield c;
    yield w.name;
    directory += c.length + w.name.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(directory, 12);
  end.writeUInt32LE(offset, 16);
  yield end;
}
