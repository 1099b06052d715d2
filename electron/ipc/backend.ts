import type { z } from 'zod';
import type { Channel, Contract } from '../../shared/ipc/contract';

/**
 * DesktopBackend is what the IPC handlers call: one method per contract channel, named by the
 * channel, taking the request already checked against the contract and returning what the response
 * schema accepts. It is derived from the contract, so a new channel is one contract entry and one
 * implementation. The real one is electron/desktop; tests pass fakes. It knows nothing of IPC,
 * senders or Electron.
 */

/** BackendRequest is a channel's request after the contract's schema parsed it. */
export type BackendRequest<C extends Channel> = z.output<Contract[C]['request']>;
/** BackendResponse is what a backend method may return for a channel (checked again before it is sent). */
export type BackendResponse<C extends Channel> = z.input<Contract[C]['response']>;

/** DesktopBackend implements every channel. */
export type DesktopBackend = { [C in Channel]: (request: BackendRequest<C>) => BackendResponse<C> | Promise<BackendResponse<C>> };
