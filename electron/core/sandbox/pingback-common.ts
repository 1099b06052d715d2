import type { JsonObject, JsonValue } from '../../../shared/json';
import type { SimState } from './sim-state';

/** What Pingback's simulated endpoints (messages, upload) share: FastAPI's 422 items and its path checks. */

/** PydanticError is one entry of FastAPI's 422 `detail` list. */
export interface PydanticError {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: JsonValue;
  ctx?: JsonObject;
}

const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** uuidError is FastAPI's complaint about a path id that is not a UUID (none when the state takes any id). */
export function uuidError(state: SimState, id: string): PydanticError[] {
  if (state.autoCreate || uuid.test(id)) return [];
  return [{ type: 'uuid_parsing', loc: ['path', 'conversation_id'], msg: 'Input should be a valid UUID', input: id }];
}

/** conversationNotFound is Pingback's 404 detail. */
export const conversationNotFound = 'Conversation not found';
