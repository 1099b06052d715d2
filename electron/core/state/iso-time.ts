/**
 * The engine's times (ISO 8601 as Date#toISOString writes them: `2025-01-02T03:04:05.678Z`) to and
 * from milliseconds, by arithmetic. V8's own toISOString and Date.parse cost microseconds each,
 * which over the million rows of a journal, its snapshot and its report adds up to seconds.
 */

const MS_PER_DAY = 86_400_000;
/** Years 0 to 9999: what toISOString writes in 24 characters. */
const MIN_MS = -62_167_219_200_000;
const MAX_MS = 253_402_300_799_999;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** isoOf writes `ms` as toISOString does; undefined outside years 0 to 9999 (not a 24-character time). */
export function isoOf(ms: number): string | undefined {
  if (!Number.isInteger(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const milli = rest % 1000;
  rest = (rest - milli) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  const y = TWO[Math.floor(year / 100)] as string;
  const m3 = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${y}${TWO[year % 100]}-${TWO[month]}-${TWO[day]}T${TWO[hour]}:${TWO[minute]}:${TWO[second]}.${m3}Z`;
}

/** msOfIso reads a time written exactly as toISOString writes it; undefined for any other text. */
export function msOfIso(text: string): number | undefined {
  if (text.length !== 24 || text.charCodeAt(23) !== 0x5a) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const milli = digits(text, 20, 3);
  const seps = text[4] === '-' && text[7] === '-' && text[10] === 'T' && text[13] === ':' && text[16] === ':' && text[19] === '.';
  if (!seps || year < 0 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || milli < 0) return undefined;
  if (day > daysIn(year, month) || hour < 0 || minute < 0 || second < 0) return undefined;
  // Days since 1970-01-01 from the civil date (the inverse of isoOf's).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146_097 + doe - 719_468;
  return days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}

/** digits reads `n` decimal digits at `at`; -1 when one is not a digit. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}
