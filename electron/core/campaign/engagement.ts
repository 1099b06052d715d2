import type { WireKind } from '../../../shared/providers/types';
import { wireKinds } from '../../../shared/providers/types';
import { wireKindOf } from '../../../shared/campaign/provider-config';
import type { EngagementView, FunnelSummary } from '../../../shared/engagement/engagement-view';
import type { RowOutcome, RowStatus } from '../../../shared/engine/events';
import { funnelOf, publishesEngagement, summaryOf as funnelSummaryOf, unpublishedNote, replyTimeBuckets } from '../../../shared/engagement/funnel';
import { optOutMatcher } from '../../../shared/engagement/opt-out-words';
import { engagementSettingsOf } from '../../../shared/engagement/settings';
import { UserError } from '../../../shared/ipc/user-error';
import type { EngagementStore } from '../engagement/engagement-store';
import type { RefreshOutcome, RefreshProgress, RefreshResult } from '../engagement/refresh';
import type { RowOutcomes } from '../ports';
import { refreshEngagement } from '../engagement/refresh';
import type { CampaignSummary } from '../state/campaign-store';
import { WassistStopError } from '../wassist/client';
import { readConversation } from '../wassist/conversation-reader';
import type { Candidate } from '../engagement/refresh-schedule';
import { refreshCadenceOf, wassistClient } from './connection';
import type { StatusAccess } from './records';
import { latestOf, specOf, summaryOf } from './records';
import type { RunningRefresh, ServiceCore } from './service-core';

/**
 * A campaign's engagement in the campaign service, for every front end: the funnel as last read
 * (engagementOf, no request to the provider) and a refresh that reads it again now
 * (refreshEngagementOf). The campaign's sent rows are copied from its journal into the engagement
 * store once per run (seedOf); the refresh itself is electron/core/engagement/refresh.ts over
 * Wassist's conversation reader.
 */

/** wireOf is the wire API a stored campaign spoke. */
function wireOf(summary: CampaignSummary): WireKind {
  const spec = specOf(summary.meta.spec);
  if (spec !== undefined) return wireKindOf(spec.provider);
  const kind = summary.meta.providerKind;
  return (wireKinds as readonly string[]).includes(kind) ? (kind as WireKind) : 'wassist';
}

/** seedOf copies the campaign's sent rows into the engagement store when its journal changed since the last copy. */
async function seedOf(core: ServiceCore, id: string, summary: CampaignSummary): Promise<EngagementStore> {
  const store = await core.engagementStore();
  const version = `${summary.meta.updatedAt}|${summary.totals.sent}`;
  if (store.seededVersion(id) === version) return store;
  const latest = await latestOf(core, id);
  const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
  // Statuses an earlier version kept in the sidecar, so a campaign read before keeps them.
  const legacy = (row: number) => {
    const d = sidecar.delivery.get(row);
    const at = d === undefined ? Number.NaN : Date.parse(d.at);
    return d === undefined || Number.isNaN(at) ? undefined : { status: d.status, at };
  };
  store.seed(id, version, seedRows(latest), sidecar.delivery.size > 0 ? legacy : undefined);
  store.recount(id);
  return store;
}

/**
 * seedRows are a campaign's recorded rows as the engagement store's seed reads them: a sent row
 * whole, any other row by its status alone (the seed only drops it), so the journal's row store
 * decodes no text for the rows that were not sent.
 */
function* seedRows(latest: RowOutcomes): Generator<RowOutcome> {
  for (const row of latest.rows()) {
    const status = latest.statusOf(row) as RowStatus;
    yield status === 'sent' ? (latest.get(row) as RowOutcome) : { row, status, recipient: '', attempts: 0 };
  }
}

