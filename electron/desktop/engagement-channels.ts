import { wireKindOf } from '../../shared/campaign/provider-config';
import type { EngagementView } from '../../shared/engagement/engagement-view';
import { publishesEngagement } from '../../shared/engagement/funnel';
import { UserError } from '../../shared/ipc/user-error';
import { specOf } from '../core/campaign/records';
import type { StatusAccess } from '../core/campaign/records';
import { RefreshScheduler } from '../core/engagement/refresh-schedule';
import { WassistApiError } from '../core/wassist/client';
import type { DesktopBackend } from '../ipc/backend';
import type { DesktopDeps } from './ports';
import { effectiveSpec } from './profiles';

/**
 * The desktop's engagement channels over the campaign service: the funnel as last read, a refresh
 * now, and the automatic refresh while the app runs (RefreshScheduler: every 15 minutes for the
 * first 48 hours after a campaign's run). Keys come from the vault here, in main.
 */

/** EngagementChannels are the channels, and the schedule for the composition root to stop at quit. */
export interface EngagementChannels {
  channels: Pick<DesktopBackend, 'campaign:engagement' | 'campaign:refreshEngagement'>;
  scheduler: RefreshScheduler;
}

/** engagementChannels builds the channels and the (not yet started) schedule. */
export function engagementChannels(deps: DesktopDeps): EngagementChannels {
  const { service, vault } = deps;

  /** accessFor is the account to read a campaign's engagement with: the sandbox, or its Wassist profile's key. */
  const accessFor = async (campaignId: string, profileId?: string): Promise<StatusAccess> => {
    const summary = await service.summary(campaignId);
    const sent = specOf(summary.meta.spec);
    if (sent === undefined) throw new UserError("This campaign's settings can no longer be read, so its engagement cannot be refreshed.");
    if (sent.provider.kind === 'sandbox' || !publishesEngagement(wireKindOf(sent.provider))) return { spec: sent, apiKey: '' };
    const url = sent.provider.kind === 'wassist' ? sent.provider.baseUrl : undefined;
    const fits = vault.profiles().filter((p) => p.provider.kind === 'wassist' && p.provider.baseUrl === url);
    const pid = profileId ?? summary.meta.profileId ?? (fits.length === 1 ? fits[0]?.id : undefined);
    if (pid === undefined) throw new UserError('Choose the provider profile to read the engagement with.');
    const profile = vault.profile(pid);
    if (profile.provider.kind !== 'wassist') throw new UserError(`"${profile.name}" is not a Wassist account; choose the profile this campaign was sent with.`);
    const apiKey = vault.getKey(pid) ?? '';
    if (apiKey === '') throw new UserError('The profile has no API key. Set it in Settings, then refresh.');
    return { spec: effectiveSpec(sent, profile), apiKey };
  };

  const refresh = async (campaignId: string, profileId?: string): Promise<EngagementView> => {
    const access = await accessFor(campaignId, profileId);
    try {
      return (await service.refreshEngagement(campaignId, access)).view;
    } catch (e) {
      if (e instanceof WassistApiError) throw new UserError(`Could not read the engagement: ${e.message}`);
      throw e;
    }
  };

  const scheduler = new RefreshScheduler({
    timer: deps.timer,
    candidates: () => service.refreshCandidates(),
    refresh: async (id) => {
      await refresh(id);
    },
    onError: (id, e) => deps.log.info(`automatic engagement refresh of ${id === '' ? 'the history' : `campaign ${id}`} failed: ${e instanceof Error ? e.message : String(e)}`),
  });

  const withSchedule = (view: EngagementView): EngagementView => {
    const schedule = scheduler.scheduleOf(view.campaignId);
    return schedule === undefined ? view : { ...view, schedule };
  };

  return {
    scheduler,
    channels: {
      'campaign:refreshEngagement': async ({ campaignId, profileId }) => withSchedule(await refresh(campaignId, profileId)),
      'campaign:engagement': async ({ campaignId }) => withSchedule(await service.engagement(campaignId)),
    },
  };
}
