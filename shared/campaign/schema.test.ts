import { describe, expect, it } from 'vitest';
import { InputError } from '../problems';
import { providers } from '../providers';
import { parseCampaign, parseCampaignText, wireKindOf } from './schema';

const designExample = {
  provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: {
    type: 'template',
    template: {
      name: 'order_update',
      variables: {
        header: '{{first_name}}',
        body: ['{{first_name}}', '{{order_id}}', 'shipped'],
        buttons: ['https://track.example.com/{{order_id}}'],
        cards: [{ header: '{{city}}', body: ['For {{first_name|you}}'], buttons: ['{{promo_url}}'] }],
      },
    },
  },
  throttle: { concurrency: 4, perSecond: 20 },
  retry: { attempts: 5 },
};

function problemsOf(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.problems;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseCampaign', () => {
  it('parses the example of DESIGN.md and fills defaults', () => {
    const spec = parseCampaign(designExample, providers);
    expect(spec.provider).toEqual({ kind: 'wassist', baseUrl: 'https://backend.wassist.app' });
    expect(spec.throttle).toEqual({ concurrency: 4, perSecond: 20 });
    expect(spec.retry.attempts).toBe(5);
    expect(spec.retry.timeoutMs).toBe(30_000);
    expect(spec.message).toEqual(designExample.message);
  });

  it('names an unknown provider kind', () => {
    const [p] = problemsOf(() => parseCampaign({ ...designExample, provider: { kind: 'telegram' } }, providers));
    expect(p).toMatchObject({ field: 'provider.kind' });
    expect(p?.reason).toContain('"telegram"');
  });

  it('names unknown fields at any depth', () => {
    const withExtra = { ...designExample, throttle: { concurrency: 4, perSecnd: 20 } };
    expect(problemsOf(() => parseCampaign(withExtra, providers))).toEqual([
      { row: 0, field: 'throttle', reason: 'unknown field "perSecnd"', severity: 'error' },
    ]);
    const badMsg = { ...designExample, message: { type: 'text', text: { body: 'x', bodyy: 'y' } } };
    expect(problemsOf(() => parseCampaign(badMsg, providers))[0]).toMatchObject({ field: 'message.text', reason: 'unknown field "bodyy"' });
  });

  it('checks the message against the wire API the sandbox simulates', () => {
    const sandbox = { provider: { kind: 'sandbox', simulate: 'pingback' }, recipient: { conversationId: '{{id}}' }, message: { content: 'hi' } };
    const spec = parseCampaign(sandbox, providers);
    expect(wireKindOf(spec.provider)).toBe('pingback');
    expect(problemsOf(() => parseCampaign({ ...sandbox, message: { type: 'text', text: { body: 'x' } } }, providers)).length).toBeGreaterThan(0);
  });

  it('rejects out-of-range settings with the field named', () => {
    const p = problemsOf(() => parseCampaign({ ...designExample, throttle: { concurrency: 0, perSecond: -1 } }, providers));
    expect(p.map((x) => x.field).sort()).toEqual(['throttle.concurrency', 'throttle.perSecond']);
  });

  it('requires a base URL for the generic API and an http(s) one anywhere', () => {
    const generic = { provider: { kind: 'generic' }, message: { sender_id: 's', sender_type: 'agent', text: 't' } };
    expect(problemsOf(() => parseCampaign(generic, providers))[0]?.field).toBe('provider.baseUrl');
    const ftp = { ...generic, provider: { kind: 'generic', baseUrl: 'ftp://x' } };
    expect(problemsOf(() => parseCampaign(ftp, providers))[0]?.reason).toBe('must be an http(s) URL');
  });
});

describe('parseCampaignText', () => {
  it('reports malformed JSON as a problem of the file', () => {
    const [p] = problemsOf(() => parseCampaignText('{"provider": ', providers));
    expect(p?.field).toBe('(file)');
    expect(p?.reason).toMatch(/^not valid JSON/);
  });

  it('accepts a BOM', () => {
    expect(parseCampaignText('\uFEFF' + JSON.stringify(designExample), providers).provider.kind).toBe('wassist');
  });
});
