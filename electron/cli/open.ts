import { dirname, join, resolve } from 'node:path';
import { folderRoot } from '../core/attachments/file-root';
import type { Campaign } from '../core/campaign/campaign';
import { loadCampaignFile } from '../core/campaign/campaign-file';
import { createConnector } from '../core/campaign/connection';
import { CampaignService } from '../core/campaign/service';
import { systemClock } from '../core/ports';
import { CampaignStore } from '../core/state/campaign-store';
import { defaultDataDir } from '../core/state/data-dir';
import type { CliCommand } from './args';
import type { CliIo } from './io';

/** A command's campaign service (over the workspace: --state, CAMPAIGN_STATE_DIR or the platform's) and its opened campaign. */
export interface Opened {
  service: CampaignService;
  campaign: Campaign;
  /** The key from CAMPAIGN_API_KEY, trimmed ('' when unset). */
  apiKey: string;
}

/** stateDirOf is the workspace the command names (--state, else CAMPAIGN_STATE_DIR), undefined for the platform's default. */
export function stateDirOf(args: { stateDir?: string }, io: CliIo): string | undefined {
  return args.stateDir ?? (io.env.CAMPAIGN_STATE_DIR || undefined);
}

/**
 * serviceFor is the campaign service over the command's workspace. It knows the workspace's copies
 * of the contacts the desktop app imported, so the CLI can resume and report what the app sent, and
 * the sandbox's world (sandbox/), so its simulated recipients outlive the process.
 */
export function serviceFor(args: { stateDir?: string }, io: CliIo): CampaignService {
  const dataDir = defaultDataDir(stateDirOf(args, io));
  return new CampaignService({
    store: new CampaignStore({ dataDir }),
    connect: createConnector(systemClock, { sandboxDir: join(dataDir, 'sandbox') }),
    clock: systemClock,
    contactsDir: join(dataDir, 'contacts'),
  });
}

/**
 * openCampaign reads the campaign file and the CSV's header and compiles one against the other. The
 * files a campaign attaches are read inside the contacts file's folder (and the folders below it):
 * a cell of a CSV exported from elsewhere cannot reach anything outside it.
 */
export async function openCampaign(args: CliCommand, io: CliIo): Promise<Opened> {
  const spec = await loadCampaignFile(args.specPath, '--spec');
  const service = serviceFor(args, io);
  const apiKey = io.env.CAMPAIGN_API_KEY?.trim() ?? '';
  const contacts = args.delimiter === undefined ? { path: args.csvPath } : { path: args.csvPath, options: { delimiter: args.delimiter } };
  const files = folderRoot(dirname(resolve(args.csvPath)), "in the contacts file's folder");
  try {
    const campaign = await service.open(contacts, { spec, apiKey, files });
    return { service, campaign, apiKey };
  } catch (e) {
    await service.close();
    throw e;
  }
}
