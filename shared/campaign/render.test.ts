import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../json';
import { InputError } from '../problems';
import { providers } from '../providers';
import type { CompiledCampaign, EmptyHit } from './render';
import { compileCampaign, renderObject } from './render';
import { parseTemplate } from './placeholders';
import type { CampaignSpec } from './schema';
import { parseCampaign } from './schema';

function compile(file: Record<string, unknown>, headers: string[]): CompiledCampaign {
  return compileCampaign(parseCampaign(file, providers), headers, providers);
}

/** render fills the message in from a row given as column → value. */
function render(compiled: CompiledCampaign, row: Record<string, string>): { body: JsonObject; hits: EmptyHit[] } {
  const fields = compiled.headers.map((h) => row[h] ?? '');
  const hits: EmptyHit[] = [];
  return { body: renderObject(compiled.message, fields, hits), hits };
}

function compileError(file: Record<string, unknown>, headers: string[]): InputError {
  try {
    compile(file, headers);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

const wassist = (message: JsonObject) => ({ provider: { kind: 'wassist' }, recipient: { conversationId: '{{conversation_id}}' }, message });

describe('compileCampaign and rendering', () => {
  it('fills columns whose names hold a bar, braces or "}}" through quoted placeholders, the ordinary ones as before', () => {
    const odd = "=cmd|' /C calc'!A0";
    const headers = ['conversation_id', odd, 'a}}b', 'first_name'];
    const compiled = compile(
      wassist({ type: 'text', text: { body: `Hi {{first_name|there}}: {{${JSON.stringify(odd)}}} / {{"a}}b"|none}} / {{"first_name"}}` } }),
      headers,
    );
    expect(compiled.columns).toEqual(['conversation_id', 'first_name', odd, 'a}}b']);
    const { body } = render(compiled, { conversation_id: 'c1', [odd]: 'X|Y', 'a}}b': '', first_name: 'Ana' });
    expect(body).toEqual({ type: 'text', text: { body: 'Hi Ana: X|Y / none / Ana' } });
    // A cell holding placeholder syntax is still sent as it is: one pass.
    expect(render(compiled, { conversation_id: 'c1', [odd]: '{{first_name}}', first_name: 'Ana' }).body).toEqual({ type: 'text', text: { body: 'Hi Ana: {{first_name}} / none / Ana' } });
  });

  it('renders every string of a Wassist template: header, body[], buttons[], cards[].header/body[]/buttons[]', () => {
    const compiled = compile(
      wassist({
        type: 'template',
        template: {
          name: 'order_update',
          variables: {
            header: '{{first_name}}',
            body: ['{{first_name}}', '{{order_id}}', 'shipped'],
            buttons: ['https://track.example.com/{{order_id}}'],
            cards: [
              { header: '{{city}}', body: ['For {{first_name|you}}', '{{ city }}!'], buttons: ['{{promo_url}}'] },
              { header: 'Card 2', body: ['{{order_id}}'], buttons: [] },
            ],
          },
        },
      }),
      ['conversation_id', 'first_name', 'order_id', 'city', 'promo_url'],
    );
    const { body } = render(compiled, { first_name: 'Ana', order_id: 'A-17', city: 'Porto', promo_url: 'https://p.example/x' });
    expect(body).toEqual({
      type: 'template',
      template: {
        name: 'order_update',
        variables: {
          header: 'Ana',
          body: ['Ana', 'A-17', 'shipped'],
          buttons: ['https://track.example.com/A-17'],
          cards: [
            { header: 'Porto', body: ['For Ana', 'Porto!'], buttons: ['https://p.example/x'] },
            { header: 'Card 2', body: ['A-17'], buttons: [] },
          ],
        },
      },
    });
  });

  it('renders a CTA message, image included', () => {
    const compiled = compile(
      wassist({
        type: 'cta',
        cta: { body: 'Hi {{name}}, your code is {{code}}', buttonText: 'Open {{code}}', url: 'https://x.example/{{code}}', image: { url: '{{img}}' } },
      }),
      ['conversation_id', 'name', 'code', 'img'],
    );
    expect(render(compiled, { name: 'Bo', code: 'Z9', img: 'https://i.example/a.png' }).body).toEqual({
      type: 'cta',
      cta: { body: 'Hi Bo, your code is Z9', buttonText: 'Open Z9', url: 'https://x.example/Z9', image: { url: 'https://i.example/a.png' } },
    });
  });

  it('renders a unified message: text, footer, media and every button field, enum values included', () => {
    const compiled = compile(
      wassist({
        type: 'unified',
        unified: {
          text: '{{greeting|Hello}} {{name}}',
          footer: 'Sent to {{name}}',
          media: { url: '{{media}}' },
          buttons: [
            { type: 'url', text: 'Shop {{city}}', url: 'https://shop.example/{{city}}' },
            { type: 'quick_reply', text: 'Stop', quickReplyId: 'stop-{{id}}' },
          ],
        },
      }),
      ['conversation_id', 'greeting', 'name', 'media', 'city', 'id'],
    );
    expect(render(compiled, { greeting: '', name: 'Kai', media: 'https://m.example/v.mp4', city: 'Oslo', id: '42' }).body).toEqual({
      type: 'unified',
      unified: {
        text: 'Hello Kai',
        footer: 'Sent to Kai',
        media: { url: 'https://m.example/v.mp4' },
        buttons: [
          { type: 'url', text: 'Shop Oslo', url: 'https://shop.example/Oslo' },
          { type: 'quick_reply', text: 'Stop', quickReplyId: 'stop-42' },
        ],
      },
    });
  });

  it('renders a Pingback message, strings inside attachments included', () => {
    const compiled = compile(
      {
        provider: { kind: 'pingback' },
        recipient: { conversationId: '{{conv}}' },
        message: { content: 'Hello {{name}}', attachments: [{ url: 'https://f.example/{{file}}', size: 12, inline: false, meta: null }] },
      },
      ['conv', 'name', 'file'],
    );
    expect(render(compiled, { name: 'Lu', file: 'a.pdf' }).body).toEqual({
      content: 'Hello Lu',
      attachments: [{ url: 'https://f.example/a.pdf', size: 12, inline: false, meta: null }],
    });
  });

  it('renders a generic message: strings in metadata are templated, object keys and booleans are not', () => {
    const compiled = compile(
      {
        provider: { kind: 'generic', baseUrl: 'https://api.example-ai.com/v1' },
        message: {
          sender_id: '{{sender}}',
          sender_type: 'agent',
          text: 'Dear {{name}}',
          metadata: { '{{name}}': '{{name}}', tags: ['{{tag}}', 'bulk'], score: 3 },
          auto_reply: false,
        },
      },
      ['sender', 'name', 'tag'],
    );
    expect(render(compiled, { sender: 'usr_1', name: 'Ida', tag: 'vip' }).body).toEqual({
      sender_id: 'usr_1',
      sender_type: 'agent',
      text: 'Dear Ida',
      metadata: { '{{name}}': 'Ida', tags: ['vip', 'bulk'], score: 3 },
      auto_reply: false,
    });
  });

  it('renders the message a sandbox campaign simulates', () => {
    const compiled = compile(
      { provider: { kind: 'sandbox', simulate: 'pingback' }, recipient: { conversationId: '{{c}}' }, message: { content: 'Hi {{n}}' } },
      ['c', 'n'],
    );
    expect(compiled.provider).toBe(providers.pingback);
    expect(render(compiled, { n: 'Max' }).body).toEqual({ content: 'Hi Max' });
  });

  it('expands in one pass: a value that looks like a placeholder goes in as written', () => {
    const compiled = compile(wassist({ type: 'text', text: { body: '{{a}} and {{b}}' } }), ['conversation_id', 'a', 'b']);
    expect(render(compiled, { a: '{{b}}', b: 'B' }).body).toEqual({ type: 'text', text: { body: '{{b}} and B' } });
  });

  it('inserts a value untrimmed, but treats a cell of only white space as empty', () => {
    const compiled = compile(wassist({ type: 'text', text: { body: '[{{a|none}}] [{{b|none}}] [{{c}}]' } }), ['conversation_id', 'a', 'b', 'c']);
    const { body, hits } = render(compiled, { a: '  padded ', b: ' \t\u00a0', c: '\u3000' });
    expect(body).toEqual({ type: 'text', text: { body: '[  padded ] [none] []' } });
    expect(hits.map((h) => [h.template.field, h.columns, h.value])).toEqual([['message.text.body', ['c'], '[  padded ] [none] []']]);
  });

  it('uses an empty fallback without recording the cell as missing', () => {
    const compiled = compile(wassist({ type: 'text', text: { body: 'Hi{{x|}}!' } }), ['conversation_id', 'x']);
    expect(render(compiled, { x: '' })).toEqual({ body: { type: 'text', text: { body: 'Hi!' } }, hits: [] });
  });

  it('keeps text that is not a placeholder literal, unicode included', () => {
    const compiled = compile(wassist({ type: 'text', text: { body: '{{}} {{ {{名前}} 👋 {{{prénom}}}' } }), ['conversation_id', '名前', 'prénom']);
    expect(render(compiled, { 名前: 'ユキ', prénom: 'Zoé' }).body).toEqual({ type: 'text', text: { body: '{{}} {{ ユキ 👋 {Zoé}' } });
  });

  it('matches headers after trimming them, and a duplicated header by its first column', () => {
    const compiled = compile(wassist({ type: 'text', text: { body: '{{ name }}' } }), [' conversation_id', '  name\t', 'name']);
    expect(compiled.headers).toEqual(['conversation_id', 'name', 'name']);
    expect(renderObject(compiled.message, ['c1', 'first', 'second'], [])).toEqual({ type: 'text', text: { body: 'first' } });
  });

  it('reads a missing trailing cell as empty', () => {
    const compiled = compile(wassist({ type: 'text', text: { body: 'Hi {{name|friend}}' } }), ['conversation_id', 'name']);
    expect(renderObject(compiled.message, ['c1'], [])).toEqual({ type: 'text', text: { body: 'Hi friend' } });
  });

  it('builds a fresh body for every row', () => {
    const compiled = compile(wassist({ type: 'template', template: { name: 't', variables: { body: ['x'] } } }), ['conversation_id']);
    const first = renderObject(compiled.message, [], []);
    ((first.template as JsonObject).variables as { body: string[] }).body.push('mutated');
    expect(renderObject(compiled.message, [], [])).toEqual({ type: 'template', template: { name: 't', variables: { body: ['x'] } } });
  });
});

describe('rendering matches the rules', () => {
  /** reference renders the slow, obvious way: parse each string of the campaign for every row. */
  function reference(value: JsonValue, cells: Map<string, string>): JsonValue {
    if (typeof value === 'string') {
      return parseTemplate(value)
        .map((p) => {
          if (typeof p === 'string') return p;
          const cell = cells.get(p.column) ?? '';
          return cell.trim() !== '' ? cell : (p.fallback ?? '');
        })
        .join('');
    }
    if (Array.isArray(value)) return value.map((v) => reference(v, cells));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reference(v, cells)]));
    return value;
  }

  it('gives what a parse of every string per row would, for any cells, members in the file\'s order', () => {
    const headers = ['conversation_id', 'a', 'b', 'c'];
    const message: JsonObject = {
      type: 'unified',
      unified: {
        text: '{{a}} x {{ b |B}} {{c|}}{{',
        footer: '{{c}}',
        media: { url: 'https://m.example/{{a}}' },
        buttons: [{ type: 'quick_reply', text: '{{b}}', quickReplyId: 'q' }, { type: 'url', text: 'go', url: '{{{c}}}' }],
      },
    };
    const compiled = compile(wassist(message), headers);
    const cell = fc.array(fc.constantFrom(' ', 'a', 'b', '{', '}', '|', '\t', '\u00a0', 'é', '🙂'), { maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.tuple(cell, cell, cell, cell), (fields) => {
        const body = renderObject(compiled.message, fields, []);
        const expected = reference(message, new Map(headers.map((h, i) => [h, fields[i] ?? ''])));
        expect(JSON.stringify(body)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a member named __proto__ a member, even in a spec built by hand', () => {
    const spec: CampaignSpec = {
      provider: { kind: 'generic', baseUrl: 'https://g.example' },
      recipient: {},
      message: JSON.parse('{"sender_id":"s","sender_type":"user","text":"t","metadata":{"__proto__":"{{a}}","k":{"__proto__":"x"}}}') as JsonObject,
      throttle: { concurrency: 1, perSecond: 1 },
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 1000, pauseAfterFailures: 20 },
    };
    const body = renderObject(compileCampaign(spec, ['a'], providers).message, ['A'], []);
    expect(JSON.stringify(body)).toBe('{"sender_id":"s","sender_type":"user","text":"t","metadata":{"__proto__":"A","k":{"__proto__":"x"}}}');
    expect(Object.getPrototypeOf(body.metadata)).toBe(Object.prototype);
  });
});

describe('unknown columns', () => {
  it('names the field and the column, and suggests a header in another case or with a typo', () => {
    const err = compileError(
      wassist({ type: 'template', template: { name: 't', variables: { header: '{{First_Name}}', body: ['ok', 'Order {{ordr_id}}'] } } }),
      ['conversation_id', 'first_name', 'order_id'],
    );
    expect(err.problems).toEqual([
      { row: 0, field: 'message.template.variables.header', column: 'First_Name', reason: 'unknown column "First_Name"; did you mean "first_name"?', severity: 'error' },
      { row: 0, field: 'message.template.variables.body[1]', column: 'ordr_id', reason: 'unknown column "ordr_id"; did you mean "order_id"?', severity: 'error' },
    ]);
  });

  it('lists every unknown column at once, the recipient included, and the headers when none is close', () => {
    const err = compileError(
      { provider: { kind: 'pingback' }, recipient: { conversationId: '{{conversation}}' }, message: { content: '{{zzz}} {{zzz}} {{qqq|x}}' } },
      ['conversation_id', 'name'],
    );
    expect(err.problems.map((p) => [p.field, p.column, p.reason])).toEqual([
      ['recipient.conversationId', 'conversation', 'unknown column "conversation"; did you mean "conversation_id"?'],
      ['message.content', 'zzz', 'unknown column "zzz"; the CSV\'s columns are "conversation_id", "name"'],
      ['message.content', 'qqq', 'unknown column "qqq"; the CSV\'s columns are "conversation_id", "name"'],
    ]);
    expect(err.message).toContain('campaign, message.content (column "zzz")');
  });

  it('says so when the CSV has no columns', () => {
    const err = compileError({ provider: { kind: 'pingback' }, message: { content: '{{a}}' } }, []);
    expect(err.problems[0]?.reason).toBe('unknown column "a": the CSV has no columns');
  });
});
