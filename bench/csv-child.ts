import { ContactsFile } from '../electron/core/campaign/contacts';
import { validatePlan } from '../electron/core/campaign/validation';
import { compilePlan } from '../shared/campaign/plan';
import { parseCampaign } from '../shared/campaign/schema';
import { providers } from '../shared/providers';
import { bareParse } from './csv-parse';

/**
 * One CSV measurement in a fresh process, so its peak memory is its own: `bare` is papaparse's
 * streaming parse alone; `pipeline` is our reader + placeholder rendering + validation of every row,
 * what `campaign validate` and the first pass of `campaign send` do. Prints JSON.
 */
const [mode, path] = process.argv.slice(2) as ['bare' | 'pipeline', string];

const spec = parseCampaign(
  {
    provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
    recipient: { conversationId: '{{conversation_id}}' },
    message: {
      type: 'template',
      template: {
        name: 'order_update',
        variables: {
          header: '{{first_name}}',
          body: ['{{first_name|there}}', '{{order_id}}', 'shipped'],
          buttons: ['{{promo_url}}'],
          cards: [{ header: '{{city}}', body: ['For {{first_name|you}} in {{city}}'], buttons: ['{{promo_url}}'] }],
        },
      },
    },
  },
  providers,
);

const t0 = performance.now();
let rows: number;
let errors = 0;
if (mode === 'bare') {
  rows = await bareParse(path);
} else {
  const contacts = await ContactsFile.open({ path });
  const v = await validatePlan(compilePlan(spec, contacts.headers), contacts, 100);
  rows = v.rowCount;
  errors = v.errorCount;
  await contacts.close();
}
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ mode, rows, errors, ms, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
