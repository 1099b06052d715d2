import { afterEach, describe, expect, it } from 'vitest';
import type { CrashWorld } from './crash-harness';
import { conversationId, readReport, startWorld } from './crash-harness';

/**
 * Secrets and exports, end to end through the real CLI (killed once and resumed): the API key is
 * in no file the program writes (journal, meta, lock, report, temp files) and in no output, even
 * when the provider echoes it in its errors; every exported cell that a spreadsheet would run as
 * a formula is neutralised, the provider's error text included.
 */

const canary = 'wk_live_CANARY_9f8e7d6c5b4a';
let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const FORMULA = /^[=+\-@\t\r\n]/;

describe('secrets and exports', () => {
  it('the key appears in no file and no output; formula cells are neutralised in every exported cell', async () => {
    const echo = JSON.stringify({ detail: `=HYPERLINK("http://evil.test") key ${canary} rejected` });
    const w = (world = await startWorld({
      kind: 'wassist',
      rows: 8,
      apiKey: canary,
      throttle: { concurrency: 1, perSecond: 200 },
      retry: { attempts: 2 },
      mock: {
        faults: (q) => {
          if (q.method !== 'POST') return undefined;
          if (q.path.includes(conversationId(2))) return { status: 400, body: echo };
          if (q.path.includes(conversationId(3)) && q.pathIndex === 0) return { status: 503, body: echo };
          if (q.path.includes(conversationId(4)) && q.pathIndex === 0) return { action: 'reset-after' };
          return undefined;
        },
      },
    }));
    const first = await w.run(w.sendArgs(), 'request-answered:6');
    expect(first.signal).toBe('SIGKILL');
    const second = await w.run(w.sendArgs());
    expect(second.code).toBe(1); // row 2 failed
    const exported = await w.run(['report', w.sendArgs()[1] as string, '--spec', w.sendArgs()[3] as string, '--report', `${w.dir}/again.csv`]);
    expect(exported.code).toBe(0);

    // The key did reach the provider, where it belongs...
    expect(w.mock.requests.every((r) => r.headers['x-api-key'] === canary)).toBe(true);
    // ...and nowhere else.
    const output = [first, second, exported].map((r) => r.stdout + r.stderr).join('\n');
    expect(output).not.toContain(canary);
    const files = await w.writtenText();
    expect(files).toContain('"status":"sent"'); // the journal is among the files read
    expect(files).not.toContain(canary);

    const report = await readReport(w.reportPath);
    expect(report.find((r) => r.row === '2')).toMatchObject({ status: 'failed', error: expect.stringMatching(/^'=HYPERLINK.*\[redacted\]/) });
    expect(report.find((r) => r.row === '4')).toMatchObject({ status: 'sent' });
    for (const path of [w.reportPath, `${w.dir}/again.csv`]) {
      for (const line of await readReport(path)) {
        for (const [column, cell] of Object.entries(line)) expect(FORMULA.test(cell), `${column}: ${cell}`).toBe(false);
      }
    }
    expect(report.filter((r) => r.status === 'sent')).toHaveLength(7);
  });
});
