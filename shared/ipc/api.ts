import type { AppCommand, Channel, IpcResult, RequestOf, ResponseOf, StatusBatch } from './contract';

/**
 * The renderer-facing API (`window.api`): verb-named methods only, typed from the contract.
 * The preload builds it over ipcRenderer; the browser test harness builds the very same object
 * over its bridge to the real main-process handlers. Methods resolve with the value or reject
 * with an ApiError whose message a person can read.
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

function call<C extends Channel>(invoke: Invoke, channel: C) {
  return async (request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const result = await invoke(channel, request);
    if (result.ok) return result.value;
    throw new ApiError(result.error.message, result.error.problems ?? []);
  };
}

function call0<C extends Channel>(invoke: Invoke, channel: C) {
  const f = call(invoke, channel);
  return (): Promise<ResponseOf<C>> => f(undefined as RequestOf<C>);
}

/** createApi builds the renderer API over an invoke function and an event subscription. */
export function createApi(invoke: Invoke, subscribe: Subscribe) {
  return {
    profiles: {
      list: call0(invoke, 'profiles:list'),
      save: call(invoke, 'profiles:save'),
      remove: call(invoke, 'profiles:remove'),
    },
    keys: {
      set: call(invoke, 'keys:set'),
      clear: call(invoke, 'keys:clear'),
    },
    vault: { info: call0(invoke, 'vault:info') },
    csv: {
      load: call(invoke, 'csv:load'),
      open: call0(invoke, 'csv:open'),
      /** Starts a chunked import (see the contract's `csv:begin`); send the bytes with append, then finish. */
      begin: call(invoke, 'csv:begin'),
      append: call(invoke, 'csv:append'),
      finish: call(invoke, 'csv:finish'),
      abort: call(invoke, 'csv:abort'),
    },
    campaign: {
      validate: call(invoke, 'campaign:validate'),
      preview: call(invoke, 'campaign:preview'),
      testSend: call(invoke, 'campaign:testSend'),
      start: call(invoke, 'campaign:start'),
      pause: call(invoke, 'campaign:pause'),
      resume: call(invoke, 'campaign:resume'),
      cancel: call(invoke, 'campaign:cancel'),
      snapshot: call(invoke, 'campaign:snapshot'),
      rows: call(invoke, 'campaign:rows'),
      history: call0(invoke, 'campaign:history'),
      exportReport: call(invoke, 'campaign:exportReport'),
      /** Reads every sent message's delivery status from the provider now (Wassist). */
      refreshStatus: call(invoke, 'campaign:refreshStatus'),
      /** The delivery status last read, without asking the provider. */
      deliveryStatus: call(invoke, 'campaign:deliveryStatus'),
      openFile: call0(invoke, 'campaign:openFile'),
      saveFile: call(invoke, 'campaign:saveFile'),
      /** Subscribes to the batched status stream; returns the unsubscribe function. */
      onEvent: (listener: (batch: StatusBatch) => void): (() => void) =>
        subscribe('campaign:event', (payload) => listener(payload as StatusBatch)),
    },
    app: {
      openExternal: call(invoke, 'app:openExternal'),
      /** Loads the sample CSV and the sandbox campaign shipped with the app. */
      openSample: call0(invoke, 'app:openSample'),
      /** Subscribes to application-menu commands; returns the unsubscribe function. */
      onCommand: (listener: (command: AppCommand) => void): (() => void) =>
        subscribe('app:command', (payload) => listener(payload as AppCommand)),
    },
  };
}

/** Api is the type of `window.api`. */
export type Api = ReturnType<typeof createApi>;