/** variantsOf counts the rows sent the message and the fallback template (once per run of the campaign). */
async function variantsOf(core: ServiceCore, id: string, summary: CampaignSummary): Promise<EngagementView['variants']> {
  const version = `${summary.meta.updatedAt}|${summary.totals.sent}`;
  const cached = core.variantCounts.get(id);
  if (cached !== undefined && cached.version === version) return cached.counts;
  const counts = { message: 0, fallback: 0 };
  const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
  if (sidecar.variants.size > 0) {
    const latest = await latestOf(core, id);
    for (const row of latest.rows()) if ((latest.attemptsOf(row) ?? 0) > 0) counts[sidecar.variants.get(row) ?? 'message']++;
  } else {
    counts.message = summary.totals.sent + summary.totals.failed + summary.totals.uncertain;
  }
  core.variantCounts.set(id, { version, counts });
  return counts;
}

/** engagementOf is a campaign's funnel as last read, and its refresh now (UserError when there is no such campaign). */
export async function engagementOf(core: ServiceCore, id: string): Promise<EngagementView> {
  const summary = await summaryOf(core, id);
  const wire = wireOf(summary);
  const published = publishesEngagement(wire);
  const view: EngagementView = {
    campaignId: id,
    provider: wire,
    published,
    stages: funnelOf(summary.totals.sent, undefined, published, wire),
    optedOut: null,
    optOutsListed: core.optOuts !== undefined,
    failed: null,
    notFound: 0,
    unchecked: 0,
    open: 0,
    replyTimes: replyTimeBuckets.map((b) => ({ label: b.label, count: 0 })),
    medianReplySeconds: null,
    variants: { message: 0, fallback: 0 },
    refresh: { state: 'idle', done: 0, total: 0, requests: 0, etaSeconds: null },
    unreadable: [],
  };
  if (!published) {
    view.note = unpublishedNote(wire);
    return view;
  }
  view.variants = await variantsOf(core, id, summary);
  const store = await core.engagementStoreIfAny();
  const funnel = store?.funnel(id);
  const pass = store?.pass(id);
  const read = pass?.checkedAt !== null && pass?.checkedAt !== undefined && funnel !== undefined;
  if (funnel !== undefined) {
    view.stages = funnelOf(funnel.counts.sent, read ? funnel.counts : undefined, true, wire);
    view.unchecked = funnel.unchecked;
    view.open = funnel.open;
    view.notFound = funnel.notFound;
  }
  if (read) {
    view.optedOut = funnel.counts.optedOut;
    view.failed = funnel.counts.failed;
    view.replyTimes = replyTimeBuckets.map((b, i) => ({ label: b.label, count: funnel.replyTimes[i] ?? 0 }));
    view.medianReplySeconds = funnel.medianReplySeconds;
    view.checkedAt = new Date(pass.checkedAt as number).toISOString();
  } else {
    view.note = 'Not read yet: refresh to see what became of the messages.';
  }
  const running = core.refreshes.get(id);
  if (running !== undefined) {
    const p = running.progress;
    view.refresh = { state: 'running', done: p?.done ?? 0, total: p?.total ?? 0, requests: p?.requests ?? 0, etaSeconds: p?.etaSeconds ?? null };
    if (p !== undefined) view.refresh.startedAt = new Date(p.startedAt).toISOString();
  } else if (pass !== undefined && pass.startedAt !== null) {
    view.refresh = { state: pass.finishedAt === null ? 'interrupted' : 'idle', done: pass.done, total: pass.total, requests: pass.requests, etaSeconds: null, startedAt: new Date(pass.startedAt).toISOString() };
    if (pass.error !== null) view.refresh.error = pass.error;
  }
  if (pass !== undefined) view.unreadable = pass.unreadable.slice(0, 100);
  return view;
}

/** funnelSummariesOf is every campaign's one-line funnel for the history, from what was last read. */
export async function funnelSummariesOf(core: ServiceCore, list: readonly CampaignSummary[]): Promise<Map<string, FunnelSummary>> {
  const store = await core.engagementStoreIfAny();
  const read = store?.funnels() ?? new Map();
  const out = new Map<string, FunnelSummary>();
  for (const c of list) {
    const published = publishesEngagement(wireOf(c));
    const r = read.get(c.meta.id);
    const counts = r !== undefined && r.checkedAt !== null ? r.funnel.counts : undefined;
    const sent = r?.funnel.counts.sent ?? c.totals.sent;
    out.set(c.meta.id, funnelSummaryOf(sent, counts, published, counts === undefined ? undefined : new Date(r.checkedAt).toISOString()));
  }
  return out;
}


