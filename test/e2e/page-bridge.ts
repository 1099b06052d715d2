import type { Invoke, Subscribe } from '../../shared/ipc/api';
import { createApi } from '../../shared/ipc/api';

/**
 * The page side of the browser harness, bundled and injected before the app's own scripts: it
 * builds `window.api` with the shared createApi, exactly as the preload does, over a bridge to
 * the real main-process handlers running in the test (Node). Calls go out through the exposed
 * function `__ipcInvoke`; events come in through `__ipcDeliver`, which the harness calls with
 * page.evaluate the way webContents.send would. Uint8Array payloads cross as base64.
 */

interface BridgeGlobal {
  api: unknown;
  __ipcInvoke(channel: string, payload: unknown): Promise<unknown>;
  __ipcDeliver(channel: string, payload: unknown): void;
  __cspViolations: string[];
  addEventListener(type: string, listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
  btoa(s: string): string;
}

const g = globalThis as unknown as BridgeGlobal;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return g.btoa(s);
}

function encode(value: unknown): unknown {
  if (value instanceof Uint8Array) return { __bytes: toBase64(value) };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encode(v);
    return out;
  }
  return value;
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();

const invoke = ((channel: string, request: unknown) => g.__ipcInvoke(channel, encode(request))) as Invoke;
const subscribe: Subscribe = (channel, listener) => {
  let set = listeners.get(channel);
  if (set === undefined) listeners.set(channel, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
};

g.__ipcDeliver = (channel, payload) => {
  for (const l of listeners.get(channel) ?? []) l(payload);
};
g.__cspViolations = [];
g.addEventListener('securitypolicyviolation', (e) => g.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
g.api = createApi(invoke, subscribe);
