import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ProviderConfig } from '../../../shared/campaign/schema';
import { parseCampaign } from '../../../shared/campaign/schema';
import type { CampaignSummary as CampaignSummaryView, Profile, Snapshot } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { InputError } from '../../../shared/problems';
import type { JsonObject } from '../../../shared/json';
import { providers } from '../../../shared/providers/index';
import { prepareRow } from '../../../shared/campaign/prepare';
import type { BackendRequest, DesktopBackend } from '../../ipc/backend';
import { MAX_PROBLEMS } from '../../ipc/errors';
import { MemoryJournal } from '../ports';
import type { EngineJob } from '../engine/engine';
import { createEngine, jobsFor, tableSource } from '../campaign-runner';
import { writeReportFile } from '../report-writer';
import { sandboxBaseUrl } from '../sandbox/sandbox-transport';
import { atomicWriteFile } from '../state/atomic-write';
import { campaignId } from '../state/campaign-id';
import { CampaignLockedError } from '../state/lock';
import type { Dataset } from './datasets';
import { DatasetStore } from './datasets';
import type { DesktopDeps } from './ports';
import type { PreparedCampaign } from './prepare';
import { prepareCampaign, preview, validate } from './prepare';
import { CampaignSession, pageRows } from './session';
import { scanJournal } from '../state/journal-reader';
import { readCampaignFile, safeFileName } from './campaign-files';

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

function baseUrlOf(provider: ProviderConfig): string {
  return provider.kind === 'sandbox' ? sandboxBaseUrl : provider.baseUrl;
}

