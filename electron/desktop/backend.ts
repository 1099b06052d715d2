import { basename, join } from 'node:path';
import { parseCampaign } from '../../shared/campaign/schema';
import type { LookupErrorView, ValidationReport } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import { providers } from '../../shared/providers/index';
import { DEFAULT_EXPORT_FORMAT, reportExtension } from '../../shared/report/report-format';
import { readCampaignJson } from '../core/campaign/campaign-file';
import type { Lookup } from '../core/campaign/recipients';
import { describeLookup, LookupError } from '../core/campaign/recipients';
import type { Campaign } from '../core/campaign/campaign';
import type { Confirm } from '../core/campaign/launch';
import { ContactsError } from '../core/campaign/service';
import type { Run } from '../core/campaign/run';
import { statusesOf } from '../core/campaign/run';
import { atomicWriteFile } from '../core/state/atomic-write';
import { CampaignLockedError } from '../core/state/lock';
import type { DesktopBackend } from '../ipc/backend';
import { backupChannel } from './backup-channel';
import { engagementChannels } from './engagement-channels';
import { ContactsImports } from './imports';
import { PickedFiles } from './picked-files';
import type { DesktopDeps } from './ports';
import { openRequested } from './profiles';
import { createSafetyChannels } from './safety-channels';
import { contactsBlocked, dismissInterruption, filesBlocked, interruptedCampaigns, readSpec, resumeAccount, ResumeBlockedError } from './interrupted';
import { StatusBatcher } from './status-batcher';
import { routeView, validationReport } from './views';

/**
 * The desktop backend: what every IPC channel does, in a few lines each, over the campaign service
 * (the same one the CLI runs), the key vault, the workspace's imports and the dialogs. Keys are read
 * from the vault here, in main, handed to the service, and go nowhere else.
 */

/** DesktopBackendHandle is the backend plus what the composition root needs at quit. */
export interface DesktopBackendHandle extends DesktopBackend {
  /** shutdown stops the running campaign (rows not yet sent stay pending) and closes its journal. */
  shutdown(): Promise<void>;
}

/** lookupErrorOf is a failed lookup as the window shows it, next to the field when there is one. */
function lookupErrorOf(e: UserError): LookupErrorView {
  return e instanceof LookupError && e.field !== undefined ? { message: e.message, field: e.field } : { message: e.message };
}

