import type { Api } from '../../shared/ipc/api';
import { createApi } from '../../shared/ipc/api';
import type { IpcResult } from '../../shared/ipc/contract';

/**
 * What the preload puts in the page, built so that it needs no Electron (tested under Node).
 *
 * The API object is built with createApi, verb methods only, over ipcRenderer.invoke and a
 * listener that drops Electron's event object and returns its unsubscribe. One wrinkle: Electron's
 * contextBridge copies an Error thrown across worlds with its message only (custom properties such
 * as ApiError.problems are lost). So in the preload every method resolves with its IpcResult, and
 * installApi, run in the page's world with contextBridge.executeInMainWorld, turns a failed result
 * into an Error created in the page's own world, `problems` included.
 */

/** IpcRendererLike is the part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type Fn = (...args: never[]) => unknown;
/** ResultApi is Api with every call resolving with its IpcResult instead of rejecting. */
export type ResultApi = {
  [D in keyof Api]: {
    [M in keyof Api[D]]: M extends `on${string}` ? Api[D][M] : Api[D][M] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<IpcResult<R>> : never;
  };
};

const EVENT_CHANNELS = new Set(['campaign:event', 'app:command']);
const UNREACHABLE = 'The app window lost its connection to the app. Restart the app and try again.';

/** buildBridgeApi builds the preload side of window.api over ipcRenderer. */
export function buildBridgeApi(ipc: IpcRendererLike): ResultApi {
  const api = createApi(
    async (channel, request) => {
      let result: unknown;
      try {
        result = await ipc.invoke(channel, request);
      } catch {
        result = { ok: false, error: { message: UNREACHABLE } };
      }
      // Hand the IpcResult itself through createApi untouched; installApi unwraps it in the page.
      return { ok: true, value: result as never };
    },
    (channel, listener) => {
      if (!EVENT_CHANNELS.has(channel)) throw new Error(`not an event channel: ${channel}`);
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, handler);
      return () => {
        ipc.removeListener(channel, handler);
      };
    },
  );
  return api as unknown as ResultApi;
}

/**
 * installApi runs in the page's world (contextBridge.executeInMainWorld serialises it, so it must
 * not use anything from outside its own body). It defines a read-only `window.api` whose methods
 * resolve with the value or reject with an `ApiError` (an Error of the page's world, with
 * `problems`), exactly the behaviour of createApi's API.
 */
export function installApi(bridge: Record<string, Record<string, Fn>>): void {
  class ApiError extends Error {
    readonly problems: unknown[];
    constructor(message: string, problems: unknown[]) {
      super(message);
      this.name = 'ApiError';
      this.problems = problems;
    }
  }
  const api: Record<string, Record<string, Fn>> = {};
  for (const domain of Object.keys(bridge)) {
    const methods: Record<string, Fn> = {};
    const source = bridge[domain] ?? {};
    for (const name of Object.keys(source)) {
      const f = source[name] as (...args: unknown[]) => unknown;
      if (/^on[A-Z]/.test(name)) {
        methods[name] = f;
        continue;
      }
      methods[name] = async (...args: unknown[]) => {
        const r = (await f(...args)) as { ok: boolean; value?: unknown; error?: { message?: unknown; problems?: unknown } };
        if (r !== null && typeof r === 'object' && r.ok === true) return r.value;
        const message = typeof r?.error?.message === 'string' ? r.error.message : 'Something went wrong in the app.';
        throw new ApiError(message, Array.isArray(r?.error?.problems) ? r.error.problems : []);
      };
    }
    api[domain] = Object.freeze(methods);
  }
  Object.defineProperty(globalThis, 'api', { value: Object.freeze(api), writable: false, enumerable: true, configurable: false });
}
