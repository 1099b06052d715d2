import type { z } from 'zod';
import type { Channel, Contract, IpcResult } from '../../shared/ipc/contract';
import { contract } from '../../shared/ipc/contract';
import type { BackendRequest, BackendResponse, DesktopBackend } from './backend';
import { toIpcError } from './errors';
import type { Logger } from './log';
import type { IpcEventLike, SenderCheck } from './sender-check';

/**
 * The main-side IPC handlers: thin adapters from a contract channel to one backend method. Each
 * call parses the payload with the channel's request schema (a malformed payload is refused and
 * the backend is not called), calls the backend, parses the answer with the response schema (so
 * nothing the contract does not name, a key included, can ride along), and resolves with an
 * IpcResult. Nothing ever rejects: errors become messages a person can read.
 */

/** IpcHandler handles one channel's payload (the sender has already been checked). */
export type IpcHandler = (payload: unknown) => Promise<IpcResult<unknown>>;
/** IpcHandlers maps every channel of the contract to its handler. */
export type IpcHandlers = { [C in Channel]: IpcHandler };

function adapt<C extends Channel>(channel: C, backend: DesktopBackend, log: Logger): IpcHandler {
  const schema: Contract[C] = contract[channel];
  const call = backend[channel] as (request: BackendRequest<C>) => BackendResponse<C> | Promise<BackendResponse<C>>;
  return async (payload) => {
    const request = (schema.request as z.ZodType).safeParse(payload);
    if (!request.success) {
      const first = request.error.issues[0];
      const where = first !== undefined && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
      log.info(`refused ${channel}: malformed request (${where}${first?.message ?? 'invalid'})`);
      return { ok: false, error: { message: `The app sent a malformed ${channel} request (${where}${first?.message ?? 'invalid'}).` } };
    }
    try {
      const value = await call.call(backend, request.data as BackendRequest<C>);
      const response = (schema.response as z.ZodType).safeParse(value);
      if (!response.success) {
        log.error(`${channel}: the backend's answer does not match the contract`, response.error);
        return { ok: false, error: { message: 'Something went wrong in the app. The details are in the log.' } };
      }
      return { ok: true, value: response.data };
    } catch (e) {
      return toIpcError(e, channel, log);
    }
  };
}

/** createIpcHandlers builds the handler of every channel of the contract over `backend`. */
export function createIpcHandlers(backend: DesktopBackend, log: Logger): IpcHandlers {
  const handlers: Partial<IpcHandlers> = {};
  for (const channel of Object.keys(contract) as Channel[]) handlers[channel] = adapt(channel, backend, log);
  return handlers as IpcHandlers;
}

/** IpcMainLike is the part of Electron's ipcMain the registration uses; an in-memory transport fits too. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

const REFUSED: IpcResult<never> = { ok: false, error: { message: 'Refused: this request did not come from the app window.' } };

/**
 * registerIpcHandlers installs every handler on `ipcMain`, each behind `isTrustedSender`: a
 * message from any other frame, window or page is refused (and logged) before its payload is
 * even read. Returns a function that removes them all.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers, isTrustedSender: SenderCheck, log: Logger): () => void {
  const channels = Object.keys(handlers) as Channel[];
  for (const channel of channels) {
    const handler = handlers[channel];
    ipcMain.handle(channel, async (event, payload) => {
      if (!isTrustedSender(event)) {
        log.info(`refused ${channel}: sender ${event.senderFrame?.url ?? '(no frame)'} is not the app window`);
        return REFUSED;
      }
      return handler(payload);
    });
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
