import type { JsonObject } from '../json';
import type { Problem } from '../problems';
import { InputError } from '../problems';
import { providers as allProviders } from '../providers';
import type { ProviderDefinition, WireKind, WireRequest } from '../providers/types';
import { actionDefinition } from '../providers/wassist-actions';
import type { PreparedRow } from './prepare';
import { prepareRow } from './prepare';
import { filePathProblem } from '../attachments/file-path';
import { readPhone } from './phone';
import type { CompiledCampaign, CompiledTemplate, EmptyHit } from './render';
import { compileCampaign, compileStrings, renderTemplate } from './render';
import { wireKindOf } from './provider-config';
import type { CampaignSpec, InactivePolicy } from './schema';
import { inactivePolicyOf } from './schema';

/**
 * A campaign plan: a campaign compiled against a CSV's headers, ready to check, route and send
 * every row. It holds the main message (or action body), the fallback template for inactive
 * conversations, and the phone-number recipient, each compiled with the shared renderer, so what
 * the preview shows is what is sent. Every campaign, whatever its provider, is planned here.
 */

/** Variant says which body a row is sent: the campaign's message (or action), or the fallback template. */
export type Variant = 'message' | 'fallback';

/** CampaignPlan is a campaign compiled against a CSV's headers, with everything the runner needs to route rows. */
export interface CampaignPlan {
  spec: CampaignSpec;
  /** The message (or action body) compiled with the campaign's definition. With phone recipients its recipient is a stand-in. */
  compiled: CompiledCampaign;
  /** The fallback template, compiled as a Wassist template message. */
  fallback: CompiledCampaign | undefined;
  /** The phone template (recipient.phone), when rows are addressed by phone number. */
  phone: CompiledTemplate | undefined;
  /** Whether each row's conversation must be active to take the main body (and so is checked before sending). */
  checksActive: boolean;
  policy: InactivePolicy;
  /** Pingback: the files each row attaches (`files[i]`), compiled; empty when it attaches none. */
  files: CompiledTemplate[];
  /** Every column the campaign uses, each once: the recipient's first. */
  columns: string[];
}

/** The conversation id a phone campaign's rows carry until their conversation is found. */
const PHONE_STAND_IN = '(looked up by phone)';

/**
 * campaignProviders maps each wire API to the definition a campaign's requests use: Wassist's is
 * replaced by the action's (trigger, setCredits) when the campaign runs one. Pass it wherever
 * `providers` goes (compileCampaign, the engine) so an action campaign builds action requests.
 */
export function campaignProviders(spec: CampaignSpec): Record<WireKind, ProviderDefinition> {
  if (spec.action === undefined) return allProviders;
  return { ...allProviders, wassist: actionDefinition(spec.action) };
}

/** campaignDefinition is the one definition a campaign's main requests are built and judged with. */
export function campaignDefinition(spec: CampaignSpec): ProviderDefinition {
  return campaignProviders(spec)[wireKindOf(spec.provider)];
}

/**
 * sendsFreeForm tells whether a campaign's main request only works in an active conversation:
 * a Wassist message that is not a template, or a trigger (the agent answers with a free-form message).
 */
export function sendsFreeForm(spec: CampaignSpec): boolean {
  if (wireKindOf(spec.provider) !== 'wassist') return false;
  if (spec.action === 'setCredits') return false;
  if (spec.action === 'trigger') return true;
  return spec.message.type !== 'template';
}

/**
 * checksConversations tells whether each row's conversation must be found active before its main
 * body is sent (and so is looked up first): every free-form Wassist message, as Wassist's document
 * asks ("Check conversation status first!"), unless the file opts out (`checkConversations: false`).
 */
export function checksConversations(spec: CampaignSpec): boolean {
  return sendsFreeForm(spec) && spec.checkConversations !== false;
}

/** isMessageProblem tells a problem of the main body (`message…`) from one of the recipient or the row. */
export function isMessageProblem(p: Problem): boolean {
  return p.field === 'message' || p.field.startsWith('message.') || p.field.startsWith('message[');
}

function renamed(problems: Problem[], from: string, to: string): Problem[] {
  return problems.map((p) => (p.field === from || p.field.startsWith(`${from}.`) || p.field.startsWith(`${from}[`) ? { ...p, field: to + p.field.slice(from.length) } : p));
}

