import type { IpcMainLike } from '../../electron/ipc/handlers';
import type { FrameLike, IpcEventLike, TrustedWindow } from '../../electron/ipc/sender-check';

/**
 * An in-memory stand-in for Electron's ipcMain: handlers are stored by channel and `invoke`
 * calls one with a forged or genuine event, the way a renderer's ipcRenderer.invoke would.
 * Payloads go through structuredClone, like Electron's IPC, so nothing passes by reference.
 */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();

  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  async invoke(event: IpcEventLike, channel: string, payload?: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (h === undefined) throw new Error(`No handler registered for '${channel}'`);
    const answer = await h(event, structuredClone(payload));
    return structuredClone(answer);
  }
}

let nextId = 1;

/** fakeFrame is a WebFrameMain look-alike. */
export function fakeFrame(url: string, ids: { processId?: number; routingId?: number; parent?: FrameLike | null } = {}): FrameLike {
  return { url, processId: ids.processId ?? 7, routingId: ids.routingId ?? nextId++, parent: ids.parent ?? null };
}

/** FakeTrustedWindow is a window with a main frame, for sender checks. */
export interface FakeTrustedWindow extends TrustedWindow {
  destroyed: boolean;
}

/** fakeTrustedWindow builds a window whose main frame shows `url`. */
export function fakeTrustedWindow(url: string): FakeTrustedWindow {
  const win: FakeTrustedWindow = {
    destroyed: false,
    isDestroyed: () => win.destroyed,
    webContents: { id: nextId++, mainFrame: fakeFrame(url) },
  };
  return win;
}

/** eventFrom is the event a message from `win`'s main frame carries. */
export function eventFrom(win: TrustedWindow): IpcEventLike {
  return { sender: { id: win.webContents.id }, senderFrame: win.webContents.mainFrame };
}

/**
 * FakeIpcRenderer is the renderer end of the in-memory transport: invoke goes to a FakeIpcMain
 * with a fixed sender event (genuine or forged); `deliver` is what webContents.send does.
 */
export class FakeIpcRenderer {
  private readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  constructor(
    private readonly main: FakeIpcMain,
    private readonly event: IpcEventLike,
  ) {}

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    return this.main.invoke(this.event, channel, args[0]);
  }

  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    let set = this.listeners.get(channel);
    if (set === undefined) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  deliver(channel: string, payload: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipcRenderer', senderId: 0 }, structuredClone(payload));
  }
}
