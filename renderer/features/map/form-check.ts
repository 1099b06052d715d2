import { countryCodeProblem, isCountryCode } from '../../../shared/campaign/countries';
import type { JsonValue } from '../../../shared/json';
import { fieldWords } from '../../../shared/problem-words';
import type { Draft } from './draft';
import { messageKindOf } from './message-kinds';
import { getAt, getString } from './json-path';
import { unknownColumns } from './slot';

/**
 * The map form checks itself before anything is previewed: numbers in range, required parts
 * filled, columns that exist, an agent id that is a UUID, a country that is a code. Each problem
 * names the field in the words the form uses and says what to do; the form shows it next to the
 * field, and the Preview button stays off until there are none. What depends on the rows (an empty
 * cell, a link that is not one) is for the preview to find.
 */

/** FormProblem is one field of the form that must change before the campaign can be previewed. */
export interface FormProblem {
  /** The campaign field (`throttle.perSecond`, `message.template.name`). */
  field: string;
  /** The field as the form names it. */
  label: string;
  /** What is wrong, in plain words. */
  message: string;
  /** The data-testid of the control to focus. */
  testId: string;
}

/** NumberRule is a number field's range, and how to say it. */
export interface NumberRule {
  min: number;
  max: number;
  /** Whether the minimum itself is refused (`perSecond` must be more than 0). */
  minExclusive?: boolean;
  integer: boolean;
  /** The expected value in words. */
  words: string;
}

export const numberRules = {
  perSecond: { min: 0, max: 10_000, minExclusive: true, integer: false, words: 'Enter how many messages a second, more than 0 and at most 10,000 (for example 0.5 or 20).' },
  concurrency: { min: 1, max: 256, integer: true, words: 'Enter a whole number from 1 to 256.' },
  attempts: { min: 1, max: 20, integer: true, words: 'Enter a whole number from 1 to 20.' },
} as const satisfies Record<string, NumberRule>;

/** numberProblem says what is wrong with a number field's value, or undefined when it is fine. */
export function numberProblem(value: number, rule: NumberRule): string | undefined {
  if (!Number.isFinite(value)) return `This field is empty. ${rule.words}`;
  const low = rule.minExclusive === true ? value <= rule.min : value < rule.min;
  if (low || value > rule.max || (rule.integer && !Number.isInteger(value))) return rule.words;
  return undefined;
}

/** rateNote tells what a rate above 1 with a fraction really does: the engine sends whole messages a second. */
export function rateNote(perSecond: number): string | undefined {
  if (!Number.isFinite(perSecond) || perSecond <= 1 || Number.isInteger(perSecond)) return undefined;
  return `Above 1 a second, only whole numbers count: this sends ${Math.floor(perSecond)} a second.`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** botIdProblem says what is wrong with an agent id (a UUID in Wassist's documents). */
export function botIdProblem(botId: string): string | undefined {
  const id = botId.trim();
  if (id === '') return 'Enter the id of the agent whose conversations hold these numbers.';
  if (!UUID.test(id)) return `“${id}” is not an agent id: an agent id looks like 6f1c9a2e-1b3d-4c5e-8f70-0a1b2c3d4e5f (Wassist › Agents › the agent’s id).`;
  return undefined;
}

/** countryProblem says what is wrong with a default country ('' = none, which is allowed). */
export function countryProblem(code: string): string | undefined {
  if (code === '' || isCountryCode(code)) return undefined;
  return `${countryCodeProblem(code)}. Choose the country from the list.`;
}

/** requiredPaths lists the message strings a message of this kind cannot leave empty. */
function requiredPaths(draft: Draft): (string | number)[][] {
  if (draft.wire === 'wassist' && draft.action === 'trigger') return [['prompt']];
  if (draft.wire === 'wassist' && draft.action === 'setCredits') return [['credits']];
  switch (messageKindOf(draft.wire, draft.message)) {
    case 'template':
      return [['template', 'name']];
    case 'text':
      return [['text', 'body']];
    case 'cta':
      return [['cta', 'body'], ['cta', 'buttonText'], ['cta', 'url']];
    case 'unified':
      return [];
    case 'pingback':
      return [['content']];
    case 'generic':
      return [['sender_id'], ['text']];
  }
}

/** slotTestId is the data-testid of the slot editor bound to a message path. */
function slotTestId(path: readonly (string | number)[]): string {
  return `slot-${path.join('-')}`;
}

/** eachString calls `f` with every string of a JSON value and its path. */
function eachString(value: JsonValue | undefined, path: (string | number)[], f: (s: string, path: (string | number)[]) => void): void {
  if (typeof value === 'string') f(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, [...path, i], f));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) eachString(v, [...path, k], f);
}

