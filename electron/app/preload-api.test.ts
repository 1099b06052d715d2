import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Api } from '../../shared/ipc/api';
import { FakeIpcMain, FakeIpcRenderer, eventFrom, fakeTrustedWindow } from '../../test/fakes/electron-ipc';
import { contract } from '../../shared/ipc/contract';
import { buildBridgeApi, installApi } from './preload-api';

const ENTRY = 'file:///app/dist/index.html';

/** Installs the API the way contextBridge.executeInMainWorld does: the function's source, run in another world. */
function install(bridge: unknown): Api {
  const world: { api?: Api } = {};
  runInNewContext(`(${installApi.toString()})(bridge)`, Object.assign(world, { bridge }));
  return world.api as Api;
}

function setup(answer: (channel: string, payload: unknown) => unknown) {
  const ipcMain = new FakeIpcMain();
  const seen: { channel: string; payload: unknown }[] = [];
  for (const channel of ['profiles:list', 'keys:set', 'csv:append', 'campaign:validate']) {
    ipcMain.handle(channel, async (_e, payload) => {
      seen.push({ channel, payload });
      return answer(channel, payload);
    });
  }
  const renderer = new FakeIpcRenderer(ipcMain, eventFrom(fakeTrustedWindow(ENTRY)));
  return { api: install(buildBridgeApi(renderer)), renderer, seen };
}

describe('the preload API', () => {
  it('exposes verb methods only: no ipcRenderer, no invoke, nothing writable', () => {
    const { api } = setup(() => ({ ok: true, value: [] }));
    expect(Object.keys(api).sort()).toEqual(['app', 'attachments', 'campaign', 'csv', 'keys', 'optout', 'profiles', 'schedule', 'vault', 'workspace']);
    const names = Object.values(api).flatMap((d) => Object.keys(d));
    expect(names).not.toContain('invoke');
    expect(names).not.toContain('send');
    expect(names.every((n) => /^[a-z][A-Za-z]*$/.test(n))).toBe(true);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.campaign)).toBe(true);
    for (const d of Object.values(api)) for (const f of Object.values(d)) expect(typeof f).toBe('function');
  });

  it('resolves with the value and sends the request on the right channel', async () => {
    const { api, seen } = setup((channel) => (channel === 'profiles:list' ? { ok: true, value: [{ id: 'sandbox' }] } : { ok: true, value: null }));
    expect(await api.profiles.list()).toEqual([{ id: 'sandbox' }]);
    await api.csv.append({ uploadId: 'u1', offset: 0, bytes: new Uint8Array([1, 2]) });
    expect(seen[0]).toEqual({ channel: 'profiles:list', payload: undefined });
    expect(seen[1]?.channel).toBe('csv:append');
    expect((seen[1]?.payload as { bytes: Uint8Array }).bytes).toEqual(new Uint8Array([1, 2]));
  });

  it('has a method named after every channel of the contract, and nothing else but the two event subscriptions', () => {
    const { api } = setup(() => ({ ok: true, value: null }));
    const methods = Object.entries(api).flatMap(([domain, d]) => Object.keys(d).map((verb) => `${domain}:${verb}`));
    expect(methods.filter((m) => !/:on[A-Z]/.test(m)).sort()).toEqual(Object.keys(contract).sort());
    expect(methods.filter((m) => /:on[A-Z]/.test(m)).sort()).toEqual(['app:onCommand', 'campaign:onEvent']);
  });

  it("rejects with an Error of the page's world that keeps its problems", async () => {
    const problems = [{ row: 2, field: 'message.text', reason: 'missing value', severity: 'error' }];
    const { api } = setup(() => ({ ok: false, error: { message: 'row 2, message.text: missing value', problems } }));
    const err = await api.campaign.validate({ datasetId: 'd', spec: {} }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ApiError');
    expect((err as Error).message).toBe('row 2, message.text: missing value');
    expect((err as { problems: unknown }).problems).toEqual(problems);
    expect(Object.prototype.toString.call(err)).toBe('[object Error]');
  });

  it('turns a broken connection into a readable message', async () => {
    const { api } = setup(() => ({ ok: true, value: null }));
    const err = await api.campaign.start({ datasetId: 'd', spec: {}, profileId: 'p', skipInvalid: false }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/lost its connection/);
  });

  it('listeners get the payload without the Electron event, and unsubscribe', () => {
    const { api, renderer } = setup(() => ({ ok: true, value: null }));
    const got: unknown[] = [];
    const off = api.app.onCommand((c) => got.push(c));
    renderer.deliver('app:command', 'import-csv');
    expect(got).toEqual(['import-csv']);
    expect(renderer.listenerCount('app:command')).toBe(1);
    off();
    renderer.deliver('app:command', 'save-campaign');
    expect(got).toEqual(['import-csv']);
    expect(renderer.listenerCount('app:command')).toBe(0);
  });
});
