/**
 * Error kinds of failed rows, for "retry what failed": a row's kind is the HTTP status the provider
 * answered (`400`, `404`, `503`) or `network` when no answer came (refused, reset, timed out). A
 * filter names statuses, classes (`4xx`, `5xx`) or `network`, so `--errors 5xx,network` retries
 * what the provider may accept next time and leaves the requests it refused for good.
 */

/** errorKindOf is a failed row's kind: its HTTP status, or `network`. */
export function errorKindOf(o: { httpStatus?: number | undefined }): string {
  return o.httpStatus === undefined ? 'network' : String(o.httpStatus);
}

/** matchesErrorKinds tells whether a failed row is of one of `kinds` (none given: every kind). */
export function matchesErrorKinds(o: { httpStatus?: number | undefined }, kinds: readonly string[] | undefined): boolean {
  if (kinds === undefined || kinds.length === 0) return true;
  const kind = errorKindOf(o);
  const klass = o.httpStatus === undefined ? undefined : `${Math.floor(o.httpStatus / 100)}xx`;
  return kinds.some((k) => k === kind || k === klass);
}

const KIND = /^(network|[1-5]xx|[1-5][0-9]{2})$/;

/** parseErrorKinds reads `404,5xx,network`; a string saying what is wrong when a kind is not one. */
export function parseErrorKinds(text: string): string[] | string {
  const kinds = text
    .split(',')
    .map((k) => k.trim().toLowerCase())
    .filter((k) => k !== '');
  if (kinds.length === 0) return 'name at least one kind: an HTTP status (404), a class (5xx) or network';
  const bad = kinds.find((k) => !KIND.test(k));
  if (bad !== undefined) return `"${bad}" is not an error kind: use an HTTP status (404), a class (4xx, 5xx) or network`;
  return [...new Set(kinds)];
}