/** createDesktopBackend builds the backend over its dependencies. */
export function createDesktopBackend(deps: DesktopDeps): DesktopBackendHandle {
  const datasets = new DatasetStore();
  let session: CampaignSession | undefined;
  let starting = false;

  const profileOf = (id: string | undefined): Profile | undefined => (id === undefined ? undefined : deps.vault.profile(id));
  const prepare = (datasetId: string, spec: unknown, profileId: string | undefined): PreparedCampaign =>
    prepareCampaign(spec, datasets.get(datasetId), profileOf(profileId));

  const sessionFor = (id: string): CampaignSession => {
    if (session === undefined || session.id !== id) throw new UserError('That campaign is not running in this window any more.');
    return session;
  };

  const start = async ({ datasetId, spec, profileId, skipInvalid, fresh }: BackendRequest<'campaign:start'>): Promise<{ campaignId: string }> => {
    const profile = deps.vault.profile(profileId);
    const p = prepareCampaign(spec, datasets.get(datasetId), profile);
    const checked = await validate(p, MAX_PROBLEMS);
    if (checked.errorCount > 0 && !skipInvalid) throw new InputError(checked.problems.filter((x) => x.severity === 'error'));
    const apiKey = deps.vault.getKey(profileId) ?? '';
    const base = campaignId(p.dataset.hash, p.spec as unknown as JsonObject);
    const id = await deps.campaigns.resolveId(base, { fresh: fresh === true });
    let campaign;
    try {
      campaign = await deps.campaigns.open(id, {
        csvFileName: p.dataset.name,
        csvHash: p.dataset.hash,
        providerKind: p.spec.provider.kind,
        rowCount: checked.rowCount,
        spec: p.spec,
      });
    } catch (e) {
      if (e instanceof CampaignLockedError) throw new UserError('This campaign is being sent by another window or the command line. Wait for it to finish.');
      throw e;
    }
    session = new CampaignSession({
      campaign,
      spec: p.spec,
      provider: p.compiled.provider,
      baseUrl: baseUrlOf(p.spec.provider),
      apiKey,
      transport: deps.transportFor(p.spec, deps.clock),
      clock: deps.clock,
      timer: deps.timer,
      profileName: profile.name,
      jobs: jobsFor(p.compiled, tableSource(p.dataset.table), checked.invalid),
      total: checked.rowCount,
      send: deps.emit,
      onDone: (error) => {
        if (error !== undefined) deps.log.error(`campaign ${id} ended with an error`, error);
      },
    });
    return { campaignId: id };
  };

  const datasetForReport = async (id: string): Promise<{ dataset: Dataset; name: string }> => {
    const summary = await deps.campaigns.get(id);
    if (summary === undefined) throw new UserError('There is no campaign with that id.');
    const hash = summary.meta.csvHash;
    const dataset = hash === undefined ? undefined : datasets.byHash(hash);
    if (dataset === undefined) {
      throw new UserError(`To export this report, import the CSV it was sent from (${summary.meta.csvFileName}) again, then export.`);
    }
    return { dataset, name: summary.meta.name };
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
    openCsv: async () => {
      const path = await deps.dialogs.chooseOpenPath('csv');
      if (path === null) return null;
      return datasets.load(basename(path), await readFile(path));
    },

    validate: async ({ datasetId, spec, profileId, problemLimit }) => validate(prepare(datasetId, spec, profileId), problemLimit),
    preview: ({ datasetId, spec, profileId, row }) => {
      const p = prepare(datasetId, spec, profileId);
      return preview(p, row, baseUrlOf(p.spec.provider));
    },

    testSend: async ({ datasetId, spec, profileId, row }) => {
      const p = prepare(datasetId, spec, profileId);
      const shown = preview(p, row, baseUrlOf(p.spec.provider));
      if (shown.problems.some((x) => x.severity === 'error')) throw new InputError(shown.problems.filter((x) => x.severity === 'error'));
      const apiKey = deps.vault.getKey(profileId) ?? '';
      const transport = deps.transportFor(p.spec, deps.clock);
      const engine = createEngine({
        spec: { ...p.spec, throttle: { concurrency: 1, perSecond: 1 }, retry: { ...p.spec.retry, attempts: 1 } },
        apiKey,
        connection: { transport, baseUrl: baseUrlOf(p.spec.provider) },
        journal: new MemoryJournal(),
        clock: deps.clock,
        onEvent: () => undefined,
      });
      const prepared = prepareRow(p.compiled, row, p.dataset.table.records[row - 1]?.fields ?? []);
      const job: EngineJob = { row, recipient: prepared.recipient, request: prepared.request };
      try {
        const summary = await engine.run([job], 1);
        const outcome = (await summary.outcomes()).get(row);
        if (summary.reason === 'stopped' && summary.stopReason !== undefined && outcome?.status !== 'sent') throw new UserError(summary.stopReason);
        return outcome ?? { row, status: 'pending', recipient: shown.recipient, attempts: 0 };
      } finally {
        await transport.close().catch(() => undefined);
      }
    },

    start: async (request) => {
      if (session !== undefined && !session.finished) throw new UserError(`"${session.name}" is still sending. Cancel it or wait for it to finish first.`);
      if (starting) throw new UserError('A campaign is already starting.');
      starting = true;
      try {
        return await start(request);
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
      const summary = await deps.campaigns.get(id);
      if (summary === undefined) return null;
      const t = summary.totals;
      const snap: Snapshot = {
        campaignId: id,
        name: summary.meta.name,
        state: summary.running ? 'running' : 'finished',
        totals: t,
        ratePerSecond: 0,
        etaSeconds: null,
        profileName: '',
      };
      if (!summary.running && t.pending + t.inFlight > 0) snap.finishReason = 'stopped';
      else if (!summary.running) snap.finishReason = 'completed';
      return snap;
    },

    rows: async ({ campaignId: id, offset, limit, status }) => {
      if (session?.id === id) return session.rows(offset, limit, status);
      const summary = await deps.campaigns.get(id);
      if (summary === undefined) throw new UserError('There is no campaign with that id.');
      const scan = await scanJournal(join(deps.campaigns.campaignDir(id), 'journal.log'));
      return pageRows(scan.latest, summary.meta.rowCount, offset, limit, status);
    },

    history: async () => {
      const list = await deps.campaigns.list();
      return list.map((c): CampaignSummaryView => {
        const t = c.totals;
        let state: CampaignSummaryView['state'] = t.pending + t.inFlight > 0 ? 'interrupted' : 'finished';
        const live = session?.id === c.meta.id ? session.snapshot().state : undefined;
        if (live === 'paused') state = 'paused';
        else if (c.running && live !== 'finished') state = 'running';
        return {
          campaignId: c.meta.id,
          name: c.meta.name,
          csvName: c.meta.csvFileName,
          providerKind: c.meta.providerKind,
          createdAt: c.meta.createdAt,
          updatedAt: c.meta.updatedAt,
          totals: t,
          state,
        };
      });
    },

    exportReport: async ({ campaignId: id }) => {
      const { dataset, name } = await datasetForReport(id);
      const path = await deps.dialogs.chooseSavePath('report', `${safeFileName(name)}-report.csv`);
      if (path === null) return { saved: false };
      const live = session?.id === id ? session : undefined;
      const latest = live === undefined ? (await scanJournal(join(deps.campaigns.campaignDir(id), 'journal.log'))).latest : undefined;
      const outcomeOf = (row: number) => (live !== undefined ? live.outcomeOf(row) : latest?.get(row));
      await writeReportFile(path, dataset.table.headers, dataset.table.records, outcomeOf);
      return { saved: true, fileName: basename(path) };
    },

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
      const dataset = datasets.load(csvName, await readFile(join(deps.samplesDir, csvName)));
      return { dataset, fileName: specName, spec: await readCampaignFile(join(deps.samplesDir, specName)) };
    },

    openLink: async ({ url }) => {
      await deps.openLink(url);
      return null;
    },

    shutdown: async () => {
      const s = session;
      if (s === undefined) return;
      if (!s.finished) s.cancel();
      await s.done;
    },
  };
  return backend;
}

