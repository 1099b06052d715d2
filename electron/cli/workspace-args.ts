import type { FrequencyCap, OptOutKind } from '../../shared/campaign/recipient-keys';
import { optOutKinds, parseFrequencyCap } from '../../shared/campaign/recipient-keys';
import type { Delimiter } from '../../shared/csv/parse';
import { InputError } from '../../shared/problems';

/**
 * The workspace's commands, parsed: `campaign optout add|remove|import|export|list`, `campaign
 * settings`, `campaign backup`. They work on the workspace (`--state`), not on one campaign.
 */

export const optOutActions = ['add', 'remove', 'import', 'export', 'list'] as const;
export type OptOutAction = (typeof optOutActions)[number];

/** OptOutCommand is `campaign optout <action> ...`. */
export interface OptOutCommand {
  command: 'optout';
  action: OptOutAction;
  /** add, remove: the values; import: the CSV file; export: the output file. */
  values: string[];
  kind?: OptOutKind;
  column?: string;
  reason?: string;
  country?: string;
  skipInvalid: boolean;
  delimiter?: Delimiter;
  search?: string;
  limit: number;
  stateDir?: string;
}

/** SettingsCommand is `campaign settings [--frequency-cap N/PERIOD|off]`. */
export interface SettingsCommand {
  command: 'settings';
  /** undefined: only show the settings; null: turn the cap off. */
  frequencyCap?: FrequencyCap | null;
  stateDir?: string;
}

/** BackupCommand is `campaign backup <folder>`. */
export interface BackupCommand {
  command: 'backup';
  dir: string;
  stateDir?: string;
}

export type AdminCommand = OptOutCommand | SettingsCommand | BackupCommand;

/** The parsed option values the workspace commands read. */
export interface WorkspaceOptionValues {
  kind?: string | undefined;
  column?: string | undefined;
  reason?: string | undefined;
  country?: string | undefined;
  'skip-invalid'?: boolean | undefined;
  search?: string | undefined;
  limit?: string | undefined;
  'frequency-cap'?: string | undefined;
  state?: string | undefined;
}

function usageError(reason: string, field = 'arguments'): InputError {
  return new InputError([{ row: 0, field, reason, severity: 'error' }]);
}

/** parseAdminCommand reads a workspace command from its positionals and options (InputError naming what is wrong). */
export function parseAdminCommand(command: 'optout' | 'settings' | 'backup', rest: string[], values: WorkspaceOptionValues, delimiter: Delimiter | undefined): AdminCommand {
  const state = values.state === undefined ? {} : { stateDir: values.state };
  if (command === 'settings') {
    if (rest.length > 0) throw usageError(`unexpected argument "${rest[0]}"`);
    const raw = values['frequency-cap'];
    if (raw === undefined) return { command, ...state };
    const cap = parseFrequencyCap(raw);
    if (typeof cap === 'string') throw usageError(cap, '--frequency-cap');
    return { command, frequencyCap: cap, ...state };
  }
  if (command === 'backup') {
    const [dir, ...extra] = rest;
    if (dir === undefined) throw usageError('the folder to back the workspace up into is missing', 'folder');
    if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`);
    return { command, dir, ...state };
  }
  const [action, ...args] = rest;
  if (!(optOutActions as readonly (string | undefined)[]).includes(action)) {
    throw usageError(`${action === undefined ? 'the action is missing' : `unknown action "${action}"`} (expected add, remove, import, export or list)`, 'optout');
  }
  const a = action as OptOutAction;
  let kind: OptOutKind | undefined;
  if (values.kind !== undefined) {
    if (!(optOutKinds as readonly string[]).includes(values.kind)) throw usageError(`must be phone, conversation or key, got "${values.kind}"`, '--kind');
    kind = values.kind as OptOutKind;
  }
  if ((a === 'add' || a === 'remove') && args.length === 0) throw usageError(`give the numbers, conversation ids or keys to ${a}`, 'values');
  if ((a === 'import' || a === 'export') && args.length !== 1) throw usageError(a === 'import' ? 'give one CSV file to import' : 'give the file to export the list to', a === 'import' ? 'file.csv' : 'out.csv');
  if (a === 'list' && args.length > 0) throw usageError(`unexpected argument "${args[0]}" (search with --search TEXT)`);
  if (a === 'import' && values.column === undefined) throw usageError('--column NAME is required: the column holding the numbers or ids', '--column');
  if (a !== 'import' && values.column !== undefined) throw usageError('--column is only used with optout import', '--column');
  let limit = 50;
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1) throw usageError(`must be a number from 1, got "${values.limit}"`, '--limit');
    limit = Number(values.limit);
  }
  const cmd: OptOutCommand = { command: 'optout', action: a, values: args, skipInvalid: values['skip-invalid'] === true, limit, ...state };
  if (kind !== undefined) cmd.kind = kind;
  if (values.column !== undefined) cmd.column = values.column;
  if (values.reason !== undefined) cmd.reason = values.reason;
  if (values.country !== undefined) cmd.country = values.country.trim().toUpperCase();
  if (values.search !== undefined) cmd.search = values.search;
  if (delimiter !== undefined) cmd.delimiter = delimiter;
  return cmd;
}
