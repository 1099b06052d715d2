import type { WireKind } from '../../../shared/providers/types';
import { simulateGeneric } from './generic-sim';
import { simulatePingback } from './pingback-sim';
import { isMultipart, parseForm } from './sim-form';
import type { SimRequest, SimResponse } from './sim-response';
import { header, pathOnly } from './sim-response';
import type { SimState } from './sim-state';
import { simulateWassist } from './wassist-sim';

/**
 * The three provider APIs, simulated in process as their documents in shared/api/ describe them:
 * one pure-ish function from (API, world, request) to response. The sandbox transport runs
 * campaigns through it with no network; the test mock server puts it behind node:http so the
 * real HTTP transport can be tested against an API that refuses whatever the documents refuse.
 */

export type { SimRequest, SimResponse } from './sim-response';
export type { SimFile, SimForm } from './sim-form';
export { errorResponse } from './sim-response';
export type { ConversationSeed, SimConversation, SimMessage, SimOptions, SimState, SimUpload, WassistSimOptions } from './sim-state';
export { addConversation, createSimState, setMessageStatus } from './sim-state';

/** simulate answers `request` as API `kind` would, changing `state` (delivered messages, counters). */
export function simulate(kind: WireKind, state: SimState, request: SimRequest): SimResponse {
  state.counters.requests++;
  const path = pathOnly(request.path);
  switch (kind) {
    case 'wassist':
      return simulateWassist(state, request, path);
    case 'pingback':
      return simulatePingback(state, request, path);
    case 'generic':
      return simulateGeneric(state, request, path);
  }
}

/**
 * simulateRequest answers a request whose body arrived as bytes: a `multipart/form-data` body is
 * parsed first, as the API's framework would (sim-form.ts), anything else is read as UTF-8 text.
 */
export async function simulateRequest(kind: WireKind, state: SimState, request: Omit<SimRequest, 'body' | 'form'>, bytes: Uint8Array | undefined): Promise<SimResponse> {
  const type = header({ ...request, body: '' }, 'content-type');
  if (bytes !== undefined && isMultipart(type)) return simulate(kind, state, { ...request, form: await parseForm(type as string, bytes) });
  const body = bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return simulate(kind, state, body === undefined ? request : { ...request, body });
}
