import { readFile } from 'node:fs/promises';
import { openChecked } from '../electron/core/attachments/file-check';
import { createHttpTransport } from '../electron/core/http-transport';
import { UPLOAD_MAX_BYTES } from '../shared/providers/pingback-upload';

/**
 * One upload of a big file in a fresh process (bench/attachments.ts): `stream` through our
 * transport (the multipart form streamed from disk), `whole` the file read into memory and posted
 * with fetch, to `url` (a server in the parent process, so only the client's memory is measured);
 * `max` lifts the file size limit, to show that the memory does not grow with the file.
 * Prints {ms, rssRiseBytes}: the peak RSS sampled every 5 ms, above the RSS before.
 */

const [mode, file, url, max] = process.argv.slice(2) as ['stream' | 'whole', string, string, string | undefined];
(globalThis as { gc?: () => void }).gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const t0 = performance.now();
if (mode === 'stream') {
  const t = createHttpTransport();
  const res = await t.request({ method: 'POST', url, headers: {}, body: { kind: 'multipart', parts: [{ field: 'file', filename: 'big.pdf', contentType: 'application/pdf', open: () => openChecked(file, 'big.pdf', max === undefined ? UPLOAD_MAX_BYTES : Number(max)) }] }, timeoutMs: 120_000 });
  if (res.status !== 201) throw new Error(`status ${res.status}`);
  await t.close();
} else {
  const form = new FormData();
  form.set('file', new Blob([await readFile(file)], { type: 'application/pdf' }), 'big.pdf');
  const res = await fetch(url, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`status ${res.status}`);
  await res.text();
}
const ms = performance.now() - t0;
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sampler);
process.stdout.write(JSON.stringify({ ms, rssRiseBytes: peak - before }));