function collect<T>(problems: Problem[], f: () => T, from?: string, to?: string): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(...(from !== undefined && to !== undefined ? renamed(e.problems, from, to) : e.problems));
    return undefined;
  }
}

/**
 * compilePlan compiles a campaign against the CSV headers: the message, the phone column and the
 * fallback. It throws one InputError listing every unknown column of all three, each naming its field
 * (`recipient.phone`, `fallback.template.variables.body[0]`…).
 */
export function compilePlan(spec: CampaignSpec, headers: string[]): CampaignPlan {
  const problems: Problem[] = [];
  const defs = campaignProviders(spec);
  const byPhone = spec.recipient.phone !== undefined;
  const mainSpec: CampaignSpec = byPhone ? { ...spec, recipient: { conversationId: PHONE_STAND_IN } } : spec;
  const compiled = collect(problems, () => compileCampaign(mainSpec, headers, defs));
  let phone: CompiledTemplate | undefined;
  if (byPhone) {
    const phoneSpec: CampaignSpec = { ...spec, recipient: { conversationId: spec.recipient.phone ?? '' }, message: {} };
    phone = collect(problems, () => compileCampaign(phoneSpec, headers, defs).recipient, 'recipient.conversationId', 'recipient.phone');
  }
  let fallback: CompiledCampaign | undefined;
  if (spec.fallback !== undefined) {
    const { action: _action, ...rest } = spec;
    const fallbackSpec: CampaignSpec = { ...rest, recipient: { conversationId: PHONE_STAND_IN }, message: fallbackMessage(spec.fallback.template) };
    fallback = collect(problems, () => compileCampaign(fallbackSpec, headers, allProviders), 'message', 'fallback');
  }
  const files = collect(problems, () => compileStrings(headers, (spec.files ?? []).map((text, i) => ({ text, field: `files[${i}]` })))) ?? [];
  if (problems.length > 0 || compiled === undefined) throw new InputError(problems);
  const columns = [...(phone?.columns ?? []), ...compiled.columns.filter((c) => !phone?.columns.includes(c))];
  for (const c of [...(fallback?.columns ?? []), ...files.flatMap((f) => f.columns)]) if (!columns.includes(c)) columns.push(c);
  return {
    spec,
    compiled,
    fallback,
    phone,
    checksActive: checksConversations(spec),
    policy: inactivePolicyOf(spec),
    files,
    columns,
  };
}

function fallbackMessage(template: JsonObject): JsonObject {
  return { type: 'template', template };
}

/** PlannedRow is one row checked offline: its main body prepared, its number normalised, its problems. */
export interface PlannedRow {
  row: number;
  /** The main body; with phone recipients its `recipient` and `request` wait for the conversation (requestFor). */
  prepared: PreparedRow;
  /** The row's number in E.164, when the campaign addresses rows by phone and the number is valid (the first reading when there are two). */
  phone?: string;
  /** Both readings of digits that may or may not include the country code (see readPhone): the conversation list decides. */
  phoneReadings?: readonly [string, string];
  /** The number as the row writes it (phone campaigns). */
  phoneText?: string;
  /** Every problem of the row (phone, message, file paths); any error blocks it. Fallback problems are not here (fallbackRow). */
  problems: Problem[];
  /** The paths of the files the row attaches, rendered (each `files[i]`); the disk is checked in main. */
  files: string[];
}

/** planRow prepares a row's main body and, for phone campaigns, normalises its number; it renders the row's file paths. */
export function planRow(plan: CampaignPlan, row: number, fields: readonly string[]): PlannedRow {
  const prepared = prepareRow(plan.compiled, row, fields);
  const files = plan.files.length === 0 ? noFiles : renderFiles(plan.files, row, fields);
  if (plan.phone === undefined) {
    return { row, prepared, problems: files.problems.length === 0 ? prepared.problems : [...prepared.problems, ...files.problems], files: files.paths };
  }
  const hits: EmptyHit[] = [];
  const text = renderTemplate(plan.phone, fields, hits);
  const column = hits[0]?.columns[0] ?? plan.phone.columns[0];
  const problems: Problem[] = [];
  const at = (reason: string): Problem => {
    const p: Problem = { row, field: 'recipient.phone', reason, severity: 'error' };
    if (column !== undefined) p.column = column;
    return p;
  };
  const out: PlannedRow = { row, prepared, problems, phoneText: text.trim(), files: files.paths };
  if (text.trim() === '') {
    problems.push(at(column !== undefined ? `missing value: column "${column}" is empty` : 'no phone number: set recipient.phone (usually "{{phone}}")'));
  } else {
    const r = readPhone(text, plan.spec.recipient.defaultCountry);
    if (r.ok) {
      out.phone = r.e164;
      if (r.readings !== undefined) out.phoneReadings = r.readings;
    } else {
      problems.push(at(r.reason));
    }
  }
  problems.push(...prepared.problems, ...files.problems);
  return out;
}

