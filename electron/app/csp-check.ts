/**
 * checkCsp reads a Content-Security-Policy and lists what makes it weaker than our rule:
 * `default-src 'self'`, scripts from our own files only (no inline script, no eval, no remote or
 * data: scripts), no plugins. Used by tests on both the header and renderer/index.html's meta tag.
 */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name !== undefined && name !== '' && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), values);
  }
  return out;
}

const UNSAFE_SCRIPT = new Set(["'unsafe-inline'", "'unsafe-eval'", "'wasm-unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'blob:', 'http:', 'https:', 'filesystem:']);

/** checkCsp returns the weaknesses of `policy` (empty when it holds to our rule). */
export function checkCsp(policy: string): string[] {
  const d = parseCsp(policy);
  const problems: string[] = [];
  const def = d.get('default-src');
  if (def === undefined || def.join(' ') !== "'self'") problems.push(`default-src must be exactly 'self' (is ${def?.join(' ') ?? 'missing'})`);
  const script = d.get('script-src') ?? def ?? [];
  for (const v of script) {
    if (UNSAFE_SCRIPT.has(v) || /^https?:\/\//.test(v)) problems.push(`script-src allows ${v}`);
  }
  const object = d.get('object-src') ?? def ?? [];
  if (object.some((v) => v !== "'none'" && v !== "'self'")) problems.push(`object-src allows ${object.join(' ')}`);
  return problems;
}

/** metaCsp finds the CSP of an HTML page's `<meta http-equiv="Content-Security-Policy">`, if any. */
export function metaCsp(html: string): string | undefined {
  for (const m of html.matchAll(/<meta\b[^>]*>/gis)) {
    const tag = m[0];
    if (!/http-equiv\s*=\s*["']content-security-policy["']/i.test(tag)) continue;
    const content = /content\s*=\s*"([^"]*)"/is.exec(tag) ?? /content\s*=\s*'([^']*)'/is.exec(tag);
    if (content?.[1] !== undefined) return decodeEntities(content[1]).replace(/\s+/g, ' ').trim();
  }
  return undefined;
}

/** decodeEntities reads an attribute value as a browser does (Vite writes `'` as `&#39;`). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|quot|apos|amp|lt|gt);/gi, (_m, e: string) => {
    const named: Record<string, string> = { quot: '"', apos: "'", amp: '&', lt: '<', gt: '>' };
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return named[lower] ?? _m;
  });
}
