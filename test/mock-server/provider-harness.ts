import type { JsonObject } from '../../shared/json';
import { providers } from '../../shared/providers';
import type { Classification, ProviderDefinition, WireKind, WireRequest } from '../../shared/providers/types';
import { createHttpTransport } from '../../electron/core/http-transport';
import type { HttpRequest, HttpResponse, Transport } from '../../electron/core/ports';
import type { MockServer, MockServerOptions, RecordedRequest } from './mock-server';
import { mockApiKey, startMockServer } from './mock-server';

/**
 * A provider wired the way the app wires it, for integration tests: the provider definition
 * builds the request, the real HTTP transport sends it, the strict mock answers, and the
 * definition classifies the answer.
 */

/** httpRequestFor turns a provider's WireRequest into the HTTP request main sends. */
export function httpRequestFor(def: ProviderDefinition, baseUrl: string, apiKey: string, wire: WireRequest, timeoutMs = 5_000): HttpRequest {
  const req: HttpRequest = { method: wire.method, url: baseUrl + wire.path, headers: { ...def.authHeaders(apiKey) }, timeoutMs };
  if (wire.body !== undefined) {
    req.headers['Content-Type'] = 'application/json';
    req.body = JSON.stringify(wire.body);
  }
  return req;
}

/** Sent is one row sent through the harness. */
export interface Sent {
  wire: WireRequest;
  response: HttpResponse;
  classification: Classification;
  /** What the mock received for it (recording on). */
  received: RecordedRequest;
}

/** ProviderHarness is a provider, the HTTP transport and a mock of the provider's API. */
export interface ProviderHarness {
  def: ProviderDefinition;
  mock: MockServer;
  transport: Transport;
  /** Builds, sends and classifies one row; `now` resolves Retry-After dates. */
  send(recipient: string, body: JsonObject, options?: { apiKey?: string; now?: number; timeoutMs?: number }): Promise<Sent>;
  close(): Promise<void>;
}

/** startProviderHarness starts a mock of `kind`'s API and a transport to it. */
export async function startProviderHarness(kind: WireKind, options: Omit<MockServerOptions, 'kind'> = {}): Promise<ProviderHarness> {
  const def = providers[kind];
  const mock = await startMockServer({ kind, ...options });
  const transport = createHttpTransport();
  return {
    def,
    mock,
    transport,
    async send(recipient, body, opts = {}) {
      const wire = def.buildRequest(recipient, body);
      const seen = mock.requests.length;
      const response = await transport.request(httpRequestFor(def, mock.url, opts.apiKey ?? options.apiKey ?? mockApiKey, wire, opts.timeoutMs));
      const received = mock.requests[seen];
      if (received === undefined) throw new Error('the mock recorded no request');
      return { wire, response, classification: def.classify(response, opts.now ?? Date.now()), received };
    },
    async close() {
      await transport.close();
      await mock.close();
    },
  };
}
