import { describe, expect, it } from 'vitest';
import { convertSlot, insertAt, placeholder, readColumnSlot, slotModeOf, unknownColumns } from './slot';

describe('slot values', () => {
  it('writes a column with and without a fallback', () => {
    expect(placeholder('first_name')).toBe('{{first_name}}');
    expect(placeholder('first_name', 'there')).toBe('{{first_name|there}}');
    expect(placeholder('first_name', '')).toBe('{{first_name}}');
  });

  it('reads a lone placeholder as a column slot, and nothing else', () => {
    expect(readColumnSlot('{{city}}')).toEqual({ column: 'city' });
    expect(readColumnSlot('{{ city |Madrid}}')).toEqual({ column: 'city', fallback: 'Madrid' });
    expect(readColumnSlot('Hi {{city}}')).toBeUndefined();
    expect(readColumnSlot('{{a}}{{b}}')).toBeUndefined();
    expect(readColumnSlot('plain')).toBeUndefined();
  });

  it('picks the mode that shows a value plainly', () => {
    expect(slotModeOf('{{order_id}}')).toBe('column');
    expect(slotModeOf('order_update')).toBe('literal');
    expect(slotModeOf('Hi {{first_name|there}}!')).toBe('template');
    expect(slotModeOf('', 'literal')).toBe('literal');
    expect(slotModeOf('{{ | x}}')).toBe('literal'); // not a placeholder: literal braces
  });

  it('converts between modes keeping what it can', () => {
    const headers = ['conversation_id', 'first_name'];
    expect(convertSlot('Hi {{first_name|there}}!', 'column', headers)).toBe('{{first_name|there}}');
    expect(convertSlot('fixed', 'column', headers)).toBe('{{conversation_id}}');
    expect(convertSlot('Hi {{first_name|there}}!', 'literal', headers)).toBe('Hi there!');
    expect(convertSlot('{{first_name}}', 'template', headers)).toBe('{{first_name}}');
  });

  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Hi !', 3, 3, '{{name}}')).toEqual({ value: 'Hi {{name}}!', caret: 11 });
    expect(insertAt('Hi XX!', 3, 5, '{{name}}')).toEqual({ value: 'Hi {{name}}!', caret: 11 });
    expect(insertAt('abc', 99, 99, '!')).toEqual({ value: 'abc!', caret: 4 });
  });

  it('names the columns a value uses that the CSV does not have', () => {
    expect(unknownColumns('{{first_name}} {{frist_name}} {{frist_name}}', ['first_name'])).toEqual(['frist_name']);
    expect(unknownColumns('no columns', [])).toEqual([]);
  });
});
