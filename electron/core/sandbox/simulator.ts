import type { WireKind } from '../../../shared/providers/types';
import { simulateGeneric } from './generic-sim';
import { simulatePingback } from './pingback-sim';
import type { SimRequest, SimResponse } from './sim-response';
import { pathOnly } from './sim-response';
import type { SimState } from './sim-state';
import { simulateWassist } from './wassist-sim';

/**
 * The three provider APIs, simulated in process as their documents in shared/api/ describe them:
 * one pure-ish function from (API, world, request) to response. The sandbox transport runs
 * campaigns through it with no network; the test mock server puts it behind node:http so the
 * real HTTP transport can be tested against an API that refuses whatever the documents refuse.
 */

export type { SimRequest, SimResponse } from './sim-response';
export { errorResponse } from './sim-response';
export type { ConversationSeed, SimConversation, SimMessage, SimOptions, SimState, WassistSimOptions } from './sim-state';
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