/**
 * refreshEngagementOf reads a campaign's engagement from its provider now (see refresh.ts): only
 * conversations whose outcome can still change, at the polite pace, resuming a refresh cut short.
 * A second call while one runs joins it. A campaign of an API that publishes no engagement answers
 * its funnel without a request.
 */
export function refreshEngagementOf(core: ServiceCore, id: string, access: StatusAccess, onProgress?: (p: RefreshProgress) => void): Promise<RefreshOutcome> {
  const running = core.refreshes.get(id);
  if (running !== undefined) {
    if (onProgress !== undefined) running.listeners.add(onProgress);
    return running.done;
  }
  const entry: RunningRefresh = { progress: undefined, listeners: new Set(onProgress === undefined ? [] : [onProgress]), done: Promise.resolve({} as RefreshOutcome) };
  entry.done = run(core, id, access, (p) => {
    entry.progress = p;
    for (const l of entry.listeners) l(p);
  })
    .finally(() => core.refreshes.delete(id))
    .then(async (result) => ({ result, view: await engagementOf(core, id) }));
  core.refreshes.set(id, entry);
  return entry.done;
}

async function run(core: ServiceCore, id: string, access: StatusAccess, onProgress: (p: RefreshProgress) => void): Promise<RefreshResult | undefined> {
  const live = core.live;
  const stillSending = new UserError('This campaign is still sending. Refresh its engagement once it has finished.');
  if (live?.id === id) {
    if (!live.finished) throw stillSending;
    await live.done; // its last status has gone out; its journal is being closed
  }
  const summary = await summaryOf(core, id);
  if (summary.running) throw stillSending;
  if (!publishesEngagement(wireKindOf(access.spec.provider))) return undefined;
  const store = await seedOf(core, id, summary);
  const connection = core.connect(access.spec);
  try {
    const client = wassistClient(access.spec, access.apiKey, connection, core.clock, { adaptive: true });
    const settings = engagementSettingsOf(access.spec);
    const matcher = optOutMatcher(settings.optOutWords);
    const optOuts = core.optOuts;
    // A phone campaign knows each row's number: an opt-out goes on the list by it too.
    const sidecar = await core.sidecars.get(id, core.store.campaignDir(id));
    return await refreshEngagement({
      campaignId: id,
      campaignName: summary.meta.name,
      store,
      settings,
      clock: core.clock,
      read: (conversationId, targets) => readConversation(client, conversationId, targets, matcher),
      stops: (e) => e instanceof WassistStopError,
      describe: (e) => client.redact(e instanceof Error ? e.message : String(e)),
      requests: () => client.requests,
      perSecond: () => client.pace().perSecond,
      ...(optOuts === undefined ? {} : { recordOptOuts: (entries) => optOuts.add(entries) }),
      phoneOf: (row) => sidecar.phones.get(row),
      onProgress,
    });
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** refreshCandidatesOf lists the campaigns the desktop's automatic refresh may read (refresh-schedule.ts). */
export async function refreshCandidatesOf(core: ServiceCore): Promise<Candidate[]> {
  const list = await core.store.list();
  const store = await core.engagementStoreIfAny();
  const out: Candidate[] = [];
  for (const c of list) {
    if (c.running || c.totals.sent === 0 || core.live?.id === c.meta.id && !core.live.finished) continue;
    const spec = specOf(c.meta.spec);
    const cadence = spec !== undefined && publishesEngagement(wireKindOf(spec.provider)) ? refreshCadenceOf(spec) : undefined;
    const pass = store?.pass(c.meta.id);
    out.push({
      id: c.meta.id,
      endedAt: Date.parse(c.meta.updatedAt),
      cadence,
      lastRefreshAt: pass?.startedAt ?? undefined,
      interrupted: pass !== undefined && pass.startedAt !== null && pass.finishedAt === null,
    });
  }
  return out;
}