const noFiles: { paths: string[]; problems: Problem[] } = { paths: [], problems: [] };

/** renderFiles renders a row's file paths; an empty one, or one that would leave the folder, is an error naming `files[i]` and its column. */
function renderFiles(templates: readonly CompiledTemplate[], row: number, fields: readonly string[]): { paths: string[]; problems: Problem[] } {
  const paths: string[] = [];
  const problems: Problem[] = [];
  for (const t of templates) {
    const hits: EmptyHit[] = [];
    const path = renderTemplate(t, fields, hits);
    const column = hits[0]?.columns[0] ?? t.columns[0];
    const at = (reason: string): Problem => (column === undefined ? { row, field: t.field, reason, severity: 'error' } : { row, field: t.field, column, reason, severity: 'error' });
    paths.push(path);
    if (hits.length > 0 || path.trim() === '') {
      // An empty cell without a fallback leaves no file name (or half of one: "docs/").
      problems.push(at(hits.length > 0 ? `missing value: column "${column ?? ''}" is empty, so there is no file to attach` : 'names no file'));
      continue;
    }
    const unfit = filePathProblem(path);
    if (unfit !== undefined) problems.push(at(`file path ${JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path)} ${unfit}`));
  }
  return { paths, problems };
}

/** fallbackRow prepares a row's fallback template; its problems name `fallback.…` fields. Undefined when the campaign has none. */
export function fallbackRow(plan: CampaignPlan, row: number, fields: readonly string[]): PreparedRow | undefined {
  if (plan.fallback === undefined) return undefined;
  const prepared = prepareRow(plan.fallback, row, fields);
  return { ...prepared, problems: renamed(prepared.problems, 'message', 'fallback') };
}

/** requestFor builds the request of a prepared body for the conversation it goes to. */
export function requestFor(prepared: PreparedRow, conversationId: string, variant: Variant, plan: CampaignPlan): WireRequest {
  const def = variant === 'fallback' ? (plan.fallback as CompiledCampaign).provider : plan.compiled.provider;
  return def.buildRequest(conversationId, prepared.body);
}

/**
 * PhoneDeduper finds numbers seen on an earlier row, so each number is sent once. Feed it the
 * rows that will be sent, in row order, and it answers the first row of each number.
 */
export class PhoneDeduper {
  readonly #first = new Map<string, number>();

  /** see records `row`'s number and returns the earlier row with the same number, if any. */
  see(row: number, e164: string): number | undefined {
    const first = this.#first.get(e164);
    if (first !== undefined) return first;
    this.#first.set(e164, row);
    return undefined;
  }
}

/**
 * ambiguityWarning is the warning, before the conversations are looked up, on a row whose number can
 * be read two ways (see readPhone): it says both and how the choice is made. Undefined otherwise.
 */
export function ambiguityWarning(plan: CampaignPlan, planned: PlannedRow): Problem | undefined {
  const r = planned.phoneReadings;
  if (r === undefined) return undefined;
  const p: Problem = {
    row: planned.row,
    field: 'recipient.phone',
    reason: `"${planned.phoneText ?? ''}" can be read as ${r[0]} or, in ${plan.spec.recipient.defaultCountry ?? ''}, as ${r[1]}: the one the agent has a conversation with is used`,
    severity: 'warning',
  };
  if (plan.phone?.columns[0] !== undefined) p.column = plan.phone.columns[0];
  return p;
}

/** duplicateReason is the reason a duplicate row is skipped (and the warning validation shows). */
export function duplicateReason(firstRow: number, e164: string): string {
  return `duplicate of row ${firstRow} (${e164}): the number gets the message once`;
}
