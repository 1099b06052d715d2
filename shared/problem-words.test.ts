import { describe, expect, it } from 'vitest';
import { fieldWords, plural, problemWords, reasonWords, rowErrorWords } from './problem-words';

describe('fieldWords', () => {
  it('names message fields as the form does', () => {
    expect(fieldWords('message.template.variables.cards[0].header')).toBe('Card 1 header');
    expect(fieldWords('message.template.variables.cards[1].body[2]')).toBe('Card 2 body {{3}}');
    expect(fieldWords('message.template.variables.body[1]')).toBe('Body {{2}}');
    expect(fieldWords('message.template.variables.buttons[0]')).toBe('Button 1');
    expect(fieldWords('message.template.name')).toBe('Template name');
    expect(fieldWords('message.text.body')).toBe('Message text');
    expect(fieldWords('message.cta.url')).toBe('Button link');
    expect(fieldWords('message.unified.buttons[0].text')).toBe('Button 1 text');
    expect(fieldWords('message.sender_type')).toBe('Sender type');
    expect(fieldWords('message')).toBe('Message');
  });

  it('names the recipient, the settings, the fallback and the CSV', () => {
    expect(fieldWords('recipient.conversationId')).toBe('Conversation id');
    expect(fieldWords('recipient.defaultCountry')).toBe('Default country');
    expect(fieldWords('throttle.perSecond')).toBe('Messages per second');
    expect(fieldWords('retry.attempts')).toBe('Tries per message');
    expect(fieldWords('fallback.template.variables.body[0]')).toBe('Fallback body {{1}}');
    expect(fieldWords('fallback.template.name')).toBe('Fallback template name');
    expect(fieldWords('csv header')).toBe('CSV header');
    expect(fieldWords('retry.someNewSetting[2]')).toBe('Retry some new setting 3');
  });
});

describe('reasonWords and problemWords', () => {
  it('says which row a cell is empty in', () => {
    const p = { row: 5, field: 'message.template.variables.cards[0].header', reason: 'missing value: column "bild_url" is empty' };
    expect(problemWords(p)).toBe('Card 1 header: the column bild_url is empty in row 5');
    expect(reasonWords({ row: 2, field: 'message.text.body', reason: 'column "first name" is empty in this row (no fallback)' })).toBe('the column “first name” is empty in row 2 and has no fallback');
    expect(reasonWords({ row: 3, field: 'x', reason: 'missing value: columns "a" and "b c" are empty' })).toBe('the columns a and “b c” are empty in row 3');
  });

  it('rewords schema messages of the settings and unknown columns', () => {
    expect(problemWords({ row: 0, field: 'throttle.perSecond', reason: 'Too small: expected number to be >0' })).toBe('Messages per second: must be a number of messages a second, more than 0 and at most 10,000');
    expect(reasonWords({ row: 0, field: 'throttle.concurrency', reason: 'Invalid input: expected int, received number' })).toBe('must be a whole number from 1 to 256');
    expect(reasonWords({ row: 0, field: 'name', reason: 'Too big: expected string to have <=200 characters' })).toBe('must have at most 200 characters');
    expect(reasonWords({ row: 0, field: 'action', reason: 'Invalid option: expected one of "send"|"trigger"' })).toBe('must be one of "send", "trigger"');
    expect(problemWords({ row: 0, field: 'message.template.variables.header', reason: 'unknown column "first_name"; the CSV\'s columns are "Vorname", "Telefon"' })).toBe(
      'Header: the column first_name is not in this file (its columns are "Vorname", "Telefon")',
    );
    expect(reasonWords({ row: 0, field: 'x', reason: 'unknown column "firstname"; did you mean "first_name"?' })).toBe('the column firstname is not in this file; did you mean first_name?');
    expect(reasonWords({ row: 4, field: 'message.cta.url', reason: 'is required and must not be empty' })).toBe('is empty in row 4; it is required');
    expect(reasonWords({ row: 1, field: 'recipient.phone', reason: '"030 9876543" has no country code: write it as +<country code><number>, or set recipient.defaultCountry' })).toBe(
      '"030 9876543" has no country code: write it as +<country code><number>, or set the default country',
    );
  });

  it('says a skipped row\'s recorded error in words, leaving the provider\'s own words alone', () => {
    expect(rowErrorWords('invalid: recipient.conversationId: missing value: column "conversation_id" is empty', 3)).toBe('Not sent: Conversation id: the column conversation_id is empty in row 3');
    expect(rowErrorWords('HTTP 404 Not Found', 3)).toBe('HTTP 404 Not Found');
  });

  it('counts in words', () => {
    expect(plural(1, 'row')).toBe('1 row');
    expect(plural(0, 'row')).toBe('0 rows');
    expect(plural(1200, 'message')).toBe('1,200 messages');
    expect(plural(2, 'reply', 'replies')).toBe('2 replies');
  });
});
