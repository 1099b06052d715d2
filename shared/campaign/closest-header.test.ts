import { describe, expect, it } from 'vitest';
import { closestHeader, editDistance } from './closest-header';

describe('closestHeader', () => {
  const headers = ['conversation_id', 'first_name', 'Last Name', 'city', 'id'];
  it('prefers a case-insensitive match, then the same name with other separators', () => {
    expect(closestHeader('CITY', headers)).toBe('city');
    expect(closestHeader('first-name', headers)).toBe('first_name');
    expect(closestHeader('last_name', headers)).toBe('Last Name');
  });
  it('suggests a header a typo or two away, and nothing for a different word', () => {
    expect(closestHeader('frist_name', headers)).toBe('first_name');
    expect(closestHeader('citty', headers)).toBe('city');
    expect(closestHeader('ix', headers)).toBe('id');
    expect(closestHeader('email', headers)).toBeUndefined();
  });
  it('measures swaps of neighbours as one edit, and counts code points', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('🙂a', '🙂b')).toBe(1);
  });
});
