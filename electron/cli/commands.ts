import { basename } from 'node:path';
import type { CampaignPlan } from '../../shared/campaign/phone-campaign';
import { fallbackRow, planRow } from '../../shared/campaign/phone-campaign';
import type { CompiledCampaign } from '../../shared/campaign/render';
import type { CampaignSpec } from '../../shared/campaign/schema';
import { wireKindOf } from '../../shared/campaign/schema';
import type { CsvRow } from '../../shared/csv/parse';
import { formatProblem, InputError } from '../../shared/problems';
import { compilePlan, connect, fileSource, needsKey, needsResolution, validatePlan } from '../core/campaign-runner';
import type { PlanValidation, RowSource } from '../core/campaign-runner';
import { systemClock } from '../core/ports';
import { WassistSidecar } from '../core/wassist/sidecar';
import { reportFormatOf, writeReport } from '../core/report/write-report';
import type { CsvFileReader } from '../core/csv-file';
import { openCsvFile } from '../core/csv-file';
import { campaignId, hashFile } from '../core/state/campaign-id';
import { CampaignStore } from '../core/state/campaign-store';
import { defaultDataDir } from '../core/state/data-dir';
import { sandboxBaseUrl } from '../core/sandbox/sandbox-transport';
import type { CliCommand } from './args';
import type { CliIo } from './io';
import { loadSpecFile, plural, printProblems } from './io';
import { describeMessage } from './preview-text';
import { lookUpRecipients } from './wassist-steps';
import { usesWassistExtras, wassistColumns } from '../core/wassist/wassist-report';

/** Inputs are a command's parsed campaign, open CSV and compiled campaign (its plan: message, phone column, fallback). */
export interface Inputs {
  spec: CampaignSpec;
  reader: CsvFileReader;
  source: RowSource;
  compiled: CompiledCampaign;
  plan: CampaignPlan;
}

/** openInputs reads the campaign file and the CSV header and checks one against the other. */
export async function openInputs(args: CliCommand, _io: CliIo): Promise<Inputs> {
  const spec = await loadSpecFile(args.specPath);
  const reader = await openCsvFile(args.csvPath, args.delimiter === undefined ? {} : { delimiter: args.delimiter });
  try {
    const plan = compilePlan(spec, reader.headers);
    return { spec, reader, source: fileSource(reader), compiled: plan.compiled, plan };
  } catch (e) {
    await reader.close();
    throw e;
  }
}

/** printWarnings shows the CSV reader's warnings (an encoding guess, say) once. */
export function printCsvWarnings(io: CliIo, reader: CsvFileReader): void {
  for (const w of reader.warnings) io.stderr.write(`warning: ${w}\n`);
}

/** summarizeValidation is the one-paragraph verdict of a validation pass. */
export function summarizeValidation(v: PlanValidation): string {
  const parts = [`${plural(v.rowCount, 'row')}: ${v.sendable} ready to send`];
  if (v.invalidRows.size > 0) parts.push(`${v.invalidRows.size} with errors`);
  if (v.duplicateRows > 0) parts.push(`${v.duplicateRows} duplicate ${v.duplicateRows === 1 ? 'number' : 'numbers'} (sent once)`);
  if (v.warningCount > 0) parts.push(plural(v.warningCount, 'warning'));
  return parts.join(', ');
}

/**
 * validateCommand checks every row and prints each problem; exit 2 when any row has an error.
 * A campaign that looks conversations up (phone numbers, inactive conversations) also looks them
 * up now when a key is at hand, and says which rows get the fallback or are skipped.
 */
export async function validateCommand(args: CliCommand, io: CliIo): Promise<number> {
  const { spec, reader, source, plan } = await openInputs(args, io);
  try {
    const v = await validatePlan(plan, source);
    printCsvWarnings(io, reader);
    printProblems(io, v.problems);
    io.stdout.write(`${summarizeValidation(v)}\n`);
    if (needsResolution(plan)) {
      const key = io.env.CAMPAIGN_API_KEY?.trim() ?? '';
      if (needsKey(spec) && key === '') {
        io.stderr.write('Conversations are looked up when sending; set CAMPAIGN_API_KEY to look them up now.\n');
      } else {
        const connection = connect(spec, systemClock);
        try {
          await lookUpRecipients(plan, source, v.invalidRows, spec, key, connection, systemClock, io);
        } finally {
          await connection.transport.close();
        }
      }
    }
    return v.errorCount > 0 ? 2 : 0;
  } finally {
    await reader.close();
  }
}

async function findRow(source: RowSource, row: number): Promise<{ found?: CsvRow; count: number }> {
  let count = 0;
  for await (const batch of source.batches()) {
    for (const rec of batch) {
      count++;
      if (rec.row === row) return { found: rec, count };
    }
  }
  return { count };
}

/**
 * previewCommand shows what one row will receive: as the phone shows it, or with --json exactly
 * the request body `send` would post. Problems go to stderr; exit 2 when the row has an error.
 */
