import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../json';
import { providers } from '../providers';
import type { PreparedRow } from './prepare';
import { prepareRow, usedColumns } from './prepare';
import type { CompiledCampaign } from './render';
import { compileCampaign } from './render';
import { parseCampaign } from './schema';

function compile(file: Record<string, unknown>, headers: string[]): CompiledCampaign {
  return compileCampaign(parseCampaign(file, providers), headers, providers);
}

/** prepare runs row `row` given as column → value (absent columns are empty cells). */
function prepare(compiled: CompiledCampaign, row: number, values: Record<string, string>): PreparedRow {
  return prepareRow(compiled, row, compiled.headers.map((h) => values[h] ?? ''));
}

const wassist = (message: JsonObject, conversationId: string | null = '{{conversation_id}}') => ({
  provider: { kind: 'wassist' },
  recipient: conversationId === null ? {} : { conversationId },
  message,
});

const template = compile(
  wassist({
    type: 'template',
    template: {
      name: 'order_update',
      variables: {
        header: 'Hi {{first_name}}!',
        body: ['{{first_name}}', '{{order_id}}', 'shipped'],
        cards: [{ header: '{{city|your city}}', body: ['{{first_name}} {{last_name}}'], buttons: ['{{promo_url}}'] }],
      },
    },
  }),
  ['conversation_id', 'first_name', 'last_name', 'order_id', 'city', 'promo_url'],
);
const full = { conversation_id: 'c-1', first_name: 'Ana', last_name: 'Lima', order_id: 'A-17', city: 'Porto', promo_url: 'https://p.example' };

describe('prepareRow', () => {
  it('renders a complete row with no problems, and its request is the provider request of that body', () => {
    const p = prepare(template, 3, full);
    expect(p.row).toBe(3);
    expect(p.recipient).toBe('c-1');
    expect(p.problems).toEqual([]);
    expect(p.body).toEqual({
      type: 'template',
      template: {
        name: 'order_update',
        variables: {
          header: 'Hi Ana!',
          body: ['Ana', 'A-17', 'shipped'],
          cards: [{ header: 'Porto', body: ['Ana Lima'], buttons: ['https://p.example'] }],
        },
      },
    });
    expect(p.request).toEqual(providers.wassist.buildRequest('c-1', p.body));
    expect(p.request).toEqual({ method: 'POST', path: '/api/v1/conversations/c-1/messages/', body: p.body });
  });

  it('gives one error "missing value" where an empty cell leaves a required field empty, and a warning where text remains', () => {
    const p = prepare(template, 7, { ...full, first_name: '  ' });
    expect(p.problems).toEqual([
      { row: 7, field: 'message.template.variables.body[0]', column: 'first_name', reason: 'missing value: column "first_name" is empty', severity: 'error' },
      { row: 7, field: 'message.template.variables.header', column: 'first_name', reason: 'column "first_name" is empty in this row (no fallback)', severity: 'warning' },
      {
        row: 7,
        field: 'message.template.variables.cards[0].body[0]',
        column: 'first_name',
        reason: 'column "first_name" is empty in this row (no fallback)',
        severity: 'warning',
      },
    ]);
  });

  it('names every empty column of a field left blank in one error', () => {
    const p = prepare(template, 2, { ...full, first_name: '', last_name: '' });
    expect(p.problems.filter((x) => x.field === 'message.template.variables.cards[0].body[0]')).toEqual([
      {
        row: 2,
        field: 'message.template.variables.cards[0].body[0]',
        column: 'first_name',
        reason: 'missing value: columns "first_name" and "last_name" are empty',
        severity: 'error',
      },
    ]);
  });

  it('reports nothing for an empty cell with a fallback', () => {
    expect(prepare(template, 1, { ...full, city: '' }).problems).toEqual([]);
  });

  it('names the column of a provider issue in a field filled from one column', () => {
    const p = prepare(template, 4, { ...full, promo_url: '' });
    expect(p.problems).toEqual([
      { row: 4, field: 'message.template.variables.cards[0].buttons[0]', column: 'promo_url', reason: 'missing value: column "promo_url" is empty', severity: 'error' },
    ]);
    const cta = compile(
      wassist({ type: 'cta', cta: { body: 'Hi', buttonText: '{{label}}', url: '{{url}}' } }),
      ['conversation_id', 'label', 'url'],
    );
    expect(prepare(cta, 5, { conversation_id: 'c', label: 'x'.repeat(21), url: 'ftp://files' }).problems).toEqual([
      { row: 5, field: 'message.cta.buttonText', column: 'label', reason: 'is 21 characters long; the limit is 20', severity: 'error' },
      { row: 5, field: 'message.cta.url', column: 'url', reason: 'must be an http(s) URL, got "ftp://files"', severity: 'error' },
    ]);
  });

  it('merges an empty cell into the provider issue of the same field when text remains', () => {
    const cta = compile(
      wassist({ type: 'cta', cta: { body: 'Hi', buttonText: 'Open', url: '{{scheme}}://shop.example/{{path}}' } }),
      ['conversation_id', 'scheme', 'path'],
    );
    expect(prepare(cta, 9, { conversation_id: 'c', path: 'p' }).problems).toEqual([
      {
        row: 9,
        field: 'message.cta.url',
        column: 'scheme',
        reason: 'must be an http(s) URL, got "://shop.example/p"; column "scheme" is empty in this row (no fallback)',
        severity: 'error',
      },
    ]);
  });

  it('collects every problem of a row, recipient and body together', () => {
    const p = prepare(template, 12, { city: 'Porto', order_id: '' });
    expect(p.problems.map((x) => [x.field, x.column, x.severity])).toEqual([
      ['recipient.conversationId', 'conversation_id', 'error'],
      ['message.template.variables.body[0]', 'first_name', 'error'],
      ['message.template.variables.body[1]', 'order_id', 'error'],
      ['message.template.variables.cards[0].body[0]', 'first_name', 'error'],
      ['message.template.variables.cards[0].buttons[0]', 'promo_url', 'error'],
      ['message.template.variables.header', 'first_name', 'warning'],
    ]);
    expect(p.problems.every((x) => x.row === 12)).toBe(true);
  });

  it('reports an unusable unified message on its text, naming the empty column', () => {
    const unified = compile(wassist({ type: 'unified', unified: { text: '{{msg}}', footer: '{{sig}}' } }), ['conversation_id', 'msg', 'sig']);
    expect(prepare(unified, 1, { conversation_id: 'c', sig: 'ok' }).problems).toEqual([
      { row: 1, field: 'message.unified.text', column: 'msg', reason: 'missing value: column "msg" is empty', severity: 'error' },
    ]);
  });
});

