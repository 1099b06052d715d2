import type { JsonObject, JsonPrimitive, JsonValue } from '../json';
import type { Problem } from '../problems';
import { InputError } from '../problems';
import { isBlank } from '../providers/rules';
import type { ProviderDefinition, WireKind } from '../providers/types';
import { unknownColumnReason } from './closest-header';
import { parseTemplate } from './placeholders';
import { wireKindOf } from './provider-config';
import type { CampaignSpec } from './schema';

/**
 * Rendering turns a campaign's message and recipient into the request body of one CSV row.
 * compileCampaign does all the work that does not depend on the row once (parsing every string,
 * resolving every column to its index), so rendering a row is a walk over a small tree that
 * concatenates strings and builds fresh objects: no regex, no JSON round trip, no lookups by name.
 * The desktop preview and the engine both render through here, so the preview is what is sent.
 */

/** CompiledSlot is a placeholder resolved against the headers: the cell to read and what to do when it is empty. */
export interface CompiledSlot {
  /** Index of the column in the row's fields. */
  index: number;
  column: string;
  fallback?: string;
}

/** CompiledTemplate is one templated string of the campaign, with the field path it sits at. */
export interface CompiledTemplate {
  /** Full path, as problems name it: `message.template.variables.body[1]`, `recipient.conversationId`. */
  field: string;
  /** Literal text and slots, in order. */
  parts: (string | CompiledSlot)[];
  /** The whole string when it has no placeholder (rendering then returns it as is). */
  literal: string | undefined;
  /** The columns this string uses, each once, in order of first use. */
  columns: string[];
}

/** NodeKind says how a RenderNode builds its value (numbers, so the walk's switch stays cheap). */
export const NodeKind = { value: 0, text: 1, cell: 2, array: 3, object: 4 } as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/**
 * RenderNode is one value of the message, ready to render. Every node has the same fields, so
 * the walk reads them at one shape (the walk is the hot loop of a million-row campaign):
 * - `value`: a primitive (a string without placeholders included), returned as is;
 * - `text`: a template string, rendered by renderTemplate;
 * - `cell`: a string that is exactly one placeholder, `slot`, read straight from the row;
 * - `array`: a fresh array of `children`;
 * - `object`: a fresh copy of `shape`, which holds every primitive member already, with the
 *   members named in `keys` filled in from `children`.
 */
export class RenderNode {
  constructor(
    readonly kind: NodeKind,
    readonly value: JsonPrimitive,
    readonly template: CompiledTemplate | undefined,
    readonly slot: CompiledSlot | undefined,
    readonly children: RenderNode[],
    readonly keys: string[],
    readonly shape: JsonObject | undefined,
  ) {}
}

/** CompiledCampaign is a campaign bound to a CSV's headers and its provider, ready to render rows. */
export interface CompiledCampaign {
  spec: CampaignSpec;
  provider: ProviderDefinition;
  /** The CSV headers, trimmed, in file order. */
  headers: string[];
  /** The message tree; its root is an object node. */
  message: RenderNode;
  /** The conversation id template (literal '' when the campaign has none). */
  recipient: CompiledTemplate;
  /** Every templated string of the message by its field path, for attributing provider issues to columns. */
  templates: Map<string, CompiledTemplate>;
  /** Every column the campaign uses, each once: the recipient's first, then the message's in document order. */
  columns: string[];
}

/**
 * EmptyHit records a string rendered in a row where placeholders without fallback met empty cells.
 * prepare.ts turns hits into problems.
 */
export interface EmptyHit {
  template: CompiledTemplate;
  /** The empty columns, in order of use. */
  columns: string[];
  /** The rendered string. */
  value: string;
}

