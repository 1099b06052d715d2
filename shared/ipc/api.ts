import type { AppCommand, Channel, IpcResult, RequestOf, ResponseOf, StatusBatch } from './contract';
import { contract } from './contract';

/**
 * The renderer-facing API (`window.api`): verb-named methods only, derived from the contract. The
 * channel `domain:verb` is the method `api.domain.verb`, so a new channel is one contract entry and
 * one backend implementation, and nothing is renamed on the way. The preload builds the API over
 * ipcRenderer; the browser test harness builds the very same object over its bridge to the real
 * main-process handlers. Methods resolve with the value or reject with an ApiError whose message a
 * person can read.
 */

export type Invoke = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
export type Subscribe = (channel: 'campaign:event' | 'app:command', listener: (payload: unknown) => void) => () => void;

/** ApiError is a failed call: `message` is for people, `problems` lists input mistakes by row and field. */
export class ApiError extends Error {
  readonly problems: NonNullable<Extract<IpcResult<unknown>, { ok: false }>['error']['problems']>;
  constructor(message: string, problems: ApiError['problems'] = []) {
    super(message);
    this.name = 'ApiError';
    this.problems = problems;
  }
}

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
/** Method is a channel's method: no argument for a channel whose request is empty. */
type Method<C extends Channel> = [RequestOf<C>] extends [undefined] ? () => Promise<ResponseOf<C>> : (request: RequestOf<C>) => Promise<ResponseOf<C>>;
/** InvokeApi is every channel of the contract as `api.domain.verb`. */
type InvokeApi = { [D in DomainOf<Channel>]: { [C in Channel as C extends `${D}:${infer V}` ? V : never]: Method<C> } };

/** Subscriptions are the event streams: each listener gets the payload only and the call returns its unsubscribe. */
interface Subscriptions {
  campaign: {
    /** Subscribes to the batched status stream; returns the unsubscribe function. */
    onEvent(listener: (batch: StatusBatch) => void): () => void;
  };
  app: {
    /** Subscribes to application-menu commands; returns the unsubscribe function. */
    onCommand(listener: (command: AppCommand) => void): () => void;
  };
}

/** Api is the type of `window.api`. */
export type Api = { [D in keyof InvokeApi]: InvokeApi[D] & (D extends keyof Subscriptions ? Subscriptions[D] : unknown) };

function call<C extends Channel>(invoke: Invoke, channel: C) {
  return async (request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const result = await invoke(channel, request);
    if (result.ok) return result.value;
    throw new ApiError(result.error.message, result.error.problems ?? []);
  };
}

/** createApi builds the renderer API over an invoke function and an event subscription. */
export function createApi(invoke: Invoke, subscribe: Subscribe): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of Object.keys(contract) as Channel[]) {
    const [domain = '', verb = ''] = channel.split(':');
    (api[domain] ??= {})[verb] = call(invoke, channel);
  }
  const subscriptions: Subscriptions = {
    campaign: { onEvent: (listener) => subscribe('campaign:event', (payload) => listener(payload as StatusBatch)) },
    app: { onCommand: (listener) => subscribe('app:command', (payload) => listener(payload as AppCommand)) },
  };
  for (const [domain, methods] of Object.entries(subscriptions)) Object.assign((api[domain] ??= {}), methods);
  return api as Api;
}
