/** LOOPBACK_HOSTS are the hosts a base URL may reach over plain http (a mock server on this machine, for testing). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * baseUrlProblem says what is wrong with a provider's base URL, or undefined when it will do. The
 * key travels with every request, so only https is accepted; plain http only to this machine
 * (127.0.0.1, ::1, localhost), for testing against a mock. A user name or password in the URL is
 * refused: it would be stored in campaign folders and printed by `preview`, where keys never go.
 */
export function baseUrlProblem(s: string): string | undefined {
  if (!URL.canParse(s)) return 'must be a URL such as https://api.example.com';
  const u = new URL(s);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must start with https:// (got ${u.protocol})`;
  if (u.hostname === '') return 'must name a host, such as https://api.example.com';
  if (u.username !== '' || u.password !== '') return 'must not contain a user name or password (user@host): the API key goes in the profile, not in the URL';
  if (u.protocol === 'http:' && !LOOPBACK_HOSTS.has(u.hostname.toLowerCase())) return 'must use https:// (plain http:// is only accepted for 127.0.0.1, ::1 or localhost, for testing)';
  if (u.search !== '' || u.hash !== '') return 'must not contain a query (?…) or a fragment (#…)';
  return undefined;
}