/** fieldPath extends a path the way problems name fields (and zodPath renders them): `a.b[2].c`. */
function fieldPath(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

/** Compiler carries what compiling needs: the header index and the problems found so far. */
class Compiler {
  readonly problems: Problem[] = [];
  readonly templates = new Map<string, CompiledTemplate>();
  readonly columns = new Set<string>();

  constructor(
    private readonly index: Map<string, number>,
    private readonly headers: string[],
  ) {}

  template(text: string, field: string): CompiledTemplate {
    const parts: (string | CompiledSlot)[] = [];
    const columns: string[] = [];
    for (const part of parseTemplate(text)) {
      if (typeof part === 'string') {
        parts.push(part);
        continue;
      }
      if (!columns.includes(part.column)) columns.push(part.column);
      this.columns.add(part.column);
      const index = this.index.get(part.column);
      if (index === undefined) {
        if (!this.problems.some((p) => p.field === field && p.column === part.column)) {
          this.problems.push({ row: 0, field, column: part.column, reason: unknownColumnReason(part.column, this.headers), severity: 'error' });
        }
        continue;
      }
      parts.push(part.fallback === undefined ? { index, column: part.column } : { index, column: part.column, fallback: part.fallback });
    }
    const literal = columns.length === 0 ? text : undefined;
    return { field, parts, literal, columns };
  }

  node(value: JsonValue, field: string): RenderNode {
    if (typeof value === 'string') {
      const template = this.template(value, field);
      this.templates.set(field, template);
      if (template.literal !== undefined) return new RenderNode(NodeKind.value, template.literal, undefined, undefined, [], [], undefined);
      const only = template.parts.length === 1 ? template.parts[0] : undefined;
      if (only !== undefined && typeof only !== 'string') return new RenderNode(NodeKind.cell, null, template, only, [], [], undefined);
      return new RenderNode(NodeKind.text, null, template, undefined, [], [], undefined);
    }
    if (Array.isArray(value)) {
      const children = value.map((v, i) => this.node(v, fieldPath(field, i)));
      return new RenderNode(NodeKind.array, null, undefined, undefined, children, [], undefined);
    }
    if (value !== null && typeof value === 'object') return this.object(value, field);
    return new RenderNode(NodeKind.value, value, undefined, undefined, [], [], undefined);
  }

  object(value: JsonObject, field: string): RenderNode {
    const shape: JsonObject = {};
    const keys: string[] = [];
    const children: RenderNode[] = [];
    for (const key of Object.keys(value)) {
      const child = this.node(value[key] as JsonValue, fieldPath(field, key));
      const constant = child.kind === NodeKind.value;
      // defineProperty, not assignment: a member named `__proto__` must stay a member.
      Object.defineProperty(shape, key, { value: constant ? child.value : null, enumerable: true, writable: true, configurable: true });
      if (!constant) {
        keys.push(key);
        children.push(child);
      }
    }
    return new RenderNode(NodeKind.object, null, undefined, undefined, children, keys, shape);
  }
}

/**
 * compileCampaign compiles every string of the message and the recipient once against the CSV
 * headers (matched exactly, after trimming them). It throws InputError (row 0) naming the field and
 * the column of every placeholder whose column the CSV does not have, with a "did you mean" when a
 * header is close.
 */
export function compileCampaign(spec: CampaignSpec, headers: string[], providers: Record<WireKind, ProviderDefinition>): CompiledCampaign {
  const trimmed = headers.map((h) => h.trim());
  const index = new Map<string, number>();
  // A duplicated header resolves to its first column, as a spreadsheet lookup would.
  trimmed.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const compiler = new Compiler(index, trimmed);
  const recipient = compiler.template(spec.recipient.conversationId ?? '', 'recipient.conversationId');
  const message = compiler.object(spec.message, 'message');
  if (compiler.problems.length > 0) throw new InputError(compiler.problems);
  return {
    spec,
    provider: providers[wireKindOf(spec.provider)],
    headers: trimmed,
    message,
    recipient,
    templates: compiler.templates,
    columns: [...compiler.columns],
  };
}

/**
 * compileStrings compiles templated strings that are not part of the message (a campaign's `files`)
 * against the headers, each at its own field path. Unknown columns throw InputError as compileCampaign does.
 */
export function compileStrings(headers: string[], entries: readonly { text: string; field: string }[]): CompiledTemplate[] {
  const trimmed = headers.map((h) => h.trim());
  const index = new Map<string, number>();
  trimmed.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const compiler = new Compiler(index, trimmed);
  const out = entries.map((e) => compiler.template(e.text, e.field));
  if (compiler.problems.length > 0) throw new InputError(compiler.problems);
  return out;
}

/**
 * renderTemplate fills one string in from a row. An empty cell takes the placeholder's fallback,
 * or becomes '' and is recorded in `hits`. Cell values go in as they are (untrimmed, never expanded again).
 */
export function renderTemplate(t: CompiledTemplate, fields: readonly string[], hits: EmptyHit[]): string {
  if (t.literal !== undefined) return t.literal;
  let out = '';
  let empty: string[] | undefined;
  const parts = t.parts;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | CompiledSlot;
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const cell = fields[part.index] ?? '';
    if (!isBlank(cell)) out += cell;
    else if (part.fallback !== undefined) out += part.fallback;
    else if (empty === undefined) empty = [part.column];
    else if (!empty.includes(part.column)) empty.push(part.column);
  }
  if (empty !== undefined) hits.push({ template: t, columns: empty, value: out });
  return out;
}

/** renderNode builds a fresh value for one row from a compiled node. */
export function renderNode(node: RenderNode, fields: readonly string[], hits: EmptyHit[]): JsonValue {
  switch (node.kind) {
    case NodeKind.value:
      return node.value;
    case NodeKind.cell: {
      const slot = node.slot as CompiledSlot;
      const cell = fields[slot.index] ?? '';
      if (!isBlank(cell)) return cell;
      if (slot.fallback !== undefined) return slot.fallback;
      hits.push({ template: node.template as CompiledTemplate, columns: [slot.column], value: '' });
      return '';
    }
    case NodeKind.text:
      return renderTemplate(node.template as CompiledTemplate, fields, hits);
    case NodeKind.array: {
      const children = node.children;
      const out = new Array<JsonValue>(children.length);
      for (let i = 0; i < children.length; i++) out[i] = renderNode(children[i] as RenderNode, fields, hits);
      return out;
    }
    case NodeKind.object:
      return renderObject(node, fields, hits);
  }
}

/**
 * renderObject builds a fresh object for one row from an object node: a copy of its shape (so
 * the members keep the campaign's order and constants cost nothing) with the templated members
 * filled in. Keys are copied, never templated.
 */
export function renderObject(node: RenderNode, fields: readonly string[], hits: EmptyHit[]): JsonObject {
  const out: JsonObject = { ...node.shape };
  const { keys, children } = node;
  for (let i = 0; i < keys.length; i++) out[keys[i] as string] = renderNode(children[i] as RenderNode, fields, hits);
  return out;
}