function columnsMessage(columns: string[]): string {
  return columns.length === 1 ? `The column “${columns[0]}” is not in this file: choose another.` : `The columns ${columns.map((c) => `“${c}”`).join(', ')} are not in this file: choose others.`;
}

/** formProblems lists what must change in the form before the campaign can be previewed, in the form's order. */
export function formProblems(draft: Draft, headers: readonly string[]): FormProblem[] {
  const out: FormProblem[] = [];
  const add = (field: string, message: string, testId: string, label = fieldWords(field)) => out.push({ field, label, message, testId });
  if (draft.name.trim().length > 200) add('name', 'Use at most 200 characters.', 'campaign-name');

  if (draft.wire === 'wassist' && draft.phone !== undefined) {
    const { phone, botId, defaultCountry } = draft.phone;
    if (phone.trim() === '') add('recipient.phone', 'Choose the column with the phone numbers.', 'slot-phone');
    const missing = unknownColumns(phone, headers);
    if (missing.length > 0) add('recipient.phone', columnsMessage(missing), 'slot-phone');
    const bot = botIdProblem(botId);
    if (bot !== undefined) add('recipient.botId', bot, 'bot-id');
    const country = countryProblem(defaultCountry);
    if (country !== undefined) add('recipient.defaultCountry', country, 'default-country');
  } else {
    if (draft.recipient.trim() === '' && draft.wire !== 'generic') add('recipient.conversationId', 'Choose the column with each contact’s conversation id.', 'slot-recipient');
    const missing = unknownColumns(draft.recipient, headers);
    if (missing.length > 0) add('recipient.conversationId', columnsMessage(missing), 'slot-recipient');
  }

  for (const path of requiredPaths(draft)) {
    if (getString(draft.message, path).trim() === '') add(`message.${path.join('.')}`, 'This part is required: choose a column or type the text.', slotTestId(path));
  }
  if (draft.wire === 'wassist' && draft.action === undefined && messageKindOf(draft.wire, draft.message) === 'unified') {
    const text = getString(draft.message, ['unified', 'text']).trim();
    if (text === '' && getAt(draft.message, ['unified', 'media']) === undefined) add('message.unified.text', 'A unified message needs text, media or both.', 'slot-unified-text');
  }
  eachString(draft.message, [], (value, path) => {
    const missing = unknownColumns(value, headers);
    if (missing.length > 0) add(`message.${pathText(path)}`, columnsMessage(missing), slotTestId(path));
  });
  if (draft.wire === 'wassist' && draft.fallback !== undefined && draft.onInactive !== 'skip' && draft.action !== 'setCredits') {
    if (getString(draft.fallback, ['name']).trim() === '') add('fallback.template.name', 'Enter the fallback template’s name.', 'slot-template-name');
    eachString(draft.fallback, [], (value, path) => {
      const missing = unknownColumns(value, headers);
      if (missing.length > 0) add(`fallback.template.${pathText(path)}`, columnsMessage(missing), slotTestId(['template', ...path]));
    });
  }

  const speed = (key: keyof typeof numberRules, field: string, value: number) => {
    const message = numberProblem(value, numberRules[key]);
    if (message !== undefined) add(field, message, key === 'perSecond' ? 'per-second' : key);
  };
  speed('perSecond', 'throttle.perSecond', draft.throttle.perSecond);
  speed('concurrency', 'throttle.concurrency', draft.throttle.concurrency);
  speed('attempts', 'retry.attempts', typeof draft.retry.attempts === 'number' ? draft.retry.attempts : 5);
  return out;
}

/** pathText writes a message path the way problems name fields: `template.variables.body[1]`. */
function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}