/** createDesktopBackend builds the backend over its dependencies. */
export function createDesktopBackend(deps: DesktopDeps): DesktopBackendHandle {
  const { service, vault } = deps;
  const imports = new ContactsImports(deps.contactsDir);
  const engagement = engagementChannels(deps);
  if (deps.autoRefresh !== false) engagement.scheduler.start();
  const picks = new PickedFiles();
  const open = (r: Parameters<typeof openRequested>[3], strictKey = false) => openRequested(service, vault, imports, r, picks.root(), strictKey);
  const live = (id: string): Run => {
    const run = service.live(id);
    if (run === undefined) throw new UserError('That campaign is not running in this window any more.');
    return run;
  };
  /**
   * confirmWith asks the person in main's own dialog before anything of `campaign` goes out (the
   * renderer's confirmation can be skipped by a compromised page; this one cannot).
   */
  const confirmWith =
    (campaign: Campaign, scheduledAt?: number): Confirm =>
    ({ recipients, test, files }) =>
      deps.dialogs.confirmSend({
        action: campaign.spec.action ?? 'send',
        test,
        campaignName: campaign.spec.name ?? campaign.contacts.name,
        profileName: campaign.input.accountName ?? '',
        recipients,
        ...(files === undefined ? {} : { attachments: files }),
        ...(scheduledAt === undefined ? {} : { scheduledAt: new Date(scheduledAt).toISOString() }),
      });
  /** stream sends a run's progress to the window, batched, until it ends. */
  const stream = (run: Run) => {
    const maxRow = run.rowList?.at(-1);
    const batcher = new StatusBatcher({
      campaignId: run.id,
      total: run.total,
      ...(maxRow === undefined ? {} : { maxRow }),
      initial: statusesOf(run.latest()),
      outcomeOf: (row) => run.outcomeOf(row),
      waiting: () => run.waiting(),
      send: deps.emit,
      timer: deps.timer,
    });
    run.onEvent((e) => batcher.push(e));
    // Its checks on waiting rows end with the run (as they do at its `finished` event).
    const stop = () => batcher.stopChecking();
    void run.done.then(stop, stop);
  };
  /** launch starts a run of an opened campaign (closing it when the start fails or the run ends) and streams it. */
  const launch = async (campaign: Campaign, start: () => Promise<Run>): Promise<Run> => {
    let run: Run;
    try {
      run = await start();
    } catch (e) {
      await campaign.close();
      if (e instanceof CampaignLockedError) throw new UserError('This campaign is being sent by another window or the command line. Wait for it to finish.');
      throw e;
    }
    stream(run);
    void run.done.then(async (ended) => {
      if ('error' in ended) deps.log.error(`campaign ${run.id} ended with an error`, ended.error);
      await campaign.close();
    });
    return run;
  };
  const safety = createSafetyChannels(deps, { imports, open: (r) => open(r, true), launch, confirm: confirmWith });

  return {
    'profiles:list': () => vault.list(),
    'profiles:save': (p) => vault.save(p),
    'profiles:remove': ({ id }) => {
      vault.remove(id);
      return null;
    },
    'keys:set': ({ profileId, key, acceptObfuscation }) => vault.setKey(profileId, key, acceptObfuscation ?? false),
    'keys:clear': ({ profileId }) => vault.clearKey(profileId),
    'vault:info': () => vault.info(),
    'csv:begin': ({ name, size, delimiter }) => imports.begin(name, size, delimiter),
    'csv:append': ({ uploadId, offset, bytes }) => imports.append(uploadId, offset, bytes),
    'csv:finish': ({ uploadId }) => imports.finish(uploadId),
    'csv:abort': ({ uploadId }) => imports.abort(uploadId),
    'csv:open': async () => {
      const path = await deps.dialogs.chooseOpenPath('csv');
      return path === null ? null : imports.importFile(path);
    },
    'attachments:pick': async ({ kind }) => {
      const path = await deps.dialogs.chooseOpenPath(kind === 'file' ? 'attachment' : 'attachment-folder');
      if (path === null) return { ...picks.view(), picked: false };
      if (kind === 'file') await picks.addFile(path);
      else await picks.setFolder(path);
      return { ...picks.view(), picked: true, name: basename(path) };
    },
    'attachments:list': () => picks.view(),
    'attachments:clear': () => {
      picks.clear();
      return picks.view();
    },
    'campaign:validate': async (r) => {
      const campaign = await open(r);
      try {
        const limit = r.problemLimit ?? 1_000;
        const override = campaign.spec.audience?.ignoreOptOuts;
        const offline = () => campaign.validate(limit).then((v) => validationReport(v, campaign.plan.phone !== undefined, limit, override));
        let report: ValidationReport;
        let lookup: Lookup | undefined;
        if (!campaign.needsLookup) report = await offline();
        else if (!campaign.canLookUp) {
          report = { ...(await offline()), routeNote: 'Conversations are looked up when sending. Set the API key of the profile to look them up now and see which rows take the fallback or are skipped.' };
        } else {
          try {
            // Once the conversations are known, every row is judged by what it will actually send.
            lookup = await campaign.lookUp({ problemLimit: limit });
            report = lookup === undefined ? await offline() : { ...validationReport(lookup.validation, campaign.plan.phone !== undefined, limit, override), routes: routeView(lookup.routes), routeNote: describeLookup(lookup) };
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            report = { ...(await offline()), routeNote: e.message, lookupError: lookupErrorOf(e) };
          }
        }
        // What a start would really send: a start resumes the latest run of this same campaign.
        const earlier = await campaign.earlierRun(lookup);
        if (earlier !== undefined) report.earlierRun = earlier;
        return report;
      } finally {
        await campaign.close();
      }
    },
    'campaign:preview': async (r) => {
      const campaign = await open(r);
      try {
        if (!campaign.needsLookup || !campaign.canLookUp) return await campaign.preview(r.row);
        try {
          return await campaign.preview(r.row, await campaign.lookUpRow(r.row));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          const shown = await campaign.preview(r.row);
          return { ...shown, route: `${shown.route ?? ''} ${e.message}`.trim(), lookupError: lookupErrorOf(e) };
        }
      } finally {
        await campaign.close();
      }
    },
    'campaign:testSend': async (r) => {
      const campaign = await open(r, true);
      try {
        return await campaign.testSend(r.row, confirmWith(campaign));
      } finally {
        await campaign.close();
      }
    },
    'campaign:start': async (r) => {
      const campaign = await open(r, true);
      const run = await launch(campaign, () => service.start(campaign, { skipInvalid: r.skipInvalid, fresh: r.fresh === true, confirm: confirmWith(campaign) }));
      return { campaignId: run.id };
    },
    'campaign:pause': ({ campaignId }) => {
      const run = live(campaignId);
      run.pause();
      return run.snapshot();
    },
    'campaign:resume': ({ campaignId }) => {
      const run = live(campaignId);
      run.resume();
      return run.snapshot();
    },
    'campaign:cancel': ({ campaignId }) => {
      const run = live(campaignId);
      run.cancel();
      return run.snapshot();
    },
    'campaign:snapshot': async ({ campaignId }) => (campaignId === undefined ? (service.live()?.snapshot() ?? null) : service.snapshot(campaignId)),
    'campaign:rows': ({ campaignId, offset, limit, status }) => service.rows(campaignId, offset, limit, status),
    'campaign:history': () => service.history(),
    'campaign:interrupted': ({ includeDismissed }) => interruptedCampaigns(service, vault, deps.settings, includeDismissed === true),
    'campaign:resumeInterrupted': async ({ campaignId, datasetId }) => {
      const standing = await service.standing(campaignId);
      if (standing.summary.state === 'finished') throw new UserError(`"${standing.summary.name}" has finished: nothing is left to send.`);
      const account = resumeAccount(vault, readSpec(standing), standing.meta.profileId, true);
      const dataset = datasetId === undefined ? undefined : imports.get(datasetId);
      const contacts = dataset === undefined ? {} : { contacts: { path: dataset.path, name: dataset.name, hash: dataset.hash } };
      let campaign: Campaign;
      try {
        campaign = await service.reopen(campaignId, { ...account, ...contacts, sentPath: false, files: picks.root() });
      } catch (e) {
        if (e instanceof ContactsError && e.kind === 'missing') throw new ResumeBlockedError(contactsBlocked(e.fileName, e.path));
        throw e;
      }
      const files = await filesBlocked(campaign).catch(async (e: unknown) => {
        await campaign.close();
        throw e;
      });
      if (files !== undefined) {
        await campaign.close();
        throw new ResumeBlockedError(files);
      }
      const run = await launch(campaign, () => service.start(campaign, { confirm: confirmWith(campaign) }));
      return { campaignId: run.id };
    },
    'campaign:dismissInterrupted': async ({ campaignId }) => {
      await dismissInterruption(service, deps.settings, campaignId);
      return null;
    },
    'campaign:exportReport': async ({ campaignId, format = DEFAULT_EXPORT_FORMAT }) => {
      const summary = await service.summary(campaignId);
      const path = await deps.dialogs.chooseSavePath('report', `${safeFileName(summary.meta.name)}-report.${reportExtension(format)}`);
      if (path === null) return { saved: false };
      await service.writeReport(campaignId, path, { format });
      return { saved: true, fileName: basename(path) };
    },
    ...engagement.channels,
    'campaign:openFile': async () => {
      const path = await deps.dialogs.chooseOpenPath('campaign');
      if (path === null) return null;
      return { fileName: basename(path), spec: await readCampaignJson(path) };
    },
    'campaign:saveFile': async ({ spec, suggestedName }) => {
      // Refuse to write a file the app could not open again; the problems name the fields.
      const parsed = parseCampaign(spec, providers);
      const path = await deps.dialogs.chooseSavePath('campaign', suggestedName ?? `${safeFileName(parsed.name ?? 'campaign')}.campaign.json`);
      if (path === null) return { saved: false };
      await atomicWriteFile(path, `${JSON.stringify(spec, null, 2)}\n`);
      return { saved: true, fileName: basename(path) };
    },
    'app:openSample': async () => {
      const dataset = await imports.importFile(join(deps.samplesDir, 'sample-contacts.csv'));
      const fileName = 'sample-sandbox.campaign.json';
      return { dataset, fileName, spec: await readCampaignJson(join(deps.samplesDir, fileName)) };
    },
    'app:openExternal': async ({ url }) => {
      await deps.openLink(url);
      return null;
    },
    ...safety.channels,
    ...backupChannel(deps),
    shutdown: async () => {
      engagement.scheduler.stop();
      await safety.scheduler.stop();
      await imports.close();
      await service.close();
    },
  };
}

/** safeFileName turns a campaign name into a file name that works on every system. */
export function safeFileName(name: string): string {
  let cleaned = '';
  for (const ch of name) cleaned += ch.charCodeAt(0) < 0x20 || '<>:"/\\|?*'.includes(ch) ? ' ' : ch;
  cleaned = cleaned.replace(/\s+/g, ' ').trim().slice(0, 80);
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'campaign' : cleaned;
}
