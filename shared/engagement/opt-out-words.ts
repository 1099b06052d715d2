/**
 * Opt-out words: a reply that asks to stop receiving messages. The default list covers the words
 * carriers and WhatsApp senders honour in the languages our users send in; a campaign file can
 * replace it (`engagement.optOutWords`).
 *
 * How a reply matches: both sides are normalised (accents and case dropped, punctuation and emoji
 * removed, spaces collapsed), a leading "please" (in the same languages) is set aside, then the
 * reply must BE one of the words ("STOP", "Baja.", "arrêt!", "please stop"), or start with one and
 * be at most three words long ("stop please", "baja por favor"). A longer sentence that merely
 * contains a word ("don't stop sending me offers", "stop by our shop") is not an opt-out: a false
 * positive would silence someone who never asked for it.
 */

/** defaultOptOutWords are the words matched when a campaign names none, by language. */
export const defaultOptOutWords: Readonly<Record<string, readonly string[]>> = {
  en: ['STOP', 'STOP ALL', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPT OUT', 'OPTOUT', 'REMOVE ME'],
  es: ['BAJA', 'DAR DE BAJA', 'DARME DE BAJA', 'PARAR', 'ALTO', 'CANCELAR', 'NO MÁS'],
  de: ['STOPP', 'ABMELDEN', 'ABBESTELLEN', 'KÜNDIGEN'],
  fr: ['ARRÊT', 'ARRÊTER', 'DÉSABONNER', 'DÉSINSCRIRE', 'DÉSINSCRIPTION'],
  pt: ['PARE', 'SAIR', 'DESCADASTRAR', 'CANCELAR'],
  it: ['BASTA', 'DISISCRIVI', 'DISISCRIVIMI', 'ANNULLA'],
  nl: ['STOPPEN', 'AFMELDEN', 'UITSCHRIJVEN'],
};

/** MAX_WORDS is how many words a reply that starts with an opt-out word may have in all. */
const MAX_WORDS = 3;

/** COURTESY is what may come before the word ("please stop", "bitte abmelden"), normalised. */
const COURTESY = /^(?:PLEASE|PLS|PLZ|POR FAVOR|PORFAVOR|BITTE|SVP|S IL VOUS PLAIT|PER FAVORE|ALSJEBLIEFT|AUB) /;

/** normalizeReply folds text for matching: no accents, upper case, letters and digits only, single spaces. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** OptOutMatcher tells whether a reply asks to stop, and which word it used. */
export interface OptOutMatcher {
  /** match is the listed word the reply used (as listed), or undefined when it is not an opt-out. */
  match(reply: string): string | undefined;
}

/** optOutMatcher builds a matcher over `words` (default: every language of defaultOptOutWords). */
export function optOutMatcher(words?: readonly string[]): OptOutMatcher {
  const list = words ?? Object.values(defaultOptOutWords).flat();
  const byForm = new Map<string, string>();
  for (const w of list) {
    const form = normalizeReply(w);
    if (form !== '' && !byForm.has(form)) byForm.set(form, w.trim());
  }
  return {
    match(reply) {
      const text = normalizeReply(reply).replace(COURTESY, '');
      if (text === '') return undefined;
      const whole = byForm.get(text);
      if (whole !== undefined) return whole;
      const parts = text.split(' ');
      if (parts.length > MAX_WORDS) return undefined;
      // The longest listed phrase the reply starts with ("DAR DE BAJA" before "DAR").
      for (let n = parts.length - 1; n >= 1; n--) {
        const found = byForm.get(parts.slice(0, n).join(' '));
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}
