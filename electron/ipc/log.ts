/**
 * The main process log and the redaction every line goes through. API keys must never reach a
 * log, so the logger is built around a Redactor that knows every key the vault has handed out
 * (exact values) and also masks anything that looks like an auth header.
 */

/** Logger is what main-side code logs through; each message is redacted before it is written. */
export interface Logger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

/** LogSink receives finished, redacted lines (a file, stderr, or an array in tests). */
export type LogSink = (line: string) => void;

const AUTH_PATTERNS: RegExp[] = [
  /(authorization\s*[:=]\s*"?\s*(?:bearer|basic|token)?\s*)[^\s",;]+/gi,
  /(x-api-key\s*[:=]\s*"?\s*)[^\s",;]+/gi,
  /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
];

/**
 * Redactor masks secrets in text. `add` registers a secret (a key the vault decrypted or was
 * given); `redact` replaces every occurrence of every registered secret, then anything shaped
 * like an auth header value, with `[redacted]`.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** add registers a secret; very short strings are ignored (masking "a" would garble every line). */
  add(secret: string): void {
    if (secret.length >= 4) this.secrets.add(secret);
  }

  /** forget drops a secret that is no longer used (a cleared key). */
  forget(secret: string): void {
    this.secrets.delete(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('[redacted]');
    for (const p of AUTH_PATTERNS) out = out.replace(p, '$1[redacted]');
    return out;
  }
}

/** describeError renders an error for the log: name, message, and stack (redacted by the logger). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause !== undefined ? `\ncaused by: ${describeError(error.cause)}` : '';
    return `${error.stack ?? `${error.name}: ${error.message}`}${cause}`;
  }
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** LogLimits bounds how many lines of one kind are written: a page that floods main with bad requests cannot flood the log. */
export interface LogLimits {
  /** Lines of one kind written per window; the rest are counted and summed up in one line. */
  perKind: number;
  windowMs: number;
}

/** DEFAULT_LOG_LIMITS: 20 lines of a kind a minute. */
export const DEFAULT_LOG_LIMITS: LogLimits = { perKind: 20, windowMs: 60_000 };

/** KINDS_TRACKED bounds the memory the limiter uses; past it, counting starts afresh. */
const KINDS_TRACKED = 500;

/**
 * kindOf is what makes two log messages "the same kind": the text before the first "(" (where the
 * details of a malformed request start), at most 60 characters, with numbers blurred.
 */
export function kindOf(message: string): string {
  const cut = message.indexOf('(');
  return (cut > 0 && cut <= 60 ? message.slice(0, cut) : message.slice(0, 60)).replace(/\d+/g, '#').trim();
}

/** createLogger writes timestamped, redacted lines to `sink`, at most `limits.perKind` lines of a kind per window. */
export function createLogger(sink: LogSink, redactor: Redactor, now: () => number = Date.now, limits: LogLimits = DEFAULT_LOG_LIMITS): Logger {
  const kinds = new Map<string, { start: number; written: number; dropped: number }>();
  const line = (level: string, text: string) => sink(`${new Date(now()).toISOString()} ${level} ${redactor.redact(text)}`);
  const write = (level: string, text: string) => {
    const t = now();
    const kind = `${level} ${kindOf(text)}`;
    let k = kinds.get(kind);
    if (k !== undefined && t - k.start >= limits.windowMs) {
      if (k.dropped > 0) line('info', `(${k.dropped} more "${kind}" lines were left out of the log)`);
      k = undefined;
    }
    if (k === undefined) {
      if (kinds.size >= KINDS_TRACKED) kinds.clear();
      k = { start: t, written: 0, dropped: 0 };
      kinds.set(kind, k);
    }
    if (k.written >= limits.perKind) {
      k.dropped++;
      return;
    }
    k.written++;
    line(level, text);
  };
  return {
    info: (message) => write('info', message),
    error: (message, error) => write('error', error === undefined ? message : `${message}: ${describeError(error)}`),
  };
}
