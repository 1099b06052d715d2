import type { z } from 'zod';
import type { Channel, Contract } from '../../shared/ipc/contract';

/**
 * DesktopBackend is everything the IPC handlers call: one method per channel, taking the request
 * already checked against the contract and returning what the response schema accepts. The real
 * one is electron/core/desktop; tests pass fakes. It knows nothing of IPC, senders or Electron.
 */

/** BackendRequest is a channel's request after the contract's schema parsed it. */
export type BackendRequest<C extends Channel> = z.output<Contract[C]['request']>;
/** BackendResponse is what a backend method may return for a channel (checked again before it is sent). */
export type BackendResponse<C extends Channel> = z.input<Contract[C]['response']>;

type Method<C extends Channel> = (request: BackendRequest<C>) => BackendResponse<C> | Promise<BackendResponse<C>>;
type Method0<C extends Channel> = () => BackendResponse<C> | Promise<BackendResponse<C>>;

export interface DesktopBackend {
  listProfiles: Method0<'profiles:list'>;
  saveProfile: Method<'profiles:save'>;
  removeProfile: Method<'profiles:remove'>;
  setKey: Method<'keys:set'>;
  clearKey: Method<'keys:clear'>;
  vaultInfo: Method0<'vault:info'>;
  loadCsv: Method<'csv:load'>;
  openCsv: Method0<'csv:open'>;
  beginUpload: Method<'csv:begin'>;
  appendUpload: Method<'csv:append'>;
  finishUpload: Method<'csv:finish'>;
  abortUpload: Method<'csv:abort'>;
  validate: Method<'campaign:validate'>;
  preview: Method<'campaign:preview'>;
  testSend: Method<'campaign:testSend'>;
  start: Method<'campaign:start'>;
  pause: Method<'campaign:pause'>;
  resume: Method<'campaign:resume'>;
  cancel: Method<'campaign:cancel'>;
  snapshot: Method<'campaign:snapshot'>;
  rows: Method<'campaign:rows'>;
  history: Method0<'campaign:history'>;
  exportReport: Method<'campaign:exportReport'>;
  refreshStatus: Method<'campaign:refreshStatus'>;
  deliveryStatus: Method<'campaign:deliveryStatus'>;
  openCampaignFile: Method0<'campaign:openFile'>;
  saveCampaignFile: Method<'campaign:saveFile'>;
  openSample: Method0<'app:openSample'>;
  /** Opens a web link in the system browser (main checks it is http(s)). */
  openLink: Method<'app:openExternal'>;
}
