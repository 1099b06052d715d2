import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnector } from '../../electron/core/campaign/connection';
import { CampaignService } from '../../electron/core/campaign/service';
import type { ServiceDeps } from '../../electron/core/campaign/service';
import type { ReplyOptOut } from '../../electron/core/engagement/opt-out-port';
import { systemClock } from '../../electron/core/ports';
import { CampaignStore } from '../../electron/core/state/campaign-store';
import type { SimMessage } from '../../electron/core/sandbox/simulator';
import { isoTime } from '../../electron/core/sandbox/sim-state';
import { parseCampaign } from '../../shared/campaign/schema';
import type { CampaignSpec } from '../../shared/campaign/schema';
import { providers } from '../../shared/providers/index';
import type { MockServer, MockServerOptions } from '../mock-server/mock-server';
import { mockApiKey, startMockServer } from '../mock-server/mock-server';

/**
 * A campaign sent through the campaign service to the strict Wassist mock (real HTTP, a workspace
 * on disk), ready to have its engagement refreshed: what the engagement tests share.
 */

export interface Sent {
  mock: MockServer;
  service: CampaignService;
  dataDir: string;
  id: string;
  spec: CampaignSpec;
  /** Our message id in each conversation, by conversation. */
  ours: Map<string, string>;
  /** Opt-outs the service handed to the workspace's list. */
  optOuts: ReplyOptOut[];
  /** GET paths the mock received since `mark()`. */
  reads(): string[];
  mark(): void;
  refresh(): ReturnType<CampaignService['refreshEngagement']>;
  /** report writes the campaign's CSV report and answers its text. */
  report(): Promise<string>;
  close(): Promise<void>;
}

/** messagesOf is the conversation a GET of messages was for. */
export function conversationOfPath(path: string): string {
  return decodeURIComponent(/^\/api\/v1\/conversations\/([^/]+)\/messages\//.exec(path)?.[1] ?? '');
}

/** sendCampaign sends one message to each conversation of `conversations` and waits for the run's end. */
export async function sendCampaign(
  conversations: readonly string[],
  options: { message?: object; engagement?: object; mock?: Partial<MockServerOptions>; before?: (mock: MockServer) => void; deps?: Partial<ServiceDeps> } = {},
): Promise<Sent> {
  const mock = await startMockServer({ kind: 'wassist', conversations: conversations.map((id) => ({ id })), ...options.mock });
  options.before?.(mock);
  const dir = await mkdtemp(join(tmpdir(), 'engagement-'));
  const dataDir = join(dir, 'data');
  const csv = join(dir, 'contacts.csv');
  await writeFile(csv, `conversation_id,name\n${conversations.map((c, i) => `${c},Name ${i + 1}`).join('\n')}\n`);
  const raw = {
    name: 'Engagement test',
    provider: { kind: 'wassist', baseUrl: mock.url },
    recipient: { conversationId: '{{conversation_id}}' },
    message: options.message ?? { type: 'cta', cta: { body: 'Hi {{name}}, our sale starts today.', buttonText: 'See the offer', url: 'https://shop.example.com/sale' } },
    throttle: { concurrency: 4, perSecond: 1000 },
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5_000 },
    ...(options.engagement === undefined ? {} : { engagement: options.engagement }),
  };
  const spec = parseCampaign(raw, providers);
  const optOuts: ReplyOptOut[] = [];
  const service = new CampaignService({
    store: new CampaignStore({ dataDir }),
    connect: createConnector(systemClock),
    clock: systemClock,
    optOuts: { add: (entries) => void optOuts.push(...entries) },
    ...options.deps,
  });
  const campaign = await service.open({ path: csv }, { spec, apiKey: mockApiKey });
  const run = await service.start(campaign, {});
  const ended = await run.done;
  if ('error' in ended) throw ended.error;
  await campaign.close();
  const ours = new Map<string, string>();
  for (const c of conversations) {
    const m = mock.delivered(c).find((x) => x.message.role === 'assistant');
    if (m !== undefined) ours.set(c, m.id);
  }
  let from = mock.requests.length;
  return {
    mock,
    service,
    dataDir,
    id: run.id,
    spec,
    ours,
    optOuts,
    reads: () => mock.requests.slice(from).filter((q) => q.method === 'GET').map((q) => q.path),
    mark: () => {
      from = mock.requests.length;
    },
    refresh: () => service.refreshEngagement(run.id, { spec, apiKey: mockApiKey }),
    report: async () => {
      const opened = await service.open({ path: csv }, { spec, apiKey: mockApiKey });
      try {
        const path = join(dir, 'report.csv');
        await service.writeReport(run.id, path, { contacts: opened });
        return await readFile(path, 'utf8');
      } finally {
        await opened.close();
      }
    },
    close: async () => {
      await service.shutdown();
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** fillHistory puts `count` messages of about `bytes` each (agent and user by turns) in a conversation, `msAgo` before now and older. */
export function fillHistory(mock: MockServer, conversationId: string, count: number, bytes: number, startAt: number): void {
  const conv = mock.state.conversations.get(conversationId);
  if (conv === undefined) throw new Error(`no conversation ${conversationId}`);
  const filler = 'x'.repeat(Math.max(0, bytes - 400));
  for (let i = 0; i < count; i++) {
    const at = startAt + i;
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const role = i % 2 === 0 ? 'user' : 'assistant';
    const m: SimMessage = {
      id,
      at,
      request: {},
      message: { id, role, type: 'text', status: role === 'user' ? null : 'read', createdAt: isoTime(at), replyTo: null, text: { id, body: `message ${i} ${filler}` }, image: null, cta: null, listSelection: null, template: null, unified: null, quickReply: null },
    };
    conv.messages.push(m);
  }
}
