import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import type { CampaignSummary as CampaignSummaryView } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { campaignId, runIdOf } from '../state/campaign-id';
import type { CampaignMeta } from '../state/campaign-meta';
import type { CampaignSummary } from '../state/campaign-store';
import type { CampaignInput } from './campaign';
import { Campaign } from './campaign';
import type { ContactsInput } from './contacts';
import { ContactsFile } from './contacts';
import { historyRowOf, specOf, summaryOf } from './records';
import type { ServiceCore } from './service-core';

/**
 * Reopening a campaign from the workspace, to resume it after a crash or a quit without importing
 * its contacts and rebuilding its message again: the campaign comes from its meta.json (the spec it
 * was sent with, bound to its account), the contacts from the workspace's copy (the desktop's
 * imports) or from the user's own file (the CLI's, by the path it was sent from or one given),
 * checked against the hash the campaign was sent with. The campaign's id is the hash of both, so a
 * start of the reopened campaign resumes that very run, under the engine's resume rules.
 */

/** ReopenOptions are the account to send with and, optionally, where the contacts are. */
export interface ReopenOptions extends Omit<CampaignInput, 'spec'> {
  /**
   * The contacts file, checked against the campaign's hash (the CLI's `--contacts`, a file the
   * desktop imported again). Default: the workspace's copy, else the path the campaign was sent from.
   */
  contacts?: ContactsInput;
  /**
   * Read the user's own file at the path the campaign was sent from when the workspace has no copy
   * (default true: the CLI). The desktop app reads only what was imported into it.
   */
  sentPath?: boolean;
}

/**
 * ContactsError: the contacts a campaign was sent to cannot be read as they were: `missing` (neither
 * in the workspace nor where they were sent from) or `different` (the file given has other content).
 */
export class ContactsError extends UserError {
  readonly kind: 'missing' | 'different';
  /** The file name the person knows the contacts by. */
  readonly fileName: string;
  /** Where the campaign was sent from, when it was the user's own file. */
  readonly path: string | undefined;
  constructor(kind: ContactsError['kind'], fileName: string, path: string | undefined, given?: string) {
    super(
      kind === 'missing'
        ? `The contacts this campaign was sent to (${fileName}) are not in the workspace${path === undefined ? '' : `, nor at ${path} any more`}.`
        : `${given ?? 'That file'} has other content than the ${fileName} this campaign was sent to. Choose ${fileName} as it was when the campaign started.`,
    );
    this.name = 'ContactsError';
    this.kind = kind;
    this.fileName = fileName;
    this.path = path;
  }
}

/** Contacts says where a campaign's contacts can be read from now: the workspace's copy, the user's file, or nowhere. */
export type ContactsPlace = 'workspace' | 'file' | 'missing';

/** Standing is how a campaign stands: its history row, its meta, where its contacts are and what stops a resume. */
export interface Standing {
  summary: CampaignSummaryView;
  meta: CampaignMeta;
  contacts: ContactsPlace;
  /** Why it cannot be resumed whatever the front end does (its settings no longer read, or no longer name it). */
  problem?: string;
}

/** reopenCampaign reopens campaign `id` (see the file comment); UserError when it is sending or cannot be resumed. */
export async function reopenCampaign(core: ServiceCore, id: string, options: ReopenOptions): Promise<Campaign> {
  const summary = await summaryOf(core, id);
  const live = core.live;
  if ((live?.id === id && !live.finished) || summary.running) throw new UserError(`"${summary.meta.name}" is still sending.`);
  const spec = readableSpec(summary.meta);
  const { contacts, sentPath, ...account } = options;
  const file = await openContacts(core, summary, contacts, sentPath !== false);
  try {
    const campaign = new Campaign(core, { ...account, spec }, file, id);
    // The id names the contacts and the campaign: anything else would resume another campaign's journal.
    if (runIdOf(id, await campaign.baseId()) === undefined) throw new UserError(notItself(summary.meta.name));
    return campaign;
  } catch (e) {
    await file.close();
    throw e;
  }
}

