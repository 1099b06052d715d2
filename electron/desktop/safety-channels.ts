import { basename, join } from 'node:path';
import { parseCampaign } from '../../shared/campaign/schema';
import type { ResponseOf, ScheduleView } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import type { JsonObject } from '../../shared/json';
import { InputError } from '../../shared/problems';
import { providers } from '../../shared/providers/index';
import type { Campaign } from '../core/campaign/campaign';
import type { Confirm } from '../core/campaign/launch';
import { specOf } from '../core/campaign/records';
import type { Run } from '../core/campaign/run';
import type { Scheduler } from '../core/campaign/scheduler';
import type { OptOutEntry } from '../core/workspace/opt-out-list';
import type { Schedule } from '../core/workspace/schedules';
import type { DesktopBackend } from '../ipc/backend';
import type { ContactsImports } from './imports';
import type { DesktopDeps } from './ports';
import type { CampaignRequest } from './profiles';
import { effectiveSpec } from './profiles';

/**
 * The desktop channels of audience safety, over the campaign service: the opt-out list and the
 * frequency cap (the Settings page), scheduled starts (the Send step; main starts them when they
 * fall due, also after the app was closed and opened again) and "Retry failed rows" (the report).
 */

type SafetyChannels = Pick<
  DesktopBackend,
  | 'optout:list'
  | 'optout:add'
  | 'optout:remove'
  | 'optout:import'
  | 'optout:export'
  | 'workspace:settings'
  | 'workspace:setFrequencyCap'
  | 'schedule:list'
  | 'schedule:create'
  | 'schedule:change'
  | 'schedule:cancel'
  | 'campaign:failedRows'
  | 'campaign:retryFailed'
>;

/** SafetyHelpers are the backend's own helpers these channels share. */
export interface SafetyHelpers {
  imports: ContactsImports;
  /** Opens the campaign a request names (dataset, campaign, profile), the key read as sending needs it. */
  open(r: CampaignRequest): Promise<Campaign>;
  /** Starts a run of an opened campaign and streams its status to the window; answers the run. */
  launch(campaign: Campaign, start: () => Promise<Run>): Promise<Run>;
  /** The question main asks before anything of `campaign` goes out (its own dialog; see StartOptions.confirm). */
  confirm(campaign: Campaign, scheduledAt?: number): Confirm;
}

/** ScheduleRequest is what a desktop schedule keeps to start later: the workspace's copy of the contacts, the campaign, the profile. */
interface ScheduleRequest extends JsonObject {
  csvHash: string;
  csvName: string;
  delimiter: string;
  spec: JsonObject;
  profileId: string;
  skipInvalid: boolean;
  fresh: boolean;
}

function entryView(e: OptOutEntry): ResponseOf<'optout:list'>['entries'][number] {
  return { key: e.key, kind: e.kind, value: e.value, optedOutAt: new Date(e.createdAt).toISOString(), source: e.source, reason: e.reason, origin: e.origin };
}

function scheduleView(s: Schedule): ScheduleView {
  const r = s.request as Partial<ScheduleRequest>;
  const view: ScheduleView = {
    id: s.id,
    name: s.name,
    dueAt: new Date(s.dueAt).toISOString(),
    createdAt: new Date(s.createdAt).toISOString(),
    state: s.state,
    csvName: typeof r.csvName === 'string' ? r.csvName : '',
    profileId: typeof r.profileId === 'string' ? r.profileId : '',
    note: s.note,
  };
  if (s.campaignId !== undefined) view.campaignId = s.campaignId;
  if (s.startedAt !== undefined) view.startedAt = new Date(s.startedAt).toISOString();
  return view;
}

