import { basename, join } from 'node:path';
import { parseCampaign } from '../../../shared/campaign/schema';
import { UserError } from '../../../shared/ipc/user-error';
import { providers } from '../../../shared/providers/index';
import type { DesktopBackend } from '../../ipc/backend';
import type { Connection } from '../campaign-runner';
import { atomicWriteFile } from '../state/atomic-write';
import { readCampaignFile, safeFileName } from './campaign-files';
import { DatasetStore } from './datasets';
import { SidecarCache } from './delivery';
import type { DesktopDeps } from './ports';
import type { RecordsContext } from './records';
import { deliveryStatus, exportReport, history, pastSnapshot, refreshStatus, rows } from './records';
import { LookupCache } from './routing';
import { CsvUploads } from './uploads';
import type { SendingContext } from './sending';
import { previewRow, startCampaign, testSendRow, validateCampaign } from './sending';
import type { CampaignSession } from './session';

/**
 * The desktop backend: what every IPC channel does, over the vault, the campaign store, the
 * engine and the dialogs. One campaign sends at a time. Keys are read from the vault here, in main,
 * handed to the engine, and go nowhere else.
 */

/** DesktopBackendHandle is the backend plus what the composition root needs at quit. */
export interface DesktopBackendHandle extends DesktopBackend {
  /** shutdown stops the running campaign (rows not yet sent stay pending) and closes its journal. */
  shutdown(): Promise<void>;
}

/** KEPT_SANDBOXES is how many sandbox worlds of finished campaigns are kept for their delivery status. */
const KEPT_SANDBOXES = 5;

/** createDesktopBackend builds the backend over its dependencies. */
export function createDesktopBackend(deps: DesktopDeps): DesktopBackendHandle {
  const datasets = new DatasetStore();
  const uploads = new CsvUploads(datasets);
  let session: CampaignSession | undefined;
  let starting = false;
  const sidecars = new SidecarCache();
  const sandboxes = new Map<string, Connection>();
  const keepSandbox = (id: string, connection: Connection) => {
    const old = sandboxes.get(id);
    sandboxes.delete(id);
    if (old !== undefined && old !== connection) void old.transport.close().catch(() => undefined);
    sandboxes.set(id, connection);
    for (const [oldest, c] of sandboxes) {
      if (sandboxes.size <= KEPT_SANDBOXES) break;
      sandboxes.delete(oldest);
      void c.transport.close().catch(() => undefined);
    }
  };
  const sending: SendingContext = { deps, datasets, lookups: new LookupCache(), sidecars, keepSandbox };
  const records: RecordsContext = { deps, datasets, sidecars, sandboxes, session: () => session };

  const sessionFor = (id: string): CampaignSession => {
    if (session === undefined || session.id !== id) throw new UserError('That campaign is not running in this window any more.');
    return session;
  };

  const backend: DesktopBackendHandle = {
    listProfiles: () => deps.vault.list(),
    saveProfile: (p) => deps.vault.save(p),
    removeProfile: ({ id }) => {
      deps.vault.remove(id);
      return null;
    },
    setKey: ({ profileId, key, acceptObfuscation }) => deps.vault.setKey(profileId, key, acceptObfuscation ?? false),
    clearKey: ({ profileId }) => deps.vault.clearKey(profileId),
    vaultInfo: () => deps.vault.info(),

    loadCsv: ({ name, bytes, delimiter }) => datasets.load(name, bytes, delimiter),
    beginUpload: ({ name, size, delimiter }) => uploads.begin(name, size, delimiter),
    appendUpload: ({ uploadId, offset, bytes }) => uploads.append(uploadId, offset, bytes),
    finishUpload: ({ uploadId }) => uploads.finish(uploadId),
    abortUpload: ({ uploadId }) => uploads.abort(uploadId),
    openCsv: async () => {
      const path = await deps.dialogs.chooseOpenPath('csv');
      if (path === null) return null;
      return datasets.loadFile(path);
    },

    validate: (request) => validateCampaign(sending, request),
    preview: (request) => previewRow(sending, request),
    testSend: (request) => testSendRow(sending, request),

    start: async (request) => {
      if (session !== undefined && !session.finished) throw new UserError(`"${session.name}" is still sending. Cancel it or wait for it to finish first.`);
      if (starting) throw new UserError('A campaign is already starting.');
      starting = true;
      try {
        const s = await startCampaign(sending, request, (id, error) => {
          if (error !== undefined) deps.log.error(`campaign ${id} ended with an error`, error);
        });
        session = s;
        return { campaignId: s.id };
      } finally {
        starting = false;
      }
    },
    pause: ({ campaignId: id }) => {
      const s = sessionFor(id);
      s.pause();
      return s.snapshot();
    },
    resume: ({ campaignId: id }) => {
      const s = sessionFor(id);
      s.resume();
      return s.snapshot();
    },
    cancel: ({ campaignId: id }) => {
      const s = sessionFor(id);
      s.cancel();
      return s.snapshot();
    },

    snapshot: async ({ campaignId: id }) => {
      if (id === undefined || session?.id === id) return session?.snapshot() ?? null;
      return pastSnapshot(records, id);
    },
    rows: (request) => rows(records, request),
    history: () => history(records),
    exportReport: ({ campaignId: id, format }) => exportReport(records, id, format),
    refreshStatus: (request) => refreshStatus(records, request),
    deliveryStatus: ({ campaignId: id }) => deliveryStatus(records, id),

    openCampaignFile: async () => {
      const path = await deps.dialogs.chooseOpenPath('campaign');
      if (path === null) return null;
      return { fileName: basename(path), spec: await readCampaignFile(path) };
    },

    saveCampaignFile: async ({ spec, suggestedName }) => {
      // Refuse to write a file the app could not open again; the problems name the fields.
      const parsed = parseCampaign(spec, providers);
      const path = await deps.dialogs.chooseSavePath('campaign', suggestedName ?? `${safeFileName(parsed.name ?? 'campaign')}.campaign.json`);
      if (path === null) return { saved: false };
      await atomicWriteFile(path, `${JSON.stringify(spec, null, 2)}\n`);
      return { saved: true, fileName: basename(path) };
    },

    openSample: async () => {
      const csvName = 'sample-contacts.csv';
      const specName = 'sample-sandbox.campaign.json';
      const dataset = await datasets.loadFile(join(deps.samplesDir, csvName));
      return { dataset, fileName: specName, spec: await readCampaignFile(join(deps.samplesDir, specName)) };
    },

    openLink: async ({ url }) => {
      await deps.openLink(url);
      return null;
    },

    shutdown: async () => {
      uploads.close();
      const s = session;
      if (s !== undefined) {
        if (!s.finished) s.cancel();
        await s.done;
      }
      for (const c of sandboxes.values()) await c.transport.close().catch(() => undefined);
      sandboxes.clear();
    },
  };
  return backend;
}