/** standingOf is how campaign `id` stands (UserError when there is no such campaign). */
export async function standingOf(core: ServiceCore, id: string): Promise<Standing> {
  const summary = await summaryOf(core, id);
  return standing(core, historyRowOf(core, summary), summary.meta);
}

/** standingsOf is how every campaign of the workspace stands, newest first. */
export async function standingsOf(core: ServiceCore): Promise<Standing[]> {
  const out: Standing[] = [];
  for (const summary of await core.store.list()) out.push(await standing(core, historyRowOf(core, summary), summary.meta));
  return out;
}

async function standing(core: ServiceCore, summary: CampaignSummaryView, meta: CampaignMeta): Promise<Standing> {
  const s: Standing = { summary, meta, contacts: await contactsPlace(core, meta) };
  const spec = specOf(meta.spec);
  if (spec === undefined) s.problem = unreadable(meta.name);
  else if (meta.csvHash !== undefined && runIdOf(meta.id, campaignId(meta.csvHash, spec)) === undefined) s.problem = notItself(meta.name);
  return s;
}

/** workspaceCopy is where the workspace keeps a campaign's imported contacts, when it has a hash to name them by. */
function workspaceCopy(core: ServiceCore, meta: CampaignMeta): string | undefined {
  return meta.csvHash === undefined || core.contactsDir === undefined ? undefined : join(core.contactsDir, `${meta.csvHash}.csv`);
}

async function contactsPlace(core: ServiceCore, meta: CampaignMeta): Promise<ContactsPlace> {
  if (await isFile(workspaceCopy(core, meta))) return 'workspace';
  return (await isFile(meta.csvPath)) ? 'file' : 'missing';
}

/**
 * openContacts opens what the campaign was sent to, read as it was (its delimiter): the file given,
 * else the workspace's copy (named by the campaign's hash), else (`sentPath`) the user's own file
 * where it was sent from; a file not named by the hash is checked against it. ContactsError when
 * there is none, or the file is another.
 */
async function openContacts(core: ServiceCore, summary: CampaignSummary, given: ContactsInput | undefined, sentPath: boolean): Promise<ContactsFile> {
  const meta = summary.meta;
  const options = meta.csvDelimiter === undefined ? (given?.options ?? {}) : { ...given?.options, delimiter: meta.csvDelimiter };
  const copy = workspaceCopy(core, meta);
  if (given === undefined && copy !== undefined && (await isFile(copy))) {
    return ContactsFile.open({ path: copy, name: meta.csvFileName, hash: meta.csvHash as string, options });
  }
  const input = given ?? (sentPath && meta.csvPath !== undefined && (await isFile(meta.csvPath)) ? { path: meta.csvPath, name: meta.csvFileName } : undefined);
  if (input === undefined) throw new ContactsError('missing', meta.csvFileName, meta.csvPath);
  const file = await ContactsFile.open({ ...input, options });
  if (meta.csvHash !== undefined && (await file.hash()) !== meta.csvHash) {
    await file.close();
    throw new ContactsError('different', meta.csvFileName, meta.csvPath, file.name);
  }
  return file;
}

/** readableSpec is the campaign a meta.json holds, or a UserError saying it cannot be resumed. */
function readableSpec(meta: CampaignMeta): CampaignSpec {
  const spec = specOf(meta.spec);
  if (spec === undefined) throw new UserError(unreadable(meta.name));
  return spec;
}

const unreadable = (name: string) => `The settings of "${name}" can no longer be read (they were written by another version of the app), so it cannot be resumed.`;
const notItself = (name: string) => `The settings of "${name}" no longer match what it was sent with (they were written by another version of the app), so it cannot be resumed.`;

async function isFile(path: string | undefined): Promise<boolean> {
  if (path === undefined) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
