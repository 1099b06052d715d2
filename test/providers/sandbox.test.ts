import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../shared/json';
import { providers } from '../../shared/providers';
import type { WireKind } from '../../shared/providers/types';
import { ManualClock } from '../fakes/manual-clock';
import type { HttpResponse } from '../../electron/core/ports';
import { TransportError } from '../../electron/core/ports';
import type { SandboxConfig } from '../../electron/core/sandbox/sandbox-transport';
import { createSandboxTransport, sandboxBaseUrl } from '../../electron/core/sandbox/sandbox-transport';
import { httpRequestFor } from '../mock-server/provider-harness';

// Conversation ids as the sample contacts CSV has them.
const SAMPLE_IDS = ['1197955e-4244-418b-ab9b-375076bcb6ca', '2f22765d-0493-4a07-a909-145ca628d226'];

const samples: Record<WireKind, JsonObject> = {
  wassist: {
    type: 'template',
    template: {
      name: 'order_update',
      variables: {
        header: 'Ana',
        body: ['Ana', 'ORD-10231', 'shipped'],
        buttons: ['https://track.example.com/ORD-10231'],
        cards: [{ header: 'Madrid', body: ['For Ana in Madrid'], buttons: ['https://shop.example.com/promo/1000'] }],
      },
    },
  },
  pingback: { content: 'Hi Ana, your order ORD-10231 shipped.', attachments: [] },
  generic: { sender_id: 'usr_campaigns', sender_type: 'agent', text: 'Hi Ana, how was your order?', auto_reply: false },
};

function config(extra: Partial<SandboxConfig> = {}): SandboxConfig {
  return { kind: 'sandbox', simulate: 'wassist', latencyMs: 0, failureRate: 0, seed: 1, ...extra };
}

function request(kind: WireKind, recipient: string, timeoutMs = 30_000) {
  const def = providers[kind];
  return httpRequestFor(def, sandboxBaseUrl, '', def.buildRequest(recipient, samples[kind]), timeoutMs);
}

describe('sandbox transport', () => {
  it.each(['wassist', 'pingback', 'generic'] as const)('sends the sample %s message with no key to any conversation', async (kind) => {
    const sandbox = createSandboxTransport(config({ simulate: kind }), new ManualClock());
    for (const recipient of kind === 'generic' ? ['', ...SAMPLE_IDS] : [...SAMPLE_IDS, 'any-id-at-all']) {
      const res = await sandbox.request(request(kind, recipient));
      const verdict = providers[kind].classify(res, 0);
      expect(verdict.kind, res.body).toBe('sent');
      expect(verdict.kind === 'sent' && verdict.messageId).toMatch(kind === 'generic' ? /^msg_[a-z0-9]{6}$/ : /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    }
    expect(sandbox.state.counters.delivered).toBe(3);
  });

  it('still refuses what the simulated API refuses', async () => {
    const sandbox = createSandboxTransport(config(), new ManualClock());
    const body = JSON.stringify({ type: 'cta', cta: { body: 'x', buttonText: 'x'.repeat(21), url: 'https://x.example' } });
    const res = await sandbox.request({ ...request('wassist', SAMPLE_IDS[0] ?? ''), body });
    expect(providers.wassist.classify(res, 0).kind).toBe('fail');
  });

  it('answers after latencyMs on its clock', async () => {
    const clock = new ManualClock();
    const sandbox = createSandboxTransport(config({ latencyMs: 250 }), clock);
    let answered: HttpResponse | undefined;
    const pending = sandbox.request(request('wassist', 'c1')).then((r) => (answered = r));
    await clock.untilSleeping(1);
    expect(clock.sleeping).toEqual([250]);
    await clock.advance(249);
    expect(answered).toBeUndefined();
    await clock.advance(1);
    await pending;
    expect(answered?.status).toBe(201);
  });

  it('fails about failureRate of the requests, transiently, the same way for the same seed', async () => {
    async function run(seed: number): Promise<number[]> {
      const sandbox = createSandboxTransport(config({ failureRate: 0.2, seed }), new ManualClock());
      const statuses: number[] = [];
      for (let i = 0; i < 1_000; i++) {
        const res = await sandbox.request(request('wassist', `c${i % 10}`));
        statuses.push(res.status);
        if (res.status !== 201) {
          expect(providers.wassist.classify(res, 0)).toMatchObject(res.status === 429 ? { kind: 'retry', retryAfterMs: 1_000 } : { kind: 'retry' });
        }
      }
      expect(sandbox.state.counters.delivered).toBe(statuses.filter((s) => s === 201).length);
      return statuses;
    }
    const first = await run(42);
    const failed = first.filter((s) => s !== 201);
    expect(failed.length).toBeGreaterThan(150);
    expect(failed.length).toBeLessThan(250);
    expect(new Set(failed)).toEqual(new Set([429, 503]));
    expect(await run(42)).toEqual(first);
    expect(await run(43)).not.toEqual(first);
  });

  it('never fails at failureRate 0 and always at 1', async () => {
    const never = createSandboxTransport(config({ failureRate: 0 }), new ManualClock());
    const always = createSandboxTransport(config({ failureRate: 1 }), new ManualClock());
    for (let i = 0; i < 50; i++) {
      expect((await never.request(request('wassist', 'c'))).status).toBe(201);
      expect((await always.request(request('wassist', 'c'))).status).not.toBe(201);
    }
  });

  it('times out like a slow server when latency reaches the request timeout: written, and delivered', async () => {
    const clock = new ManualClock();
    const sandbox = createSandboxTransport(config({ latencyMs: 1_000 }), clock);
    const pending = sandbox.request(request('wassist', 'c1', 500)).catch((e: unknown) => e);
    await clock.untilSleeping(1);
    expect(clock.sleeping).toEqual([500]);
    await clock.advance(500);
    const err = await pending;
    expect(err).toBeInstanceOf(TransportError);
    expect([(err as TransportError).code, (err as TransportError).written]).toEqual(['ETIMEDOUT', true]);
    expect(sandbox.state.counters.delivered).toBe(1);
  });

  it('cancels during the latency without delivering', async () => {
    const clock = new ManualClock();
    const sandbox = createSandboxTransport(config({ latencyMs: 1_000 }), clock);
    const ac = new AbortController();
    const pending = sandbox.request(request('wassist', 'c1'), ac.signal).catch((e: unknown) => e);
    await clock.untilSleeping(1);
    ac.abort();
    const err = await pending;
    expect([(err as TransportError).code, (err as TransportError).written]).toEqual(['ABORTED', false]);
    expect(sandbox.state.counters.delivered).toBe(0);
  });
});