describe('prepareRow sizes', () => {
  it('sends a 3 MB cell in a text message with a warning on its row, naming its column', () => {
    const text = compile(wassist({ type: 'text', text: { body: '{{note}}' } }), ['conversation_id', 'note']);
    const p = prepare(text, 2, { conversation_id: 'c-1', note: 'n'.repeat(3_000_000) });
    expect(p.problems).toEqual([{ row: 2, field: 'message.text.body', column: 'note', reason: 'is 3,000,000 characters long; WhatsApp refuses text messages over 4,096 characters', severity: 'warning' }]);
    expect(prepare(text, 3, { conversation_id: 'c-1', note: 'short' }).problems).toEqual([]);
  });
});

describe('prepareRow recipients', () => {
  const text = (conversationId: string | null = '{{conversation_id}}') => compile(wassist({ type: 'text', text: { body: 'Hello' } }, conversationId), ['conversation_id', 'alt']);

  it('needs a conversation id for Wassist: an empty cell is an error naming the column', () => {
    for (const cell of ['', ' \t ']) {
      expect(prepare(text(), 6, { conversation_id: cell }).problems).toEqual([
        { row: 6, field: 'recipient.conversationId', column: 'conversation_id', reason: 'missing value: column "conversation_id" is empty', severity: 'error' },
      ]);
    }
  });

  it('says how to set the recipient when the campaign has none', () => {
    expect(prepare(text(null), 1, {}).problems).toEqual([
      { row: 1, field: 'recipient.conversationId', reason: 'no conversation id: set recipient.conversationId (usually "{{conversation_id}}")', severity: 'error' },
    ]);
  });

  it('names the columns when their fallbacks leave the recipient empty', () => {
    expect(prepare(text('{{conversation_id|}}'), 1, {}).problems).toEqual([
      { row: 1, field: 'recipient.conversationId', column: 'conversation_id', reason: 'no conversation id: "conversation_id" gives an empty value', severity: 'error' },
    ]);
  });

  it('trims the conversation id and uses a fallback column text', () => {
    expect(prepare(text(), 1, { conversation_id: ' c-9 \r' }).recipient).toBe('c-9');
    const p = prepare(text('{{conversation_id|fixed}}'), 1, {});
    expect(p.recipient).toBe('fixed');
    expect(p.request.path).toBe('/api/v1/conversations/fixed/messages/');
  });

  it('warns when part of a longer conversation id is empty', () => {
    expect(prepare(text('conv-{{alt}}'), 2, {}).problems).toEqual([
      { row: 2, field: 'recipient.conversationId', column: 'alt', reason: 'column "alt" is empty in this row (no fallback)', severity: 'warning' },
    ]);
  });

  it('lets the generic API create the conversation when the id is empty', () => {
    const generic = compile(
      {
        provider: { kind: 'generic', baseUrl: 'https://api.example-ai.com/v1' },
        recipient: { conversationId: '{{conv}}' },
        message: { sender_id: 'usr_1', sender_type: '{{kind}}', text: 'Hi {{name}}', auto_reply: true },
      },
      ['conv', 'kind', 'name'],
    );
    const none = prepare(generic, 1, { kind: 'user', name: 'Jo' });
    expect(none.problems).toEqual([]);
    expect(none.request).toEqual(providers.generic.buildRequest('', none.body));
    expect(none.request.body).toEqual({ sender_id: 'usr_1', sender_type: 'user', text: 'Hi Jo', auto_reply: true });
    const some = prepare(generic, 2, { conv: 'con_1', kind: 'bot', name: 'Jo' });
    expect(some.request).toEqual(providers.generic.buildRequest('con_1', some.body));
    expect(some.request.body).toMatchObject({ conversation_id: 'con_1', text: 'Hi Jo' });
    expect(some.problems).toEqual([
      { row: 2, field: 'message.sender_type', column: 'kind', reason: 'must be one of user, agent, system, got "bot"', severity: 'error' },
    ]);
  });

  it('builds the Pingback request of the rendered body', () => {
    const pingback = compile({ provider: { kind: 'pingback' }, recipient: { conversationId: '{{id}}' }, message: { content: '{{msg}}' } }, ['id', 'msg']);
    const p = prepare(pingback, 1, { id: 'u 1', msg: 'Hey' });
    expect(p.request).toEqual(providers.pingback.buildRequest('u 1', { content: 'Hey' }));
    expect(prepare(pingback, 2, { id: 'u' }).problems).toEqual([
      { row: 2, field: 'message.content', column: 'msg', reason: 'missing value: column "msg" is empty', severity: 'error' },
    ]);
  });
});

