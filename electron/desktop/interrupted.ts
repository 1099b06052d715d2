import type { ProviderConfig } from '../../shared/campaign/provider-config';
import type { CampaignSpec } from '../../shared/campaign/schema';
import type { InterruptedCampaign } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import type { Campaign } from '../core/campaign/campaign';
import { specOf } from '../core/campaign/records';
import type { CampaignService, Standing } from '../core/campaign/service';
import type { KeyVault } from '../core/vault/vault';
import type { KeyValueStore } from '../core/vault/ports';

/**
 * The desktop's side of resuming an interrupted campaign (the resume itself is the service's
 * reopen + start): which campaigns to tell about on start-up, which profile a resume sends with
 * (the one it was sent with), and what stops it, in words, before the person presses Resume.
 */

/** Blocked is what stops a resume now (see interruptedCampaignSchema). */
export type Blocked = NonNullable<InterruptedCampaign['blocked']>;

/** ResumeAccount is the account a resume sends with. */
export interface ResumeAccount {
  apiKey: string;
  accountId?: string;
  accountName?: string;
}

/** ResumeBlockedError is a resume refused for a reason the window can show next to the campaign. */
export class ResumeBlockedError extends UserError {
  readonly blocked: Blocked;
  constructor(blocked: Blocked) {
    super(blocked.message);
    this.name = 'ResumeBlockedError';
    this.blocked = blocked;
  }
}

const DISMISSED = 'dismissedInterruptions';
const KEEP_DISMISSED = 200;

/** interruptionKey names one interruption: the same campaign interrupted again later is told about again. */
function interruptionKey(s: Pick<InterruptedCampaign, 'campaignId' | 'updatedAt'>): string {
  return `${s.campaignId}@${s.updatedAt}`;
}

