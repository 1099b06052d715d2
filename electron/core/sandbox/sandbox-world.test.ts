import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../ports';
import { fateOf } from './audience';
import { SandboxWorlds } from './sandbox-world';
import { createSandboxTransport } from './sandbox-transport';
import type { SandboxConfig } from './sandbox-transport';

const config: SandboxConfig = { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0, seed: 7 };
let now = Date.parse('2026-03-01T10:00:00Z');
const clock: Clock = { now: () => now, sleep: async () => undefined };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function send(worlds: SandboxWorlds, conversation: string): Promise<string> {
  const t = createSandboxTransport(config, clock, worlds.world(config));
  const res = await t.request({ method: 'POST', url: `https://sandbox.invalid/api/v1/conversations/${conversation}/messages/`, headers: {}, body: JSON.stringify({ type: 'cta', cta: { body: 'Hi', buttonText: 'Go', url: 'https://x.example.com' } }), timeoutMs: 1_000 });
  return (JSON.parse(res.body) as { id: string }).id;
}

async function list(worlds: SandboxWorlds, conversation: string): Promise<{ id: string; role: string; status: string | null; cta?: { clicks: unknown[] } | null; text?: { body: string } | null }[]> {
  const t = createSandboxTransport(config, clock, worlds.world(config));
  const res = await t.request({ method: 'GET', url: `https://sandbox.invalid/api/v1/conversations/${conversation}/messages/`, headers: {}, timeoutMs: 1_000 });
  return JSON.parse(res.body) as never;
}

describe('the sandbox audience', () => {
  it('does the same with a message whoever asks, and acts over minutes', () => {
    const fates = Array.from({ length: 400 }, (_, i) => fateOf(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 0, true));
    expect(fateOf('m-1', 0, true)).toEqual(fateOf('m-1', 0, true));
    const share = (f: (x: (typeof fates)[number]) => boolean) => fates.filter(f).length / fates.length;
    expect(share((f) => f.deliveredAt !== undefined)).toBeGreaterThan(0.9);
    expect(share((f) => f.readAt !== undefined)).toBeGreaterThan(0.65);
    expect(share((f) => f.clicks.length > 0)).toBeGreaterThan(0.2);
    expect(share((f) => f.reply !== undefined)).toBeGreaterThan(0.2);
    expect(share((f) => f.reply !== undefined && /stop|baja|arr|unsub/i.test(f.reply.text))).toBeGreaterThan(0.02);
    for (const f of fates) {
      if (f.readAt !== undefined) expect(f.readAt).toBeGreaterThan(f.deliveredAt as number);
      if (f.reply !== undefined) expect(f.reply.at).toBeGreaterThan(f.readAt as number);
    }
    expect(fateOf('m-1', 0, false).clicks).toEqual([]);
  });
});

describe('a sandbox world kept in the workspace', () => {
  it('is there again in the next process, its recipients still acting, and hands out no id twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-world-'));
    dirs.push(dir);
    const first = new SandboxWorlds(clock, dir);
    const ids = new Set<string>();
    for (const c of ['c-1', 'c-2', 'c-3']) ids.add(await send(first, c));
    first.flush();
    const kept = readFileSync(join(dir, 'wassist-7.jsonl'), 'utf8');
    expect(kept.split('\n').filter(Boolean)).toHaveLength(1 + 3 + 3);
    // What was sent is not kept at rest: not its text, its button or its link.
    expect(kept).not.toMatch(/"Hi"|"Go"|x\.example\.com/);

    now += 3_600_000; // an hour later, in another process
    const second = new SandboxWorlds(clock, dir);
    const listed = await list(second, 'c-1');
    expect(listed[0]?.id).toBe([...ids][0]);
    const fate = fateOf(listed[0]?.id as string, now - 3_600_000, true);
    expect(listed[0]?.status).toBe(fate.readAt !== undefined ? 'read' : fate.deliveredAt !== undefined ? 'delivered' : 'sent');
    expect(listed[0]?.cta?.clicks).toHaveLength(fate.clicks.length);
    expect(listed.length).toBe(fate.reply === undefined ? 1 : 2);
    for (const c of ['c-4', 'c-5']) ids.add(await send(second, c));
    expect(ids.size).toBe(5);
  });
});