/** createSafetyChannels builds the channels and the scheduler (begun here: due schedules start from now on). */
export function createSafetyChannels(deps: DesktopDeps, h: SafetyHelpers): { channels: SafetyChannels; scheduler: Scheduler } {
  const { service, vault } = deps;
  const admin = service.audience;
  const settings = () => ({ frequencyCap: admin.settings().frequencyCap, optOutCount: admin.settings().optOutCount });

  /** openStored reopens a campaign from the workspace: its contacts by hash, its campaign, bound to a profile, with the key. */
  const openStored = async (csv: { hash: string; name: string; delimiter?: string }, rawSpec: unknown, profileId: string): Promise<Campaign> => {
    const profile = vault.profile(profileId);
    const spec = effectiveSpec(parseCampaign(rawSpec, providers), profile);
    const delimiter = csv.delimiter === ',' || csv.delimiter === ';' || csv.delimiter === '\t' || csv.delimiter === '|' ? csv.delimiter : undefined;
    return service.open(
      { path: join(deps.contactsDir, `${csv.hash}.csv`), name: csv.name, hash: csv.hash, ...(delimiter === undefined ? {} : { options: { delimiter } }) },
      { spec, apiKey: vault.getKey(profileId) ?? '', accountId: profileId, accountName: profile.name },
    );
  };

  const scheduler = service.scheduler({
    start: async (s) => {
      const r = s.request as ScheduleRequest;
      const campaign = await openStored({ hash: r.csvHash, name: r.csvName, delimiter: r.delimiter }, r.spec, r.profileId);
      const run = await h.launch(campaign, () => service.start(campaign, { skipInvalid: r.skipInvalid, fresh: r.fresh }));
      return run.id;
    },
    announce: (s) => {
      const title = s.state === 'started' ? `Scheduled campaign started: ${s.name}` : `Scheduled campaign did not start: ${s.name}`;
      deps.log.info(`schedule ${s.id} ${s.state}: ${s.note}`);
      deps.notify?.(title, s.note);
    },
  });
  scheduler.begin();

  const schedule = (id: string): Schedule => {
    const s = service.schedules.get(id);
    if (s === undefined) throw new UserError('There is no such scheduled start.');
    return s;
  };

  const channels: SafetyChannels = {
    'optout:list': ({ search, offset, limit }) => {
      const page = admin.page(offset, limit, search);
      return { total: page.total, count: admin.settings().optOutCount, entries: page.entries.map(entryView) };
    },
    'optout:add': ({ values, kind, reason, defaultCountry }) => admin.add(values, { kind, ...(reason === undefined ? {} : { reason }), ...(defaultCountry === undefined ? {} : { defaultCountry }) }),
    'optout:remove': ({ keys }) => admin.remove(keys),
    'optout:import': async (r) => {
      const d = h.imports.get(r.datasetId);
      return admin.import({
        path: d.path,
        name: d.name,
        column: r.column,
        csv: { delimiter: d.delimiter },
        skipInvalid: r.skipInvalid === true,
        ...(r.kind === undefined ? {} : { kind: r.kind }),
        ...(r.reason === undefined ? {} : { reason: r.reason }),
        ...(r.defaultCountry === undefined ? {} : { defaultCountry: r.defaultCountry }),
      });
    },
    'optout:export': async () => {
      const path = await deps.dialogs.chooseSavePath('optouts', 'opt-out-list.csv');
      if (path === null) return { saved: false };
      return { saved: true, fileName: basename(path), count: await admin.export(path) };
    },
    'workspace:settings': () => settings(),
    'workspace:setFrequencyCap': async ({ frequencyCap }) => {
      await admin.setFrequencyCap(frequencyCap);
      return settings();
    },
    'schedule:list': () => service.schedules.list().map(scheduleView),
    'schedule:create': async (r) => {
      const at = Date.parse(r.at);
      const campaign = await h.open(r);
      try {
        if (!campaign.canLookUp) throw new UserError('The profile has no API key. Set it in Settings before scheduling the campaign.');
        const v = await campaign.validate();
        if (v.errorCount > 0 && !r.skipInvalid) throw new InputError(v.problems.filter((p) => p.severity === 'error'));
        // The person agrees now, in main's own dialog: when it falls due the run starts without asking (nobody may be there).
        if (!(await h.confirm(campaign, at)({ recipients: v.sendable, test: false }))) throw new UserError('Nothing was scheduled: the campaign was not confirmed.');
        const d = h.imports.get(r.datasetId);
        const request: ScheduleRequest = { csvHash: d.hash, csvName: d.name, delimiter: d.delimiter, spec: r.spec as JsonObject, profileId: r.profileId, skipInvalid: r.skipInvalid, fresh: r.fresh === true };
        const made = service.schedules.create(campaign.spec.name ?? d.name, at, request);
        scheduler.wake();
        return scheduleView(made);
      } finally {
        await campaign.close();
      }
    },
    'schedule:change': ({ id, at }) => {
      if (!service.schedules.change(id, Date.parse(at))) throw new UserError(`This schedule has ${schedule(id).state === 'cancelled' ? 'been cancelled' : 'already started'}; it can no longer be changed.`);
      scheduler.wake();
      return scheduleView(schedule(id));
    },
    'schedule:cancel': ({ id }) => {
      if (!service.schedules.cancel(id) && schedule(id).state !== 'cancelled') throw new UserError('This schedule has already started; cancel the campaign from its progress instead.');
      scheduler.wake();
      return scheduleView(schedule(id));
    },
    'campaign:failedRows': ({ campaignId }) => service.failedRows(campaignId),
    'campaign:retryFailed': async ({ campaignId, errorKinds, profileId }) => {
      const summary = await service.summary(campaignId);
      if (specOf(summary.meta.spec) === undefined) throw new UserError("This campaign's settings can no longer be read, so its failed rows cannot be retried.");
      const hash = summary.meta.csvHash;
      if (hash === undefined) throw new UserError('The contacts of this campaign are not kept in the workspace; send it again from its file.');
      const pid = profileId ?? summary.meta.profileId;
      if (pid === undefined) throw new UserError('Choose the profile to send the retry with.');
      // The stored campaign is bound to the account it was sent with; it binds to `pid` again as a campaign file would.
      const campaign = await openStored({ hash, name: summary.meta.csvFileName, ...(summary.meta.csvDelimiter === undefined ? {} : { delimiter: summary.meta.csvDelimiter }) }, summary.meta.spec, pid);
      const run = await h.launch(campaign, async () => {
        const r = await service.retryFailedOf(campaignId, campaign, { confirm: h.confirm(campaign), ...(errorKinds === undefined ? {} : { errorKinds }) });
        if ('nothing' in r) throw new UserError(r.nothing);
        return r.run;
      });
      return { campaignId: run.id };
    },
  };
  return { channels, scheduler };
}
