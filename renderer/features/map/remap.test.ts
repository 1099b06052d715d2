import { describe, expect, it } from 'vitest';
import type { Draft } from './draft';
import { newDraft, switchAction, switchKind } from './draft';
import { draftColumns, missingColumns, remapDraft, renameColumns, suggestColumn } from './remap';

const sample: Draft = {
  ...newDraft('wassist', ['conversation_id', 'first_name', 'city', 'promo_url']),
  message: { type: 'template', template: { name: 'order_update', variables: { header: '{{first_name|Hello}}', body: ['{{first_name|there}}', 'in {{ city }}!'], buttons: ['{{promo_url}}'] } } },
};

describe('re-mapping a message to another file', () => {
  it('lists the columns a draft uses, the recipient first', () => {
    expect(draftColumns(sample)).toEqual(['conversation_id', 'first_name', 'city', 'promo_url']);
    expect(missingColumns(sample, ['conversation_id', 'first_name'])).toEqual(['city', 'promo_url']);
  });

  it('matches a column written otherwise, or the only one of its kind; nothing it is unsure of', () => {
    expect(suggestColumn('first_name', ['First Name', 'Nachname'])).toBe('First Name');
    expect(suggestColumn('first_name', ['Vorname', 'Nachname'])).toBe('Vorname');
    expect(suggestColumn('promo_url', ['Link'])).toBe('Link');
    expect(suggestColumn('city', ['Stadt', 'Ort'])).toBeUndefined();
  });

  it('renames placeholders everywhere, keeping fallbacks, text and other columns as they were', () => {
    const { draft, renamed, left } = remapDraft(sample, ['Conversation ID', 'Vorname', 'Ort', 'Link']);
    expect([...renamed]).toEqual([
      ['conversation_id', 'Conversation ID'],
      ['first_name', 'Vorname'],
      ['promo_url', 'Link'],
    ]);
    expect(left).toEqual(['city']);
    expect(draft.recipient).toBe('{{Conversation ID}}');
    expect(draft.message).toEqual({ type: 'template', template: { name: 'order_update', variables: { header: '{{Vorname|Hello}}', body: ['{{Vorname|there}}', 'in {{ city }}!'], buttons: ['{{Link}}'] } } });
    expect(renameColumns(draft, new Map([['city', 'a|b']])).message).toMatchObject({ template: { variables: { body: ['{{Vorname|there}}', 'in {{"a|b"}}!'] } } });
  });
});

describe('switching message types and actions keeps what was typed', () => {
  const headers = ['conversation_id', 'first_name', 'credits'];
  it('gives the text back after Text -> CTA -> Text, and a new CTA from the headers the first time', () => {
    let d: Draft = { ...newDraft('wassist', headers), message: { type: 'text', text: { body: 'Typed by hand' } } };
    d = switchKind(d, 'cta', headers);
    expect(d.message).toMatchObject({ type: 'cta', cta: { body: 'Hi {{first_name|there}}!' } });
    d = { ...d, message: { type: 'cta', cta: { body: 'CTA typed', buttonText: 'Go', url: 'https://x.example' } } };
    d = switchKind(d, 'text', headers);
    expect(d.message).toEqual({ type: 'text', text: { body: 'Typed by hand' } });
    d = switchKind(d, 'cta', headers);
    expect(d.message).toMatchObject({ cta: { body: 'CTA typed' } });
  });

  it('keeps the message while an action is chosen, and the action’s body while the message is', () => {
    let d: Draft = { ...newDraft('wassist', headers), message: { type: 'text', text: { body: 'Mine' } } };
    d = switchAction(d, 'setCredits', headers, 'credits');
    expect(d).toMatchObject({ action: 'setCredits', message: { credits: '{{credits}}' } });
    d = { ...d, message: { credits: '7' } };
    d = switchAction(d, 'send', headers);
    expect(d.action).toBeUndefined();
    expect(d.message).toEqual({ type: 'text', text: { body: 'Mine' } });
    expect(switchAction(d, 'setCredits', headers).message).toEqual({ credits: '7' });
  });
});
