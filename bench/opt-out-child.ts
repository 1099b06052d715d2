import { AudienceCheck } from '../electron/core/campaign/audience';
import { ContactsFile } from '../electron/core/campaign/contacts';
import { validatePlan } from '../electron/core/campaign/validation';
import { Workspace } from '../electron/core/workspace/workspace';
import { compilePlan } from '../shared/campaign/plan';
import { parseCampaign } from '../shared/campaign/schema';
import { providers } from '../shared/providers';

/**
 * One opt-out measurement in a fresh process: `bare` validates the contacts without the list (the
 * baseline), `checked` with the workspace's list, its loading included (as `campaign validate`
 * does). Prints JSON.
 */
const [mode, csv, workspaceDir] = process.argv.slice(2) as ['bare' | 'checked', string, string];

const spec = parseCampaign(
  {
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { conversationId: '{{conversation_id}}' },
    message: {
      type: 'template',
      template: { name: 'order_update', variables: { header: '{{first_name}}', body: ['{{first_name|there}}', '{{order_id}}', 'shipped'], buttons: ['{{promo_url}}'] } },
    },
  },
  providers,
);

const contacts = await ContactsFile.open({ path: csv });
const plan = compilePlan(spec, contacts.headers);
const ws = mode === 'checked' ? Workspace.open(workspaceDir, Date.now) : undefined;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const audience = ws === undefined ? undefined : new AudienceCheck(ws, plan, contacts.headers, Date.now());
const v = await validatePlan(plan, contacts, 100, audience);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
ws?.close();
await contacts.close();
process.stdout.write(`${JSON.stringify({ mode, ms, cpuMs, rows: v.rowCount, optedOut: v.optedOutRows })}\n`);
