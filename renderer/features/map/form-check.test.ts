import { describe, expect, it } from 'vitest';
import type { Draft } from './draft';
import { newDraft } from './draft';
import { botIdProblem, countryProblem, formProblems, numberProblem, numberRules, rateNote } from './form-check';
import { parseNumber } from './form-parts';

const headers = ['conversation_id', 'first_name'];
const ok: Draft = { ...newDraft('wassist', headers), message: { type: 'text', text: { body: 'Hi {{first_name}}' } } };

describe('the map form’s own checks', () => {
  it('passes a complete form', () => {
    expect(formProblems(ok, headers)).toEqual([]);
  });

  it('reads numbers as typed: empty is empty, a decimal comma is a point', () => {
    expect(parseNumber('')).toBeNaN();
    expect(parseNumber(' 2,5 ')).toBe(2.5);
    expect(parseNumber('05')).toBe(5);
    expect(parseNumber('1e3')).toBeNaN();
    expect(numberProblem(NaN, numberRules.perSecond)).toMatch(/^This field is empty\./);
    expect(numberProblem(0, numberRules.perSecond)).toMatch(/more than 0/);
    expect(numberProblem(0.1, numberRules.perSecond)).toBeUndefined();
    expect(numberProblem(1.5, numberRules.concurrency)).toBe('Enter a whole number from 1 to 256.');
    expect(rateNote(2.5)).toBe('Above 1 a second, only whole numbers count: this sends 2 a second.');
    expect(rateNote(0.5)).toBeUndefined();
  });

  it('names every field to fix, in the form’s words, with the control to go to', () => {
    const bad: Draft = { ...ok, recipient: '', message: { type: 'text', text: { body: 'Hi {{firstname}}' } }, throttle: { concurrency: 0, perSecond: NaN }, retry: { attempts: 21 } };
    expect(formProblems(bad, headers).map((p) => [p.label, p.testId])).toEqual([
      ['Conversation id', 'slot-recipient'],
      ['Message text', 'slot-text-body'],
      ['Messages per second', 'per-second'],
      ['Messages at once', 'concurrency'],
      ['Tries per message', 'attempts'],
    ]);
  });

  it('checks the phone recipient: a column, an agent id that is a UUID, a country that is a code', () => {
    const phone: Draft = { ...ok, phone: { phone: '{{Telefon}}', botId: 'my-bot', defaultCountry: 'Germany' } };
    expect(formProblems(phone, headers).map((p) => p.field)).toEqual(['recipient.phone', 'recipient.botId', 'recipient.defaultCountry']);
    expect(botIdProblem('6F1C9A2E-1B3D-4C5E-8F70-0A1B2C3D4E5F')).toBeUndefined();
    expect(countryProblem('Germany')).toContain('"DE" (Germany)');
    expect(countryProblem('')).toBeUndefined();
  });
});
