import { spawn } from 'node:child_process';
import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FileChecker } from '../electron/core/attachments/file-check';
import { folderRoot } from '../electron/core/attachments/file-root';
import { ContactsFile } from '../electron/core/campaign/contacts';
import { validatePlan } from '../electron/core/campaign/validation';
import { compilePlan } from '../shared/campaign/plan';
import { parseCampaign } from '../shared/campaign/schema';
import { providers } from '../shared/providers';
import { UPLOAD_MAX_BYTES } from '../shared/providers/pingback-upload';

/**
 * Attachments: (1) one 25 MiB upload through the HTTP transport (the multipart form streamed from
 * disk) against the same file read whole and posted with fetch, each in a fresh process, to a
 * server here that reads and drops the body: wall time and how far the client's RSS rose; (2) checking
 * every row's file on disk during validation (10,000 rows, a file each) against the same rows and
 * campaign with no files.
 */

const tsx = ['--import', 'tsx'];

async function uploadChild(mode: 'stream' | 'whole', file: string, url: string, max?: number): Promise<{ ms: number; rssRiseBytes: number }> {
  const args = ['--expose-gc', ...tsx, join(import.meta.dirname, 'attach-child.ts'), mode, file, url, ...(max === undefined ? [] : [String(max)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`upload ${mode} exited with ${code}`);
  return JSON.parse(out) as { ms: number; rssRiseBytes: number };
}

async function validateRows(dir: string, withFiles: boolean): Promise<number> {
  const spec = parseCampaign(
    { provider: { kind: 'pingback' }, recipient: { conversationId: '{{id}}' }, message: { content: 'Hi {{name}}' }, ...(withFiles ? { files: ['{{doc}}'] } : {}) },
    providers,
  );
  const contacts = await ContactsFile.open({ path: join(dir, 'contacts.csv') });
  try {
    const plan = compilePlan(spec, contacts.headers);
    const checker = withFiles ? new FileChecker(folderRoot(dir, 'in the folder'), UPLOAD_MAX_BYTES) : undefined;
    const t0 = performance.now();
    const v = await validatePlan(plan, contacts, Infinity, undefined, checker);
    const ms = performance.now() - t0;
    if (v.errorCount > 0) throw new Error(`validation found ${v.errorCount} errors: ${JSON.stringify(v.problems.slice(0, 3))}`);
    return ms;
  } finally {
    await contacts.close();
  }
}

/** benchAttachments prints the figures (see the file comment). */
export async function benchAttachments(data: string, line: (label: string, value: string) => void): Promise<void> {
  const dir = join(data, 'attachments');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'docs'), { recursive: true });
  try {
    console.log('\nAttachments: one 25 MiB upload to a local server, each way in a fresh process');
    const big = join(dir, 'big.pdf');
    await writeFile(big, '%PDF-1.7\n');
    await truncate(big, UPLOAD_MAX_BYTES);
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    let received = 0;
    const sink = createServer((req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end('{"url":"https://f.test/1"}'));
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/upload`;
    const best = { stream: { ms: Infinity, rssRiseBytes: 0 }, whole: { ms: Infinity, rssRiseBytes: 0 } };
    let eightfold = { ms: 0, rssRiseBytes: 0 };
    try {
      for (let round = 0; round < 2; round++) {
        for (const mode of ['whole', 'stream'] as const) {
          const r = await uploadChild(mode, big, url);
          best[mode] = { ms: Math.min(best[mode].ms, r.ms), rssRiseBytes: Math.max(best[mode].rssRiseBytes, r.rssRiseBytes) };
        }
      }
      const huge = join(dir, 'huge.pdf');
      await writeFile(huge, '%PDF-1.7\n');
      await truncate(huge, UPLOAD_MAX_BYTES * 8);
      eightfold = await uploadChild('stream', huge, url, UPLOAD_MAX_BYTES * 8);
    } finally {
      sink.close();
    }
    if (received < UPLOAD_MAX_BYTES * 12) throw new Error(`the server received ${received} bytes, not every file`);
    line('fetch with the file read whole (baseline)', `${(best.whole.ms / 1000).toFixed(2)} s, RSS rose ${mb(best.whole.rssRiseBytes)}`);
    line('our transport, multipart streamed from disk', `${(best.stream.ms / 1000).toFixed(2)} s, RSS rose ${mb(best.stream.rssRiseBytes)}`);
    line('time ratio stream / whole', `${(best.stream.ms / best.whole.ms).toFixed(2)}x`);
    line('our transport, a file 8x as large (limit lifted)', `${(eightfold.ms / 1000).toFixed(2)} s, RSS rose ${mb(eightfold.rssRiseBytes)}`);

    const rows = 10_000;
    console.log(`\nAttachments: validating ${rows.toLocaleString('en')} rows, a file each (checked on disk), against no files`);
    const lines = ['id,name,doc'];
    for (let i = 1; i <= rows; i++) lines.push(`c${i},N${i},docs/f${i}.pdf`);
    await writeFile(join(dir, 'contacts.csv'), `${lines.join('\r\n')}\r\n`);
    for (let i = 1; i <= rows; i++) await writeFile(join(dir, 'docs', `f${i}.pdf`), `%PDF-1.4 ${i}`);
    let none = Infinity;
    let files = Infinity;
    for (let round = 0; round < 2; round++) {
      none = Math.min(none, await validateRows(dir, false));
      files = Math.min(files, await validateRows(dir, true));
    }
    line('rows without files (baseline)', `${none.toFixed(0)} ms`);
    line('rows with a file each, checked on disk', `${files.toFixed(0)} ms (${((files - none) / rows * 1000).toFixed(0)} µs a file)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
