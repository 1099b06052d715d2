import type { ProviderConfig } from '../../../shared/campaign/provider-config';
import type { EncodedForm } from '../multipart';
import { encodeForm, readAll } from '../multipart';
import type { Clock, HttpRequest, HttpResponse, Transport } from '../ports';
import { TransportError } from '../ports';
import { seededRandom } from './ids';
import { createSandboxWorld } from './sandbox-world';
import type { SimState } from './simulator';
import { errorResponse, simulateRequest } from './simulator';

/**
 * The built-in sandbox provider: a Transport with no network that answers through the simulated
 * API the campaign names (`provider.simulate`), so a first-time user can run the whole flow with
 * the sample CSV and no account. It accepts any key (or none) and any conversation id (created on
 * first use, active), waits `latencyMs` on the injected clock, and fails `failureRate` of the
 * requests with a transient 503 or 429 + Retry-After so the retry path shows. With a `seed` the
 * failures and ids repeat from run to run.
 */

/** SandboxConfig is the campaign's `provider` block for the sandbox. */
export type SandboxConfig = Extract<ProviderConfig, { kind: 'sandbox' }>;

/** sandboxBaseUrl is the base URL a sandbox campaign's requests are addressed to; never resolved. */
export const sandboxBaseUrl = 'https://sandbox.invalid';

/** SandboxTransport is the sandbox's Transport plus its simulated world, for tests and the UI. */
export interface SandboxTransport extends Transport {
  readonly state: SimState;
}

/** sandboxRetryAfterSeconds is the Retry-After a simulated 429 asks for. */
export const sandboxRetryAfterSeconds = 1;

/**
 * createSandboxTransport builds the sandbox for a campaign's provider config, over `world` when it
 * is given (SandboxWorlds: every connection of a campaign sees one world), else a world of its own.
 */
export function createSandboxTransport(config: SandboxConfig, clock: Clock, world?: { state: SimState; seed: number }): SandboxTransport {
  const { state, seed } = world ?? createSandboxWorld(config, clock);
  const failures = seededRandom(seed);
  let closed = false;

  async function request(req: HttpRequest, signal?: AbortSignal, onWritten?: () => void): Promise<HttpResponse> {
    if (closed) throw new TransportError('the sandbox transport is closed', 'ECLOSED', false);
    let path: string;
    try {
      const url = new URL(req.url);
      path = url.pathname + url.search;
    } catch {
      throw new TransportError('the request URL is not valid', 'EINVALIDURL', false);
    }
    // A form of files is encoded as the HTTP transport sends it (its files read now, the limit checked
    // when each is opened), so the simulated API parses the same bytes a real one would.
    const body = req.body;
    let form: EncodedForm | undefined;
    let bytes: Uint8Array | undefined;
    if (typeof body === 'object') {
      form = await encodeForm(body);
      bytes = await readAll(form);
    } else if (body !== undefined) {
      bytes = Buffer.from(body, 'utf8');
    }
    onWritten?.(); // the simulated provider has it now; the latency is its answer's
    const timedOut = config.latencyMs >= req.timeoutMs;
    try {
      await clock.sleep(timedOut ? req.timeoutMs : config.latencyMs, signal);
    } catch {
      throw new TransportError('the request was cancelled before the sandbox answered', 'ABORTED', false);
    }
    if (failures() < config.failureRate) {
      return failures() < 0.5 ? errorResponse(config.simulate, 503) : errorResponse(config.simulate, 429, String(sandboxRetryAfterSeconds));
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
    // As the HTTP transport does: a form says its boundary; every other body the providers take is JSON.
    if (form !== undefined) headers['content-type'] = form.contentType;
    else if (req.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    const res = await simulateRequest(config.simulate, state, { method: req.method, path, headers }, bytes);
    if (timedOut) {
      // Like a slow server, the sandbox still acts on the request the client gave up on.
      throw new TransportError(`no answer within ${req.timeoutMs} ms (simulated latency ${config.latencyMs} ms)`, 'ETIMEDOUT', true);
    }
    return res;
  }

  return {
    state,
    request,
    async close() {
      closed = true;
    },
  };
}
