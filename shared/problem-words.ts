import type { Problem } from './problems';

/**
 * Problems in words a marketer reads: the field a problem is in named as the form names it
 * ("Card 1 header", not `message.template.variables.cards[0].header`), and the reason without
 * schema wording ("must be more than 0", not "Too small: expected number to be >0"). The app shows
 * every problem through here; the CLI keeps formatProblem's paths (they match the campaign file),
 * and could print these words too.
 */

/** Names of the parts of a message, by their path inside `message` (or a fallback's `template`). */
const messageFields: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^template\.name$/, () => 'Template name'],
  [/^template\.variables\.header$/, () => 'Header'],
  [/^template\.variables\.body\[(\d+)\]$/, (m) => `Body {{${n(m[1]) + 1}}}`],
  [/^template\.variables\.buttons\[(\d+)\]$/, (m) => `Button ${n(m[1]) + 1}`],
  [/^template\.variables\.cards\[(\d+)\]\.header$/, (m) => `Card ${n(m[1]) + 1} header`],
  [/^template\.variables\.cards\[(\d+)\]\.body\[(\d+)\]$/, (m) => `Card ${n(m[1]) + 1} body {{${n(m[2]) + 1}}}`],
  [/^template\.variables\.cards\[(\d+)\]\.buttons\[(\d+)\]$/, (m) => `Card ${n(m[1]) + 1} button ${n(m[2]) + 1}`],
  [/^template\.variables\.cards\[(\d+)\]/, (m) => `Card ${n(m[1]) + 1}`],
  [/^template\.variables/, () => 'Template variables'],
  [/^template$/, () => 'Template'],
  [/^text\.body$/, () => 'Message text'],
  [/^cta\.body$/, () => 'Message'],
  [/^cta\.buttonText$/, () => 'Button text'],
  [/^cta\.url$/, () => 'Button link'],
  [/^cta\.image(\.url)?$/, () => 'Image URL'],
  [/^unified\.text$/, () => 'Message'],
  [/^unified\.footer$/, () => 'Footer'],
  [/^unified\.media(\.url)?$/, () => 'Media URL'],
  [/^unified\.buttons\[(\d+)\]\.text$/, (m) => `Button ${n(m[1]) + 1} text`],
  [/^unified\.buttons\[(\d+)\]\.url$/, (m) => `Button ${n(m[1]) + 1} link`],
  [/^unified\.buttons\[(\d+)\]\.quickReplyId$/, (m) => `Button ${n(m[1]) + 1} reply id`],
  [/^unified\.buttons\[(\d+)\]/, (m) => `Button ${n(m[1]) + 1}`],
  [/^prompt$/, () => 'Prompt'],
  [/^credits$/, () => 'Credits'],
  [/^content$/, () => 'Message'],
  [/^attachments/, () => 'Attachments'],
  [/^text$/, () => 'Message'],
  [/^sender_id$/, () => 'Sender id'],
  [/^sender_type$/, () => 'Sender type'],
  [/^reply_to_message_id$/, () => 'Reply-to message id'],
  [/^metadata/, () => 'Metadata'],
  [/^auto_reply$/, () => 'Automatic reply'],
  [/^type$/, () => 'Message type'],
];

/** Names of the campaign's other fields. */
const campaignFields: Record<string, string> = {
  '': 'Message',
  '(file)': 'Campaign file',
  name: 'Campaign name',
  provider: 'Profile',
  'provider.kind': 'Profile',
  'provider.baseUrl': 'Profile address',
  recipient: 'Recipient',
  'recipient.conversationId': 'Conversation id',
  'recipient.phone': 'Phone number',
  'recipient.botId': 'Agent (bot) id',
  'recipient.defaultCountry': 'Default country',
  action: 'What to do for each contact',
  onInactive: 'Inactive conversations',
  fallback: 'Fallback template',
  throttle: 'Sending speed',
  'throttle.perSecond': 'Messages per second',
  'throttle.concurrency': 'Messages at once',
  retry: 'Retries',
  'retry.attempts': 'Tries per message',
  'retry.baseDelayMs': 'First retry delay',
  'retry.maxDelayMs': 'Longest retry delay',
  'retry.timeoutMs': 'Request timeout',
  'retry.pauseAfterFailures': 'Pause after failures in a row',
  csv: 'CSV file',
  row: 'Row',
};

function n(s: string | undefined): number {
  return Number(s ?? 0);
}

function messagePart(path: string): string {
  if (path === '' || path === 'message') return 'Message';
  for (const [pattern, words] of messageFields) {
    const m = pattern.exec(path);
    if (m !== null) return words(m);
  }
  return humanize(path);
}

