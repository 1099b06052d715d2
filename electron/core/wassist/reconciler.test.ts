import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../shared/json';
import { wassist } from '../../../shared/providers/wassist';
import type { MockServer } from '../../../test/mock-server/mock-server';
import { mockApiKey, startMockServer } from '../../../test/mock-server/mock-server';
import { createHttpTransport } from '../http-transport';
import type { Transport } from '../ports';
import type { SendJob } from '../engine/types';
import type { ReconcileFetch } from '../engine/reconciler';
import { WassistReconciler } from './reconciler';
import { compareMessage, expectationOf } from './message-match';

let mock: MockServer;
let transport: Transport;
let fetch: ReconcileFetch;

async function start(options: Parameters<typeof startMockServer>[0]): Promise<void> {
  mock = await startMockServer(options);
  fetch = (req) => transport.request({ method: req.method, url: mock.url + req.path, headers: { 'X-API-Key': mockApiKey }, timeoutMs: 2_000 });
}

beforeEach(() => {
  transport = createHttpTransport();
});

afterEach(async () => {
  await transport.close();
  await mock.close();
});

function job(conv: string, body: JsonObject, row = 1): SendJob {
  return { row, recipient: conv, request: wassist.buildRequest(conv, body) };
}

/** post sends a message the way the engine would, and returns the id the API gave it. */
async function post(j: SendJob): Promise<string> {
  const res = await transport.request({
    method: 'POST',
    url: mock.url + j.request.path,
    headers: { 'X-API-Key': mockApiKey, 'content-type': 'application/json' },
    body: JSON.stringify(j.request.body),
    timeoutMs: 2_000,
  });
  expect(res.status).toBe(201);
  return (JSON.parse(res.body) as { id: string }).id;
}

const text = (body: string): JsonObject => ({ type: 'text', text: { body } });
const cta = (body: string): JsonObject => ({ type: 'cta', cta: { body, buttonText: 'Track', url: 'https://t.test/1' } });
const rec = new WassistReconciler({ skewMs: 1_000 });

describe('WassistReconciler against the mock API', () => {
  it('finds a message that was delivered since the attempt began, with its id and time', async () => {
    await start({ kind: 'wassist', conversations: [{ id: 'conv-1' }] });
    const j = job('conv-1', cta('Hi Ana'));
    const startedAt = Date.now();
    const id = await post(j);
    const r = await rec.reconcile({ job: j, attemptStartedAt: startedAt, claimed: new Set() }, fetch);
    expect(r).toMatchObject({ kind: 'delivered', messageId: id, sentAt: expect.stringMatching(/^\d{4}-/) });
    expect(mock.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/conversations/conv-1/messages/' });
  });

  it('says not delivered when only other messages are there (other text, other rows, older ones)', async () => {
    await start({ kind: 'wassist', conversations: [{ id: 'conv-1' }] });
    const mine = job('conv-1', text('Hello Ana'));
    const claimedId = await post(mine); // an identical message that belongs to another row
    await post(job('conv-1', text('Something else')));
    const r = await rec.reconcile({ job: mine, attemptStartedAt: Date.now(), claimed: new Set([claimedId]) }, fetch);
    expect(r).toEqual({ kind: 'not-delivered' });
  });

  it('ignores an identical message older than the attempt minus the skew allowance', async () => {
    await start({ kind: 'wassist', conversations: [{ id: 'conv-1' }] });
    const j = job('conv-1', text('Hello'));
    await post(j);
    const r = await rec.reconcile({ job: j, attemptStartedAt: Date.now() + 5_000, claimed: new Set() }, fetch);
    expect(r).toEqual({ kind: 'not-delivered' });
  });

  it('reads every page of a paged listing', async () => {
    await start({ kind: 'wassist', conversations: [{ id: 'conv-1' }], wassist: { messagesShape: 'page', defaultPageSize: 2, maxPageSize: 2 } });
    const startedAt = Date.now();
    for (let i = 0; i < 4; i++) await post(job('conv-1', text(`other ${i}`)));
    const j = job('conv-1', text('the one'));
    const id = await post(j);
    const r = await rec.reconcile({ job: j, attemptStartedAt: startedAt, claimed: new Set() }, fetch);
    expect(r).toMatchObject({ kind: 'delivered', messageId: id });
    expect(mock.requests.filter((q) => q.method === 'GET')).toHaveLength(3);
  });

  it('cannot tell when the listing fails, or the request is not a message send', async () => {
    await start({ kind: 'wassist', conversations: [{ id: 'conv-1' }], faults: (q) => (q.method === 'GET' ? { status: 503 } : undefined) });
    const j = job('conv-1', text('x'));
    expect(await rec.reconcile({ job: j, attemptStartedAt: Date.now(), claimed: new Set() }, fetch)).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/HTTP 503/) });
    const trigger: SendJob = { row: 1, recipient: 'conv-1', request: { method: 'POST', path: '/api/v1/conversations/conv-1/trigger/', body: { prompt: 'hi' } } };
    expect(await rec.reconcile({ job: trigger, attemptStartedAt: Date.now(), claimed: new Set() }, fetch)).toMatchObject({ kind: 'unknown' });
  });
});

describe('wassist message matching', () => {
  it('reads a CTA both as the SDK lists it (ctaButton) and as the send endpoint echoes it (cta)', () => {
    const e = expectationOf(cta('Hi'));
    if (e === undefined) throw new Error('no expectation');
    const sdk = { id: 'a', role: 'assistant', type: 'cta_button', ctaButton: { id: 'x', text: 'Hi', buttonText: 'Track', url: 'https://t.test/1', clicks: [] } };
    expect(compareMessage(sdk, e)).toBe('same');
    expect(compareMessage({ ...sdk, ctaButton: null, cta: { text: 'Hi', buttonText: 'Track', url: 'https://t.test/1' } }, e)).toBe('same');
    expect(compareMessage({ ...sdk, ctaButton: { ...sdk.ctaButton, text: 'Hello' } }, e)).toBe('different');
    expect(compareMessage({ ...sdk, role: 'user' }, e)).toBe('different');
    expect(compareMessage({ id: 'a', role: 'assistant', type: 'text', text: { body: 'Hi' } }, e)).toBe('different');
  });

  it('compares template variables whatever their key order, and doubts what it cannot read', () => {
    const e = expectationOf({ type: 'template', template: { name: 'order', variables: { body: ['A', '1'], header: 'H' } } });
    if (e === undefined) throw new Error('no expectation');
    expect(compareMessage({ id: 'a', type: 'template', template: { id: 't', variables: { header: 'H', body: ['A', '1'] }, name: 'order' } }, e)).toBe('same');
    expect(compareMessage({ id: 'a', type: 'template', template: { name: 'order', variables: { header: 'H', body: ['A', '2'] } } }, e)).toBe('different');
    expect(compareMessage({ id: 'a', type: 'template', template: { id: 't' } }, e)).toBe('incomparable');
    expect(compareMessage({ id: 'a', type: 'mystery' }, e)).toBe('incomparable');
    const u = expectationOf({ type: 'unified', unified: { text: 'Hi' } });
    if (u === undefined) throw new Error('no expectation');
    expect(compareMessage({ id: 'a', type: 'text', text: { body: 'Hi' } }, u)).toBe('incomparable');
  });
});
