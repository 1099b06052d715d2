import { describe, expect, it } from 'vitest';
import { defaultOptOutWords, normalizeReply, optOutMatcher } from './opt-out-words';

describe('opt-out words', () => {
  const m = optOutMatcher();

  it('match a reply that is the word, in any case, with accents, punctuation or emoji', () => {
    for (const r of ['STOP', 'stop', 'Stop.', ' STOP!! ', 'Baja', 'baja 🙏', 'STOPP', 'Arrêt', 'ARRET', 'unsubscribe', 'Dar de baja', 'Désinscription', 'AFMELDEN']) expect(m.match(r), r).toBeDefined();
    expect(m.match('arret')).toBe('ARRÊT');
    expect(m.match('darme de baja')).toBe('DARME DE BAJA');
  });

  it('match a short reply that starts with the word, or a polite one ending with it', () => {
    expect(m.match('stop please')).toBe('STOP');
    expect(m.match('Baja por favor')).toBe('BAJA');
    expect(m.match('please stop')).toBe('STOP');
    expect(m.match('bitte abmelden')).toBe('ABMELDEN');
  });

  it('do not match a sentence that only contains a word', () => {
    for (const r of ["don't stop sending me offers", 'stop by our shop tomorrow please', 'When will it arrive?', 'the bus stop', 'Thanks!', '', '🙂']) expect(m.match(r), r).toBeUndefined();
  });

  it('can be replaced by a campaign’s own list', () => {
    const own = optOutMatcher(['ABMELDEN', 'Kein Interesse']);
    expect(own.match('STOP')).toBeUndefined();
    expect(own.match('kein interesse!')).toBe('Kein Interesse');
  });

  it('cover several languages by default', () => {
    expect(Object.keys(defaultOptOutWords)).toEqual(expect.arrayContaining(['en', 'es', 'de', 'fr', 'pt', 'it', 'nl']));
    expect(normalizeReply('  Désabonner, s’il vous plaît ')).toBe('DESABONNER S IL VOUS PLAIT');
  });
});
