import { charLength } from '../../shared/providers/rules';

/**
 * shortText cuts a value to `max` characters for display, saying how much was left out, so a cell
 * of megabytes never lands in the page whole: "ab… (2,999,998 more characters)". Characters are
 * code points, as the provider counts them, so an emoji is never cut in half.
 */
export function shortText(value: string, max: number): string {
  if (value.length <= max) return value;
  const total = charLength(value);
  if (total <= max) return value;
  const head = Array.from(value.slice(0, max * 2)).slice(0, max).join('');
  return `${head}… (${(total - max).toLocaleString('en-US')} more characters)`;
}