describe('a recipient that is not one plain path segment', () => {
  const files: [string, Record<string, unknown>][] = [
    ['wassist', wassist({ type: 'text', text: { body: 'Hi {{name}}' } })],
    ['wassist trigger', { ...wassist({ prompt: 'Hi {{name}}' }), action: 'trigger' }],
    ['wassist setCredits', { ...wassist({ credits: '5' }), action: 'setCredits' }],
    ['pingback', { provider: { kind: 'pingback' }, recipient: { conversationId: '{{conversation_id}}' }, message: { content: 'Hi {{name}}' } }],
    ['generic', { provider: { kind: 'generic', baseUrl: 'https://api.example.com/v1' }, recipient: { conversationId: '{{conversation_id}}' }, message: { sender_id: 'u', sender_type: 'user', text: 'Hi {{name}}' } }],
    ['sandbox', { provider: { kind: 'sandbox' }, recipient: { conversationId: '{{conversation_id}}' }, message: { type: 'text', text: { body: 'Hi {{name}}' } } }],
  ];
  for (const [label, file] of files) {
    it(`is a row error for ${label}, and its request names no conversation`, () => {
      const compiled = compile(file, ['conversation_id', 'name']);
      for (const id of ['..', '.', ' .. ', 'a/b', '../../messages', 'x?y', 'x#y', 'a\\b', 'c-1\u0007']) {
        const p = prepare(compiled, 3, { conversation_id: id, name: 'Ana' });
        expect(p.problems.filter((x) => x.severity === 'error'), JSON.stringify(id)).toEqual([
          { row: 3, field: 'recipient.conversationId', column: 'conversation_id', reason: expect.stringMatching(/^conversation id ".*" (is|contains)/), severity: 'error' },
        ]);
        expect(p.request.path).not.toContain('..');
        expect(JSON.stringify(p.request)).not.toContain(id.trim());
      }
      expect(prepare(compiled, 1, { conversation_id: 'c-1', name: 'Ana' }).problems).toEqual([]);
    });
  }
});

describe('usedColumns', () => {
  it('lists each column once, the recipient first, then the message in document order', () => {
    expect(usedColumns(template)).toEqual(['conversation_id', 'first_name', 'order_id', 'city', 'last_name', 'promo_url']);
  });
});
