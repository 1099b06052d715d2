import type { ProviderConfig } from '../../shared/campaign/provider-config';
import { wireKindOf } from '../../shared/campaign/provider-config';
import type { CampaignSpec } from '../../shared/campaign/schema';
import { parseCampaign } from '../../shared/campaign/schema';
import type { Profile } from '../../shared/ipc/contract';
import { UserError } from '../../shared/ipc/user-error';
import { InputError } from '../../shared/problems';
import { providers } from '../../shared/providers/index';
import type { FileRoot } from '../core/attachments/file-root';
import type { Campaign } from '../core/campaign/campaign';
import type { CampaignService } from '../core/campaign/service';
import type { KeyVault } from '../core/vault/vault';
import type { ContactsImports } from './imports';

/**
 * The desktop's accounts: a profile says where a campaign goes (provider kind and base URL) and
 * holds its key in the vault. Campaign files carry no account, so every request binds the campaign
 * the renderer edits to the profile it names before the campaign service sees it.
 */

/**
 * effectiveSpec binds a campaign to the profile it will be sent with: the profile says where
 * (provider kind and base URL); the campaign's message must be written for that provider's API.
 * A sandbox profile simulates whatever API the campaign is written for.
 */
export function effectiveSpec(spec: CampaignSpec, profile: Profile | undefined): CampaignSpec {
  if (profile === undefined) return spec;
  const wire = wireKindOf(spec.provider);
  let provider: ProviderConfig;
  if (profile.provider.kind === 'sandbox') {
    provider = { ...profile.provider, simulate: wire };
  } else if (profile.provider.kind !== wire) {
    throw new InputError([
      {
        row: 0,
        field: 'provider.kind',
        reason: `the campaign is written for the ${wire} API, but the profile "${profile.name}" is a ${profile.provider.kind} account`,
        severity: 'error',
      },
    ]);
  } else {
    provider = profile.provider;
  }
  return { ...spec, provider };
}

/** keyOf is the profile's key, or '' when it has none (validate and preview then work offline). */
export function keyOf(vault: KeyVault, profileId: string | undefined): string {
  if (profileId === undefined) return '';
  try {
    return vault.getKey(profileId) ?? '';
  } catch (e) {
    if (e instanceof UserError) return '';
    throw e;
  }
}

/** CampaignRequest is what every campaign channel names: the imported contacts, the raw campaign, the profile. */
export interface CampaignRequest {
  datasetId: string;
  spec: unknown;
  profileId?: string | undefined;
}

/**
 * openRequested opens the campaign a request names through the service: the dataset's copy in the
 * workspace, the campaign parsed and bound to the profile, the profile's key. `strictKey` reads the
 * key as sending needs it (a key that no longer decrypts is an error, not "none"). The campaign's
 * files are read from `files` only (what the person picked in main's dialogs).
 */
export async function openRequested(service: CampaignService, vault: KeyVault, imports: ContactsImports, r: CampaignRequest, files: FileRoot, strictKey = false): Promise<Campaign> {
  const profile = r.profileId === undefined ? undefined : vault.profile(r.profileId);
  const spec = effectiveSpec(parseCampaign(r.spec, providers), profile);
  const dataset = imports.get(r.datasetId);
  const apiKey = strictKey && r.profileId !== undefined ? (vault.getKey(r.profileId) ?? '') : keyOf(vault, r.profileId);
  return service.open(
    { path: dataset.path, name: dataset.name, hash: dataset.hash, options: { delimiter: dataset.delimiter } },
    {
      spec,
      apiKey,
      ...(r.profileId === undefined ? {} : { accountId: r.profileId }),
      ...(profile === undefined ? {} : { accountName: profile.name }),
      files,
    },
  );
}