export async function previewCommand(args: CliCommand, io: CliIo): Promise<number> {
  const { spec, reader, source, plan } = await openInputs(args, io);
  try {
    const { found, count } = await findRow(source, args.row);
    if (found === undefined) {
      throw new InputError([{ row: args.row, field: '--row', reason: `there is no row ${args.row}: the file has ${plural(count, 'data row')}`, severity: 'error' }]);
    }
    const planned = planRow(plan, found.row, found.fields);
    const prepared = planned.prepared;
    const problems = found.problem === undefined ? planned.problems : [found.problem, ...planned.problems];
    if (args.json) {
      io.stdout.write(`${JSON.stringify(prepared.request.body ?? null, null, 2)}\n`);
    } else {
      const base = spec.provider.kind === 'sandbox' ? sandboxBaseUrl : spec.provider.baseUrl;
      if (plan.phone !== undefined) {
        const to = planned.phone ?? '(no valid number)';
        io.stdout.write(`Row ${found.row} (line ${found.line}) → ${to}: the conversation with agent ${spec.recipient.botId ?? ''} is looked up when sending\n`);
        io.stdout.write(`${prepared.request.method} ${base}${prepared.request.path.replace(encodeURIComponent('(looked up by phone)'), '{conversation}')}\n\n`);
      } else {
        const to = prepared.recipient === '' ? '(a new conversation)' : prepared.recipient;
        io.stdout.write(`Row ${found.row} (line ${found.line}) → ${to}\n`);
        io.stdout.write(`${prepared.request.method} ${base}${prepared.request.path}\n\n`);
      }
      for (const line of describeMessage(wireKindOf(spec.provider), prepared.body)) io.stdout.write(`${line}\n`);
      const fallback = plan.checksActive && plan.policy === 'fallback' ? fallbackRow(plan, found.row, found.fields) : undefined;
      if (fallback !== undefined) {
        io.stdout.write('\nIf the conversation is inactive, the fallback template instead:\n');
        for (const line of describeMessage('wassist', fallback.body)) io.stdout.write(`${line}\n`);
        problems.push(...fallback.problems.map((p) => (p.severity === 'error' ? { ...p, reason: `if the conversation is inactive: ${p.reason}`, severity: 'warning' as const } : p)));
      } else if (plan.checksActive) {
        io.stdout.write('\nIf the conversation is inactive, the row is skipped (no fallback template).\n');
      }
      io.stdout.write(problems.length === 0 ? '\nNo problems.\n' : '\n');
    }
    for (const p of problems) io.stderr.write(`${formatProblem(p)}\n`);
    return problems.some((p) => p.severity === 'error') ? 2 : 0;
  } finally {
    await reader.close();
  }
}

/** campaignStore opens the data directory (--state or the platform's). */
export function campaignStore(args: CliCommand, io: CliIo): CampaignStore {
  const dir = args.stateDir ?? (io.env.CAMPAIGN_STATE_DIR || undefined);
  return new CampaignStore({ dataDir: defaultDataDir(dir) });
}

/** baseCampaignId identifies a campaign by the CSV's content and the parsed campaign. */
export async function baseCampaignId(args: CliCommand, spec: CampaignSpec): Promise<string> {
  return campaignId(await hashFile(args.csvPath), spec as unknown as Parameters<typeof campaignId>[1]);
}

/** reportCommand writes the delivery report again from the campaign's journal. */
export async function reportCommand(args: CliCommand, io: CliIo): Promise<number> {
  const { spec, reader, source, plan } = await openInputs(args, io);
  try {
    const store = campaignStore(args, io);
    const id = await store.resolveId(await baseCampaignId(args, spec), { fresh: false });
    const known = await store.get(id);
    if (known === undefined) {
      throw new InputError([{ row: 0, field: 'campaign', reason: `no campaign has run yet for ${basename(args.csvPath)} with this campaign file`, severity: 'error' }]);
    }
    let rowCount = 0;
    for await (const b of source.batches()) rowCount += b.length;
    const open = await store.open(id, { csvFileName: basename(args.csvPath), providerKind: spec.provider.kind, rowCount, spec });
    try {
      const outcomes = new Map((await open.journal.load()).map((o) => [o.row, o]));
      const sidecar = await WassistSidecar.load(open.dir);
      const extras = usesWassistExtras(plan) || !sidecar.isEmpty() ? sidecar : undefined;
      await writeReport(args.reportPath as string, { format: reportFormatOf(args.reportPath as string), headers: reader.headers, records: reader.records(), outcomeOf: (row) => outcomes.get(row), extra: extras === undefined ? undefined : wassistColumns(extras) });
    } finally {
      await open.close();
    }
    io.stderr.write(`Report written to ${args.reportPath}\n`);
    return 0;
  } finally {
    await reader.close();
  }
}
