import { describe, expect, it } from 'vitest';
import type { QuietWindow } from './quiet-hours';
import { localMinuteOf, nextAllowed, offsetOf, parseWindow, QuietPlanner, waitText } from './quiet-hours';
import { countryOfNumber, zonesOfCountry } from './quiet-zones';
import { parseCampaign } from './schema';
import { providers } from '../providers';
import { InputError } from '../problems';

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString().slice(0, 16));
const win = (text: string): QuietWindow => {
  const w = parseWindow(text);
  if ('reason' in w) throw new Error(w.reason);
  return w;
};
const at = (a: ReturnType<typeof nextAllowed>): string | null => (a.open ? 'open' : iso(a.at));

describe('parseWindow', () => {
  it('reads HH:MM-HH:MM and refuses what is not a window, saying why', () => {
    expect(parseWindow('09:00-20:00')).toEqual({ start: 540, end: 1200 });
    expect(parseWindow('22:00-06:00')).toEqual({ start: 1320, end: 360 });
    expect(parseWindow('08:30-24:00')).toEqual({ start: 510, end: 0 });
    expect(parseWindow('25:00-06:00')).toEqual({ reason: '"25:00" is not a time of day (00:00 to 24:00)' });
    expect(parseWindow('09:60-10:00')).toEqual({ reason: '"09:60" is not a time of day (00:00 to 24:00)' });
    expect(parseWindow('9-17')).toEqual({ reason: '"9-17" is not a window: write it as HH:MM-HH:MM, e.g. "09:00-20:00"' });
    expect(parseWindow('09:00-09:00')).toEqual({ reason: '"09:00-09:00" allows no time at all: the window starts where it ends' });
  });
});

describe('offsets from the time-zone data', () => {
  it('follows daylight saving time in Europe/Berlin (last Sunday of March, 01:00 UTC)', () => {
    expect(offsetOf('Europe/Berlin', utc('2026-03-29T00:59'))).toBe(3_600_000);
    expect(offsetOf('Europe/Berlin', utc('2026-03-29T01:00'))).toBe(7_200_000);
    expect(localMinuteOf('Europe/Berlin', utc('2026-03-29T01:00'))).toBe(3 * 60);
  });
});

describe('nextAllowed', () => {
  const day = win('09:00-20:00');

  it('is open inside the window, until it closes', () => {
    const a = nextAllowed(day, ['Europe/Berlin'], utc('2026-12-02T10:00'));
    expect(a).toEqual({ open: true, until: utc('2026-12-02T19:00') });
  });

  it('gives the next 09:00 local before and after the window, the same day or the next', () => {
    expect(at(nextAllowed(day, ['Europe/Berlin'], utc('2026-12-02T05:00')))).toBe('2026-12-02T08:00');
    expect(at(nextAllowed(day, ['Europe/Berlin'], utc('2026-12-02T19:00')))).toBe('2026-12-03T08:00');
    expect(at(nextAllowed(day, ['America/New_York'], utc('2026-12-02T12:00')))).toBe('2026-12-02T14:00');
  });

  it('lands on 09:00 local across the spring-forward night (Europe/Berlin, 29 March 2026)', () => {
    // 23:30 local on the 28th (UTC+1); 09:00 on the 29th is already summer time (UTC+2): 07:00 UTC.
    expect(at(nextAllowed(day, ['Europe/Berlin'], utc('2026-03-28T22:30')))).toBe('2026-03-29T07:00');
    // And across the autumn change (25 October 2026): 09:00 local is 08:00 UTC again.
    expect(at(nextAllowed(day, ['Europe/Berlin'], utc('2026-10-24T22:30')))).toBe('2026-10-25T08:00');
  });

  it('handles a window starting at a wall time the spring-forward skips (02:30 on 29 March in Berlin)', () => {
    const early = win('02:30-05:00');
    // 02:30 does not exist that night: the window opens at the change (03:00 local, 01:00 UTC) or just after it.
    const a = nextAllowed(early, ['Europe/Berlin'], utc('2026-03-28T23:00'));
    expect(a.open).toBe(false);
    const opened = a.open ? 0 : (a.at as number);
    expect(opened).toBeGreaterThanOrEqual(utc('2026-03-29T01:00'));
    expect(opened).toBeLessThanOrEqual(utc('2026-03-29T01:30'));
    expect(localMinuteOf('Europe/Berlin', opened)).toBeLessThan(5 * 60);
  });

  it('works with a window across midnight', () => {
    const night = win('22:00-06:00');
    expect(nextAllowed(night, ['Europe/London'], utc('2026-12-02T23:30'))).toEqual({ open: true, until: utc('2026-12-03T06:00') });
    expect(nextAllowed(night, ['Europe/London'], utc('2026-12-03T02:00'))).toEqual({ open: true, until: utc('2026-12-03T06:00') });
    expect(at(nextAllowed(night, ['Europe/London'], utc('2026-12-03T12:00')))).toBe('2026-12-03T22:00');
  });

  it('takes the hours that hold in every zone of a country that spans several (US)', () => {
    const us = zonesOfCountry('US');
    expect(us).toContain('Pacific/Honolulu');
    expect(us).toContain('America/New_York');
    // Winter: 09:00 in Honolulu (UTC-10) is 19:00 UTC; 20:00 in New York (UTC-5) is 01:00 UTC.
    const a = nextAllowed(day, us, utc('2026-12-02T14:00'));
    expect(at(a)).toBe('2026-12-02T19:00');
    expect(nextAllowed(day, us, utc('2026-12-02T19:00'))).toEqual({ open: true, until: utc('2026-12-03T01:00') });
    // One zone alone opens earlier: the intersection is what waits.
    expect(at(nextAllowed(day, ['America/New_York'], utc('2026-12-02T12:00')))).toBe('2026-12-02T14:00');
  });

  it('says when a country\'s zones share no hour of the window (Russia, 09:00-18:00)', () => {
    const ru = zonesOfCountry('RU');
    expect(nextAllowed(win('09:00-18:00'), ru, utc('2026-12-02T12:00'))).toEqual({ open: false, at: null });
  });
});

