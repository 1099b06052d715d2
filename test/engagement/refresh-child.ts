import { createConnector } from '../../electron/core/campaign/connection';
import { CampaignService } from '../../electron/core/campaign/service';
import { systemClock } from '../../electron/core/ports';
import { CampaignStore } from '../../electron/core/state/campaign-store';
import { setCrashHook } from '../../electron/core/state/crash-points';
import { parseCampaign } from '../../shared/campaign/schema';
import { providers } from '../../shared/providers/index';

/**
 * A refresh in a process of its own, killed (SIGKILL, no clean-up) right after its `crashAt`-th
 * save when asked: `node --import tsx refresh-child.ts <dataDir> <campaignId> <spec JSON> <apiKey> <crashAt>`.
 */
const [dataDir, id, specJson, apiKey, crashAt] = process.argv.slice(2) as [string, string, string, string, string];
let saves = 0;
setCrashHook((point) => {
  if (point === 'engagement-saved' && ++saves === Number(crashAt)) process.kill(process.pid, 'SIGKILL');
});
const service = new CampaignService({ store: new CampaignStore({ dataDir }), connect: createConnector(systemClock), clock: systemClock });
const out = await service.refreshEngagement(id, { spec: parseCampaign(JSON.parse(specJson), providers), apiKey });
process.stdout.write(`${JSON.stringify(out.result)}\n`);