function dismissedKeys(settings: KeyValueStore): string[] {
  const raw = settings.get(DISMISSED);
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * interruptedCampaigns lists the interrupted campaigns with what stops their resume (dismissed ones
 * only when asked). A cancelled campaign is listed as dismissed: the person stopped it on purpose,
 * so the start-up notice does not tell about it, while the history (which asks for the dismissed
 * ones) still offers Resume, as it always did.
 */
export async function interruptedCampaigns(service: CampaignService, vault: KeyVault, settings: KeyValueStore, includeDismissed: boolean): Promise<InterruptedCampaign[]> {
  const dismissed = new Set(dismissedKeys(settings));
  const out: InterruptedCampaign[] = [];
  for (const s of await service.standings()) {
    if (s.summary.state !== 'interrupted' && s.summary.state !== 'cancelled') continue;
    const h = s.summary;
    const view: InterruptedCampaign = { campaignId: h.campaignId, name: h.name, csvName: h.csvName, providerKind: h.providerKind, updatedAt: h.updatedAt, totals: h.totals, dismissed: false };
    view.dismissed = h.state === 'cancelled' || dismissed.has(interruptionKey(view));
    if (view.dismissed && !includeDismissed) continue;
    try {
      const account = resumeAccount(vault, readSpec(s), s.meta.profileId, false);
      if (account.accountName !== undefined) view.profileName = account.accountName;
      // Only what was imported into the app: a file elsewhere (the command line's) is imported first.
      if (s.contacts !== 'workspace') view.blocked = contactsBlocked(s.meta.csvFileName, s.meta.csvPath);
    } catch (e) {
      if (!(e instanceof ResumeBlockedError)) throw e;
      view.blocked = e.blocked;
    }
    out.push(view);
  }
  return out;
}

/** dismissInterruption remembers that the person dismissed the notice of campaign `id`'s latest interruption. */
export async function dismissInterruption(service: CampaignService, settings: KeyValueStore, id: string): Promise<void> {
  const s = await service.standing(id);
  const keys = dismissedKeys(settings).filter((k) => !k.startsWith(`${id}@`));
  keys.push(interruptionKey({ campaignId: id, updatedAt: s.summary.updatedAt }));
  settings.set(DISMISSED, keys.slice(-KEEP_DISMISSED));
}

/** contactsBlocked: the campaign's contacts are not in the app (a campaign the command line sent, say). */
export function contactsBlocked(fileName: string, path: string | undefined): Blocked {
  const where = path === undefined ? '' : ` from ${path}`;
  return { kind: 'contacts', fileName, message: `Its contacts (${fileName}) are not in this app: it was sent${where} by the command line or another copy of the app. Import ${fileName} to resume it.` };
}

/**
 * filesBlocked says why a reopened campaign cannot attach its files in this session of the app
 * (undefined when it can): the app reads files only from what the person picked since it started,
 * and a reopened campaign skips rows it cannot send, so without this their messages would be
 * skipped unsent rather than waiting for the files.
 */
export async function filesBlocked(campaign: Campaign): Promise<Blocked | undefined> {
  if (campaign.files === undefined) return undefined;
  const v = await campaign.validate(1_000, true);
  const missing = v.problems.filter((p) => p.severity === 'error' && p.field.startsWith('files[')).length;
  if (missing === 0) return undefined;
  const rows = missing >= 1_000 ? 'Rows' : missing === 1 ? '1 row' : `${missing} rows`;
  return { kind: 'files', message: `${rows} attach files this app cannot read now (files are only read from what you picked since the app started). Pick the same files with "Attach files" in the Message step, then Resume.` };
}

/** readSpec is the campaign a standing was sent with, or ResumeBlockedError when it can no longer be resumed. */
export function readSpec(s: Standing): CampaignSpec {
  const spec = specOf(s.meta.spec);
  if (s.problem !== undefined || spec === undefined) throw new ResumeBlockedError({ kind: 'settings', message: s.problem ?? 'Its settings can no longer be read, so it cannot be resumed.' });
  return spec;
}

/**
 * resumeAccount is the account a resume sends with: the profile the campaign was sent with while it
 * still sends where the campaign went, else the only profile that does (a campaign the command line
 * sent has none). Two profiles there may be two clients' accounts, so then none is guessed. `withKey`
 * reads the key (to send); otherwise only whether a usable one is set.
 */
export function resumeAccount(vault: KeyVault, spec: CampaignSpec, profileId: string | undefined, withKey: boolean): ResumeAccount {
  const profiles = vault.profiles();
  const own = profiles.find((p) => p.id === profileId);
  if (spec.provider.kind === 'sandbox') return { apiKey: '', accountName: own?.name ?? 'Sandbox', ...(own === undefined ? {} : { accountId: own.id }) };
  const where = endpointOf(spec.provider);
  if (own !== undefined && endpointOf(own.provider) !== where) {
    throw new ResumeBlockedError({ kind: 'profile', message: `The profile it was sent with, "${own.name}", now sends to ${endpointOf(own.provider)}; this campaign went to ${where}. Add a profile for ${where} with that account's key to resume it.` });
  }
  const fits = profiles.filter((p) => endpointOf(p.provider) === where);
  const profile = own ?? (fits.length === 1 ? fits[0] : undefined);
  if (profile === undefined) {
    const why = profileId !== undefined ? 'The profile it was sent with has been removed' : 'It was sent by the command line';
    const what = fits.length === 0 ? `no profile sends to ${where}` : `${fits.length} profiles send to ${where} (${fits.map((p) => `"${p.name}"`).join(', ')}) and the app will not guess which account it was`;
    throw new ResumeBlockedError({ kind: 'profile', message: `${why}, and ${what}. ${fits.length === 0 ? `Add a profile for ${where} with that account's key in Settings to resume it.` : 'Remove the profiles of other accounts, or resume it from the command line.'}` });
  }
  const state = vault.list().find((p) => p.id === profile.id)?.keyState;
  if (state !== 'configured') {
    const message = state === 'needs-reentry' ? `The API key of "${profile.name}" can no longer be decrypted. Enter it again in Settings to resume.` : `"${profile.name}" has no API key. Add it in Settings to resume.`;
    throw new ResumeBlockedError({ kind: 'key', message });
  }
  return { apiKey: withKey ? (vault.getKey(profile.id) ?? '') : '', accountId: profile.id, accountName: profile.name };
}

/** endpointOf names where a provider config sends: its kind and base URL. */
function endpointOf(p: ProviderConfig): string {
  return p.kind === 'sandbox' ? 'the sandbox' : `${p.kind} at ${p.baseUrl}`;
}