describe('QuietPlanner', () => {
  it('falls back to the campaign zone when the country has no common hour, and says so', () => {
    const planner = new QuietPlanner(win('09:00-18:00'), 'Europe/Berlin');
    const wait = planner.waitOf('RU', zonesOfCountry('RU'), utc('2026-12-02T20:00'));
    expect(wait).toEqual({ at: utc('2026-12-03T08:00'), zone: 'Europe/Berlin', fallback: true });
    expect(waitText(planner.window, wait as NonNullable<typeof wait>, 'RU')).toBe(
      'waits until 09:00 local (Europe/Berlin, the campaign\'s zone: no hour of 09:00-18:00 holds in every zone of RU), 2026-12-03 08:00 UTC',
    );
  });

  it('uses the campaign zone for a recipient without a number, and names the zone that opens', () => {
    const planner = new QuietPlanner(win('09:00-20:00'), 'Europe/Berlin');
    const wait = planner.waitOf('', undefined, utc('2026-12-02T05:00'));
    expect(wait).toEqual({ at: utc('2026-12-02T08:00'), zone: 'Europe/Berlin', fallback: false });
    expect(waitText(planner.window, wait as NonNullable<typeof wait>)).toBe('waits until 09:00 local (Europe/Berlin), 2026-12-02 08:00 UTC');
    expect(planner.waitOf('', undefined, utc('2026-12-02T08:00'))).toBeUndefined();
    const us = planner.waitOf('US', zonesOfCountry('US'), utc('2026-12-02T14:00'));
    expect(us?.zone).toMatch(/^(Pacific\/Honolulu|America\/Adak)$/);
  });

  it('keeps an answer only while it holds (a cached wait ends when the window opens)', () => {
    const planner = new QuietPlanner(win('09:00-20:00'), 'Europe/Berlin');
    expect(planner.waitOf('DE', ['Europe/Berlin'], utc('2026-12-02T18:59'))).toBeUndefined();
    expect(planner.waitOf('DE', ['Europe/Berlin'], utc('2026-12-02T19:00'))?.at).toBe(utc('2026-12-03T08:00'));
    expect(planner.waitOf('DE', ['Europe/Berlin'], utc('2026-12-03T07:59'))?.at).toBe(utc('2026-12-03T08:00'));
    expect(planner.waitOf('DE', ['Europe/Berlin'], utc('2026-12-03T08:00'))).toBeUndefined();
  });
});

describe('the number\'s country', () => {
  it('reads the country of a number, shared calling codes included', () => {
    expect(countryOfNumber('+4915112345678')).toBe('DE');
    expect(countryOfNumber('+12125550123')).toBe('US');
    expect(countryOfNumber('+14165550123')).toBe('CA');
    expect(countryOfNumber('+74951234567')).toBe('RU');
    expect(countryOfNumber('+77012345678')).toBe('KZ');
    expect(countryOfNumber('+447911123456')).toBe('GB');
    expect(zonesOfCountry('DE')).toEqual(['Europe/Berlin']);
  });
});

describe('audience.quietHours in the campaign file', () => {
  const file = (quietHours: unknown) => ({
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { conversationId: '{{id}}' },
    message: { type: 'template', template: { name: 'order_update', variables: { body: ['{{id}}'] } } },
    audience: { quietHours },
  });
  const problems = (quietHours: unknown) => {
    try {
      parseCampaign(file(quietHours), providers);
      return [];
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return e.problems.map((p) => `${p.field}: ${p.reason}`);
    }
  };

  it('accepts a window and a zone', () => {
    expect(problems({ allowed: '09:00-20:00', timeZone: 'Europe/Berlin' })).toEqual([]);
  });

  it('names the field and the reason of a bad time or an unknown zone', () => {
    expect(problems({ allowed: '25:00-06:00', timeZone: 'Europe/Berlin' })).toEqual(['audience.quietHours.allowed: "25:00" is not a time of day (00:00 to 24:00)']);
    expect(problems({ allowed: '09:00-20:00', timeZone: 'Europe/Berlln' })).toEqual([
      'audience.quietHours.timeZone: unknown time zone "Europe/Berlln": use an IANA name such as "Europe/Berlin" or "America/New_York"',
    ]);
  });
});