/** humanize turns an unknown path into words: `retry.someSetting[2]` -> `Retry some setting 3`. */
function humanize(path: string): string {
  const words = path
    .replace(/\[(\d+)\]/g, (_, i: string) => ` ${Number(i) + 1}`)
    .replace(/[._]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words === '' ? 'Campaign' : words[0]?.toUpperCase() + words.slice(1);
}

/** fieldWords names a problem's field as the form names it: `message.template.variables.cards[0].header` -> `Card 1 header`. */
export function fieldWords(field: string): string {
  const known = campaignFields[field];
  if (known !== undefined) return known;
  if (field.startsWith('csv ')) return `CSV ${field.slice(4)}`;
  if (field === 'message' || field.startsWith('message.')) return messagePart(field.slice('message.'.length));
  if (field.startsWith('fallback.template')) {
    const inner = messagePart(field.slice('fallback.'.length));
    return `Fallback ${inner[0]?.toLowerCase() ?? ''}${inner.slice(1)}`.replace(/^Fallback template template/, 'Fallback template');
  }
  return humanize(field);
}

/** Numeric ranges of the settings the form edits, for reasons in words. */
const ranges: Record<string, string> = {
  'throttle.perSecond': 'a number of messages a second, more than 0 and at most 10,000',
  'throttle.concurrency': 'a whole number from 1 to 256',
  'retry.attempts': 'a whole number from 1 to 20',
  'retry.baseDelayMs': 'a whole number of milliseconds, up to 600,000',
  'retry.maxDelayMs': 'a whole number of milliseconds, up to 3,600,000',
  'retry.timeoutMs': 'a whole number of milliseconds from 100 to 600,000',
  'retry.pauseAfterFailures': 'a whole number, 0 to never pause',
};

function quoted(name: string): string {
  return /^[\p{L}\p{N}_.\-#]+$/u.test(name) ? name : `“${name}”`;
}

/** plainSchemaReason rewords zod's messages ("Too small: expected number to be >0"). */
function plainSchemaReason(field: string, reason: string): string | undefined {
  const range = ranges[field];
  if (range !== undefined && /^(Too small|Too big|Invalid input)/.test(reason)) return `must be ${range}`;
  let m = /^Too small: expected number to be (>=?)(.+)$/.exec(reason);
  if (m !== null) return m[1] === '>' ? `must be more than ${m[2]}` : `must be at least ${m[2]}`;
  m = /^Too big: expected number to be (<=?)(.+)$/.exec(reason);
  if (m !== null) return m[1] === '<' ? `must be less than ${m[2]}` : `must be at most ${m[2]}`;
  m = /^Too (?:big|small): expected string to have ([<>]=?)(\d+) characters?$/.exec(reason);
  if (m !== null) return `must have ${m[1]?.startsWith('<') ? 'at most' : 'at least'} ${m[2]} characters`;
  m = /^Invalid input: expected (\w+), received (\w+)$/.exec(reason);
  if (m !== null) return m[1] === 'int' ? 'must be a whole number' : `must be ${m[1] === 'array' ? 'a list' : m[1] === 'object' ? 'a group of fields' : `a ${m[1]}`}, not ${m[2] === 'undefined' ? 'missing' : `a ${m[2]}`}`;
  m = /^Invalid option: expected one of (.*)$/.exec(reason);
  if (m !== null) return `must be one of ${(m[1] ?? '').split('|').join(', ')}`;
  return undefined;
}

/**
 * reasonWords says a problem's reason in plain words, naming its row where the reason says "this
 * row": `column "bild_url" is empty in this row (no fallback)` at row 5 reads
 * `the column bild_url is empty in row 5 (no fallback)`.
 */
export function reasonWords(p: Pick<Problem, 'row' | 'field' | 'reason'>): string {
  const schema = plainSchemaReason(p.field, p.reason);
  if (schema !== undefined) return schema;
  const where = p.row > 0 ? `in row ${p.row}` : 'in this row';
  let m = /^missing value: column "(.*)" is empty$/.exec(p.reason);
  if (m !== null) return `the column ${quoted(m[1] ?? '')} is empty ${where}`;
  m = /^missing value: columns (.*) are empty$/.exec(p.reason);
  if (m !== null) return `the columns ${unquoteList(m[1] ?? '')} are empty ${where}`;
  m = /^column "(.*)" is empty in this row \(no fallback\)$/.exec(p.reason);
  if (m !== null) return `the column ${quoted(m[1] ?? '')} is empty ${where} and has no fallback`;
  m = /^unknown column "(.*)"; did you mean "(.*)"\?$/.exec(p.reason);
  if (m !== null) return `the column ${quoted(m[1] ?? '')} is not in this file; did you mean ${quoted(m[2] ?? '')}?`;
  m = /^unknown column "(.*)"(?:;|:) (.*)$/.exec(p.reason);
  if (m !== null) return `the column ${quoted(m[1] ?? '')} is not in this file (${(m[2] ?? '').replace(/^the CSV's columns are/, 'its columns are')})`;
  if (p.reason === 'is required and must not be empty') return p.row > 0 ? `is empty ${where}; it is required` : 'is required';
  return namedFields(p.reason.replace(/\bin this row\b/g, where));
}

/** namedFields names the campaign fields a reason mentions by path: "or set recipient.defaultCountry" -> "or set the default country". */
function namedFields(reason: string): string {
  return reason.replace(/\b(?:recipient|throttle|retry|message|fallback)(?:\.[A-Za-z_]+|\[\d+\])+/g, (path) => {
    const words = fieldWords(path);
    return `the ${words[0]?.toLowerCase() ?? ''}${words.slice(1)}`;
  });
}

function unquoteList(list: string): string {
  return list.replace(/"([^"]*)"/g, (_, name: string) => quoted(name));
}

/** problemWords is a problem as one sentence: `Card 1 header: the column bild_url is empty in row 5`. */
export function problemWords(p: Pick<Problem, 'row' | 'field' | 'reason'>): string {
  return `${fieldWords(p.field)}: ${reasonWords(p)}`;
}

/** plural writes a count with its noun: `1 row`, `2 rows`, `1,000 rows` (a plural other than `+s` given). */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${Math.round(count).toLocaleString('en-US')} ${count === 1 ? noun : nouns}`;
}

/**
 * rowErrorWords says a row's recorded error in words where it names a campaign field: the engine
 * records a skipped row as `invalid: <field>: <reason>`, the status table shows
 * `Conversation id: the column conversation_id is empty in row 3`. Other errors (the provider's own
 * words) are left as they are.
 */
export function rowErrorWords(error: string, row: number): string {
  const m = /^invalid: ([^:]+): ([\s\S]*)$/.exec(error);
  if (m === null) return error;
  return `Not sent: ${problemWords({ row, field: m[1] ?? '', reason: m[2] ?? '' })}`;
}
