import { describe, expect, it } from 'vitest';
import { matchHeader, matchHint, matchNumbered, normalizeHeader } from './auto-match';
import { defaultMessage } from './message-kinds';
import { newDraft } from './draft';

describe('header auto-matching', () => {
  it('compares names loosely', () => {
    expect(normalizeHeader(' First Name ')).toBe('firstname');
    expect(normalizeHeader('promo-URL')).toBe('promourl');
  });

  it('prefers an exact match, then a header containing the hint', () => {
    expect(matchHint(['Conversation ID', 'Name'], 'recipient')).toBe('Conversation ID');
    expect(matchHint(['name', 'first_name'], 'firstName')).toBe('first_name');
    expect(matchHint(['customer_first_name_x'], 'firstName')).toBe('customer_first_name_x');
    expect(matchHeader(['Promo URL (EN)'], ['promo_url'])).toBe('Promo URL (EN)');
    expect(matchHint(['email', 'phone'], 'url')).toBeUndefined();
  });

  it('does not let short hints match inside other names', () => {
    expect(matchHeader(['curly_brace'], ['url'])).toBeUndefined();
  });

  it('matches the column names of German, French, Spanish, Italian, Portuguese and Dutch spreadsheets', () => {
    expect(matchHint(['Nachname', 'Vorname', 'Telefon', 'E-Mail'], 'phone')).toBe('Telefon');
    expect(matchHint(['Nachname', 'Vorname', 'Telefon'], 'firstName')).toBe('Vorname');
    expect(matchHint(['Kunde', 'Handynummer'], 'phone')).toBe('Handynummer');
    expect(matchHint(['Prénom', 'Nom', 'Téléphone portable'], 'phone')).toBe('Téléphone portable');
    expect(matchHint(['Nom', 'Prénom'], 'firstName')).toBe('Prénom');
    expect(matchHint(['Apellido', 'Nombre', 'Teléfono móvil'], 'phone')).toBe('Teléfono móvil');
    expect(matchHint(['Cognome', 'Nome', 'Cellulare'], 'phone')).toBe('Cellulare');
    expect(matchHint(['Sobrenome', 'Nome', 'Telemóvel'], 'phone')).toBe('Telemóvel');
    expect(matchHint(['Achternaam', 'Voornaam', 'Mobiel'], 'firstName')).toBe('Voornaam');
    expect(matchHint(['Bild_URL', 'Link'], 'image')).toBe('Bild_URL');
    expect(matchHint(['Nachricht'], 'text')).toBe('Nachricht');
  });

  it('never takes a last name for a first name, even when it contains "name"', () => {
    expect(matchHint(['Nachname', 'Telefon'], 'firstName')).toBeUndefined();
    expect(matchHint(['last_name', 'phone'], 'firstName')).toBeUndefined();
    expect(matchHint(['Kundenname', 'Nachname'], 'firstName')).toBe('Kundenname');
  });

  it('finds numbered variables in order, stopping at a gap', () => {
    expect(matchNumbered(['var2', 'Var 1', 'var4', 'city'])).toEqual(['Var 1', 'var2']);
    expect(matchNumbered(['body_1', 'body_2'])).toEqual(['body_1', 'body_2']);
    expect(matchNumbered(['city'])).toEqual([]);
  });

  it('pre-fills a new campaign from a CRM export', () => {
    const headers = ['conversation_id', 'first_name', 'city', 'promo_url', 'image_url'];
    const draft = newDraft('wassist', headers, 'Spring');
    expect(draft.recipient).toBe('{{conversation_id}}');
    expect(draft.message).toEqual({ type: 'template', template: { name: '', variables: { body: ['{{first_name}}'] } } });
    expect(defaultMessage('cta', headers)).toEqual({
      type: 'cta',
      cta: { body: 'Hi {{first_name|there}}!', buttonText: 'Open', url: '{{promo_url}}', image: { url: '{{image_url}}' } },
    });
    expect(defaultMessage('unified', headers)).toMatchObject({ unified: { media: { url: '{{image_url}}' }, buttons: [{ type: 'url', text: 'Open', url: '{{promo_url}}' }] } });
    expect(defaultMessage('generic', ['message'])).toEqual({ sender_id: '', sender_type: 'agent', text: '{{message}}' });
  });
});
