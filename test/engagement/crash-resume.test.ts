import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mockApiKey } from '../mock-server/mock-server';
import type { Sent } from './engagement-harness';
import { conversationOfPath, sendCampaign } from './engagement-harness';

/**
 * A refresh killed mid-way (kill -9 right after it saved a batch) and run again: the second run
 * resumes the first, and reads no conversation the first had saved.
 */

let sent: Sent | undefined;
afterEach(async () => {
  await sent?.close();
  sent = undefined;
});

function runChild(s: Sent, crashAt: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'refresh-child.ts'), s.dataDir, s.id, JSON.stringify(s.spec), mockApiKey, String(crashAt)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout })));
}

describe('an engagement refresh after a crash', () => {
  it('repeats no work the crashed refresh had saved', { timeout: 60_000 }, async () => {
    const convs = Array.from({ length: 50 }, (_, i) => `c-${String(i).padStart(2, '0')}`);
    sent = await sendCampaign(convs);
    const s = sent;
    s.mark();
    const crashed = await runChild(s, 2);
    expect(crashed.signal).toBe('SIGKILL');
    const before = s.reads().map(conversationOfPath);
    const db = new Database(join(s.dataDir, 'engagement.db'), { readonly: true });
    const saved = (db.prepare('SELECT conversation_id AS c FROM messages WHERE checked_at IS NOT NULL').all() as { c: string }[]).map((r) => r.c);
    db.close();
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.length).toBeLessThan(50);
    for (const c of saved) expect(before).toContain(c);

    s.mark();
    const resumed = await s.refresh();
    const after = s.reads().map(conversationOfPath);
    expect(resumed.result).toMatchObject({ resumed: true, done: 50, total: 50 });
    expect(after.filter((c) => saved.includes(c))).toEqual([]);
    expect(new Set([...saved, ...after])).toEqual(new Set(convs));
    expect(resumed.view.unchecked).toBe(0);
  });
});
