import { describe, expect, it } from 'vitest';
import { InputError } from '../problems';
import { providers } from '../providers';
import { wireKindOf } from './provider-config';
import { inactivePolicyOf, parseCampaign, parseCampaignText } from './schema';

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

  it('requires a base URL for the generic API', () => {
    const generic = { provider: { kind: 'generic' }, message: { sender_id: 's', sender_type: 'agent', text: 't' } };
    expect(problemsOf(() => parseCampaign(generic, providers))[0]?.field).toBe('provider.baseUrl');
  });

  const withBase = (kind: string, baseUrl: string) => {
    const message = kind === 'pingback' ? { content: 'x' } : kind === 'generic' ? { sender_id: 's', sender_type: 'agent', text: 't' } : { type: 'text', text: { body: 'x' } };
    return { provider: { kind, baseUrl }, recipient: { conversationId: '{{id}}' }, message };
  };

  it.each([
    ['https://api.example.com/v1/', 'https://api.example.com/v1'],
    ['https://backend.wassist.app', 'https://backend.wassist.app'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://[::1]:9000/base', 'http://[::1]:9000/base'],
    ['http://localhost:5173', 'http://localhost:5173'],
  ])('accepts the base URL %s', (url, stored) => {
    for (const kind of ['wassist', 'pingback', 'generic']) expect((parseCampaign(withBase(kind, url), providers).provider as { baseUrl: string }).baseUrl).toBe(stored);
  });

  it.each([
    ['http://api.example.com', 'must use https://'],
    ['http://127.0.0.2', 'must use https://'],
    ['http://localhost.evil.example', 'must use https://'],
    ['https://secret@api.example.com/', 'must not contain a user name or password'],
    ['https://user:pass@api.example.com/', 'must not contain a user name or password'],
    ['http://key@127.0.0.1:9', 'must not contain a user name or password'],
    ['ftp://x', 'must start with https://'],
    ['file:///etc/passwd', 'must start with https://'],
    ['javascript:alert(1)', 'must start with https://'],
    ['https://api.example.com/?key=abc', 'must not contain a query'],
    ['api.example.com', 'must be a URL'],
  ])('refuses the base URL %s, naming the field', (url, reason) => {
    for (const kind of ['wassist', 'pingback', 'generic']) {
      const problems = problemsOf(() => parseCampaign(withBase(kind, url), providers));
      expect(problems).toEqual([{ row: 0, field: 'provider.baseUrl', reason: expect.stringContaining(reason), severity: 'error' }]);
      expect(problems[0]?.reason).not.toContain('secret');
    }
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

describe('Wassist recipients by phone, fallback and actions', () => {
  const BOT = '6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f';
  const phone = {
    provider: { kind: 'wassist' },
    recipient: { phone: '{{phone}}', botId: BOT, defaultCountry: 'gb' },
    message: { type: 'text', text: { body: 'Hi {{name}}' } },
  };

  it('parses a phone recipient, upper-casing the country, and keeps files without the new fields as they were', () => {
    const spec = parseCampaign(phone, providers);
    expect(spec.recipient).toEqual({ phone: '{{phone}}', botId: BOT, defaultCountry: 'GB' });
    const plain = parseCampaign(designExample, providers);
    expect(Object.keys(plain).sort()).toEqual(['message', 'provider', 'recipient', 'retry', 'throttle']);
  });

  it('takes either conversationId or phone, and phone needs the agent', () => {
    const both = { ...phone, recipient: { ...phone.recipient, conversationId: '{{id}}' } };
    expect(problemsOf(() => parseCampaign(both, providers))).toEqual([{ row: 0, field: 'recipient', reason: 'give either conversationId or phone, not both', severity: 'error' }]);
    const noBot = { ...phone, recipient: { phone: '{{phone}}' } };
    expect(problemsOf(() => parseCampaign(noBot, providers))[0]?.field).toBe('recipient.botId');
    const strayBot = { ...designExample, recipient: { conversationId: '{{id}}', botId: BOT } };
    expect(problemsOf(() => parseCampaign(strayBot, providers))[0]).toMatchObject({ field: 'recipient.botId', reason: 'is only used with recipient.phone' });
    const badCountry = { ...phone, recipient: { ...phone.recipient, defaultCountry: 'UK' } };
    expect(problemsOf(() => parseCampaign(badCountry, providers))[0]?.field).toBe('recipient.defaultCountry');
  });

  it('takes only a two-letter country code the phone library knows, and answers a name with its code', () => {
    const withCountry = (defaultCountry: unknown) => ({ ...phone, recipient: { ...phone.recipient, defaultCountry } });
    expect(parseCampaign(withCountry(' de '), providers).recipient.defaultCountry).toBe('DE');
    const refused = (value: unknown) => problemsOf(() => parseCampaign(withCountry(value), providers));
    expect(refused('Germany')).toEqual([{ row: 0, field: 'recipient.defaultCountry', reason: '"Germany" is not a country code: write the two-letter code "DE" (Germany)', severity: 'error' }]);
    expect(refused('UK')[0]?.reason).toContain('"GB" (United Kingdom)');
    expect(refused('côte d’ivoire')[0]?.reason).toContain('"CI"');
    for (const bad of ['G', 'GER', 'DE1', 'ZZ', '', 'XX']) expect(refused(bad)[0]).toMatchObject({ field: 'recipient.defaultCountry', reason: expect.stringContaining('two-letter ISO 3166') });
    expect(refused(49)[0]?.field).toBe('recipient.defaultCountry');
  });

  it('checks the fallback as a Wassist template and onInactive against it', () => {
    const withFallback = { ...phone, fallback: { template: { name: 'hello', variables: { body: ['{{name}}'] } } } };
    const spec = parseCampaign(withFallback, providers);
    expect(spec.fallback).toEqual({ template: { name: 'hello', variables: { body: ['{{name}}'] } } });
    expect(inactivePolicyOf(spec)).toBe('fallback');
    expect(inactivePolicyOf(parseCampaign({ ...withFallback, onInactive: 'skip' }, providers))).toBe('skip');
    expect(inactivePolicyOf(parseCampaign(phone, providers))).toBe('skip');
    const typo = { ...phone, fallback: { template: { name: 'hello', variabls: {} } } };
    expect(problemsOf(() => parseCampaign(typo, providers))[0]).toMatchObject({ field: 'fallback.template', reason: 'unknown field "variabls"' });
    expect(problemsOf(() => parseCampaign({ ...phone, onInactive: 'fallback' }, providers))[0]?.field).toBe('onInactive');
  });

  it('checks an action campaign’s message as that action’s body', () => {
    const trigger = parseCampaign({ ...phone, action: 'trigger', message: { prompt: 'Thank {{name}}' } }, providers);
    expect(trigger.action).toBe('trigger');
    expect(parseCampaign({ ...phone, action: 'send' }, providers).action).toBeUndefined();
    expect(problemsOf(() => parseCampaign({ ...phone, action: 'trigger' }, providers)).map((p) => p.field).sort()).toEqual(['message', 'message.prompt']);
    expect(parseCampaign({ ...phone, action: 'setCredits', message: { credits: 5 } }, providers).message).toEqual({ credits: 5 });
    expect(problemsOf(() => parseCampaign({ ...phone, action: 'setCredits', message: { credits: 5 }, onInactive: 'skip' }, providers))[0]?.field).toBe('onInactive');
  });

  it('checks conversations unless the file opts out; the opt-out cannot go with a fallback or onInactive', () => {
    expect(parseCampaign(phone, providers).checkConversations).toBeUndefined();
    expect(parseCampaign({ ...phone, checkConversations: false }, providers).checkConversations).toBe(false);
    expect(parseCampaign({ ...designExample, checkConversations: true }, providers).checkConversations).toBe(true);
    const fallback = { template: { name: 'hello' } };
    expect(problemsOf(() => parseCampaign({ ...phone, checkConversations: false, fallback }, providers))).toEqual([
      { row: 0, field: 'fallback', reason: 'needs the conversations checked: remove "checkConversations": false, or this field', severity: 'error' },
    ]);
    expect(problemsOf(() => parseCampaign({ ...phone, checkConversations: false, onInactive: 'skip' }, providers))[0]?.field).toBe('onInactive');
    expect(problemsOf(() => parseCampaign({ ...phone, checkConversations: 'no' }, providers))[0]?.field).toBe('checkConversations');
    const generic = { provider: { kind: 'generic', baseUrl: 'https://api.example.com' }, message: { sender_id: 'u', sender_type: 'agent', text: 'x' }, checkConversations: false };
    expect(problemsOf(() => parseCampaign(generic, providers))[0]).toMatchObject({ field: 'checkConversations', reason: expect.stringContaining('only Wassist campaigns') });
  });

  it('refuses the Wassist-only fields in campaigns for other APIs', () => {
    const pingback = { provider: { kind: 'pingback' }, recipient: { phone: '{{phone}}', botId: BOT }, message: { content: 'x' }, action: 'trigger' };
    expect(problemsOf(() => parseCampaign(pingback, providers)).map((p) => p.field)).toEqual(['recipient.phone', 'action']);
  });
});
