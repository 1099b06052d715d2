import { basename } from 'node:path';
import { wireKindOf } from '../../shared/campaign/schema';
import { InputError } from '../../shared/problems';
import { connect, requireKey, wassistClient } from '../core/campaign-runner';
import { systemClock } from '../core/ports';
import { refreshDeliveryStatus } from '../core/wassist/delivery-status';
import { WassistSidecar } from '../core/wassist/sidecar';
import { reportFormatOf, writeReport } from '../core/report/write-report';
import { wassistColumns } from '../core/wassist/wassist-report';
import type { CliCommand } from './args';
import { baseCampaignId, campaignStore, openInputs } from './commands';
import type { CliIo } from './io';
import { statusLine } from './wassist-steps';

/**
 * statusCommand (`campaign status <contacts.csv> --spec <file> [--report <out.csv>]`) reads the
 * delivery status of every message a Wassist campaign sent (one GET per conversation, at a polite
 * pace), keeps it in the campaign's folder, and writes the report with it when asked. It can be run
 * as often as wanted; each run updates the statuses. Exit 0, or 1 when some conversations could not
 * be read.
 */
export async function statusCommand(args: CliCommand, io: CliIo): Promise<number> {
  const { spec, reader, source } = await openInputs(args, io);
  try {
    if (wireKindOf(spec.provider) !== 'wassist') {
      throw new InputError([{ row: 0, field: 'provider.kind', reason: `delivery status is read from Wassist; this campaign speaks the ${wireKindOf(spec.provider)} API`, severity: 'error' }]);
    }
    const apiKey = requireKey(spec, io.env.CAMPAIGN_API_KEY, 'CAMPAIGN_API_KEY');
    const store = campaignStore(args, io);
    const id = await store.resolveId(await baseCampaignId(args, spec), { fresh: false });
    if ((await store.get(id)) === undefined) {
      throw new InputError([{ row: 0, field: 'campaign', reason: `no campaign has run yet for ${basename(args.csvPath)} with this campaign file`, severity: 'error' }]);
    }
    let rowCount = 0;
    for await (const b of source.batches()) rowCount += b.length;
    const open = await store.open(id, { csvFileName: basename(args.csvPath), providerKind: spec.provider.kind, rowCount, spec });
    const connection = connect(spec, systemClock);
    try {
      const outcomes = new Map((await open.journal.load()).map((o) => [o.row, o]));
      const sidecar = await WassistSidecar.load(open.dir);
      const client = wassistClient(spec, apiKey, connection, systemClock);
      const r = await refreshDeliveryStatus(client, outcomes.values(), sidecar, systemClock);
      await sidecar.save();
      io.stderr.write(`${statusLine(r)}\n`);
      for (const u of r.unreadable.slice(0, 20)) io.stderr.write(`  could not read conversation ${u.conversationId}: ${u.reason}\n`);
      if (args.reportPath !== undefined) {
        await writeReport(args.reportPath, { format: reportFormatOf(args.reportPath), headers: reader.headers, records: reader.records(), outcomeOf: (row) => outcomes.get(row), extra: wassistColumns(sidecar) });
        io.stderr.write(`Report: ${args.reportPath}\n`);
      }
      return r.unreadable.length > 0 ? 1 : 0;
    } finally {
      await connection.transport.close();
      await open.close();
    }
  } finally {
    await reader.close();
  }
}
