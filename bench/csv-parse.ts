import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import Papa from 'papaparse';
import { openCsvFile } from '../electron/core/csv-file';

/**
 * Helpers for the CSV import benchmark (issue 2): build a realistic CRM export, parse it with
 * papaparse's bare streaming mode (the baseline) and with our reader, each returning the
 * number of data rows so a caller can check both saw the same file.
 */

const HEADER =
  'conversation_id,first_name,last_name,phone,email,city,order_id,promo_url,note,signup_date\n';
const FIRST = ['Ana', 'José', 'Zoë', 'Liam', 'Chloé', 'Mateo', 'Noah', 'Élodie', 'Yusuf', 'Mia'];
const LAST = ['García', 'Müller', 'Okafor', 'Smith', 'Dubois', 'Rossi', 'Nowak', 'Silva', 'Kim', 'Novák'];
const CITY = ['São Paulo', 'München', 'Lagos', 'Austin', 'Lyon', 'Milano', 'Kraków', 'Porto', 'Seoul', 'Brno'];

function row(i: number): string {
  const f = FIRST[i % FIRST.length] ?? '';
  const l = LAST[(i * 7) % LAST.length] ?? '';
  const city = CITY[(i * 3) % CITY.length] ?? '';
  const id = `c0nv-${(i * 2654435761 % 4294967296).toString(16).padStart(8, '0')}-${i.toString(36)}`;
  const phone = `+4915${String(10000000 + ((i * 7919) % 89999999)).padStart(8, '0')}`;
  const email = `${f.toLowerCase()}.${l.toLowerCase()}${i}@example.com`;
  const order = `ORD-${String(i).padStart(8, '0')}`;
  const promo = `https://shop.example.com/p/${order.toLowerCase()}?utm_source=crm`;
  const note = `"${city}, ${i % 5 === 0 ? 'VIP ""gold""' : 'regular'} customer"`;
  const day = `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  return `${id},${f},${l},${phone},${email},${city},${order},${promo},${note},${day}\n`;
}

/** makeCsvFile writes a CRM-like export of `rows` data rows (about 190 bytes each) and returns its size in bytes. */
export async function makeCsvFile(path: string, rows: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = Buffer.byteLength(HEADER);
  out.write(HEADER);
  const batch = 2000;
  for (let start = 0; start < rows; start += batch) {
    let text = '';
    const end = Math.min(rows, start + batch);
    for (let i = start; i < end; i++) text += row(i);
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/**
 * bareParse is the baseline: papaparse streaming the file from disk in its chunked mode,
 * counting rows and doing nothing else (no header handling, no blank-line skipping: the file has
 * no blank lines). Returns data rows (the header row excluded).
 */
export function bareParse(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    Papa.parse<string[]>(createReadStream(path, { encoding: 'utf8' }), {
      chunk: (results) => {
        rows += results.data.length;
      },
      complete: () => resolve(rows - 1),
      error: (err: Error) => reject(err),
    });
  });
}

/** readerParse streams the same file through openCsvFile and counts its records. */
export async function readerParse(path: string): Promise<number> {
  const reader = await openCsvFile(path);
  try {
    let rows = 0;
    for await (const _record of reader.records()) rows++;
    return rows;
  } finally {
    await reader.close();
  }
}
