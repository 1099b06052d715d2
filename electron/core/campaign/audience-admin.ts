import { join } from 'node:path';
import type { FrequencyCap, OptOutKind, OptOutSource } from '../../../shared/campaign/recipient-keys';
import { normalizeOptOutValue } from '../../../shared/campaign/recipient-keys';
import type { Problem } from '../../../shared/problems';
import { InputError } from '../../../shared/problems';
import { scanJournal } from '../state/journal-reader';
import type { OptOutImport, OptOutImportResult } from '../workspace/opt-out-csv';
import type { SentRows } from '../workspace/send-history';
import { exportOptOuts, importOptOuts } from '../workspace/opt-out-csv';
import type { KeyedValue, OptOutEntry, OptOutList } from '../workspace/opt-out-list';
import type { ServiceCore } from './service-core';
import type { BackupContents } from './workspace-backup';
import { backupWorkspace } from './workspace-backup';

/**
 * The opt-out list and the frequency cap as people manage them, for every front end: add, remove,
 * import, export and list entries; read and set the cap (counting earlier campaigns in the first
 * time); back the workspace up. Other features add entries through `list` (the engagement feature,
 * with source `reply`).
 */

/** AddOptions say what the values are and why they are added. */
export interface AddOptions {
  kind: OptOutKind;
  reason?: string;
  /** Country of numbers written without a country code. */
  defaultCountry?: string;
  /** Default `manual` (added by hand). */
  source?: OptOutSource;
  /** Where from (a conversation and message, for a reply). */
  origin?: string;
}

/** WorkspaceSettings are the workspace's settings and the size of its list. */
export interface WorkspaceSettings {
  frequencyCap: FrequencyCap | null;
  optOutCount: number;
}

export class AudienceAdmin {
  readonly #core: ServiceCore;

  constructor(core: ServiceCore) {
    this.#core = core;
  }

  /** list is the workspace's opt-out list itself (for features that add entries: see OptOutList.add). */
  get list(): OptOutList {
    return this.#core.workspace.optOuts;
  }

  /** add adds values typed by a person; any bad value is an InputError naming it, and then nothing is added. */
  add(values: readonly string[], o: AddOptions): { added: number; existing: number } {
    const keyed = keyedValues(values, o.kind, o.defaultCountry);
    const from: { source: OptOutSource; reason?: string; origin?: string } = { source: o.source ?? 'manual' };
    if (o.reason !== undefined && o.reason.trim() !== '') from.reason = o.reason.trim();
    if (o.origin !== undefined && o.origin.trim() !== '') from.origin = o.origin.trim();
    return this.list.add(keyed, from);
  }

  /**
   * remove takes entries off the list, named by their key (`p:+447911123456`, as listed) or by their
   * value read as `kind` (a number is normalised, so any way of writing it finds its entry).
   */
  remove(values: readonly string[], kind?: OptOutKind, defaultCountry?: string): { removed: number } {
    const keys = values.map((v) => (kind === undefined && /^[pck]:/.test(v) ? v : (keyedValues([v], kind ?? 'phone', defaultCountry)[0] as KeyedValue).key));
    return this.list.remove(keys);
  }

  /** page lists entries, newest first (see OptOutList.page). */
  page(offset: number, limit: number, search?: string): { total: number; entries: OptOutEntry[] } {
    return this.list.page(offset, limit, search);
  }

  import(o: OptOutImport): Promise<OptOutImportResult> {
    return importOptOuts(this.list, o);
  }

  /** export writes the list to `path` as CSV; answers how many entries it holds. */
  export(path: string): Promise<number> {
    return exportOptOuts(this.list, path);
  }

  settings(): WorkspaceSettings {
    const ws = this.#core.workspace;
    return { frequencyCap: ws.frequencyCap(), optOutCount: ws.optOuts.count() };
  }

  /**
   * setFrequencyCap sets the cap (null turns it off). The first time a cap is set, the journals of
   * campaigns sent before the history existed are read once, so their messages count too.
   */
  async setFrequencyCap(cap: FrequencyCap | null): Promise<WorkspaceSettings & { backfilled?: { campaigns: number; messages: number } }> {
    const ws = this.#core.workspace;
    let backfilled: { campaigns: number; messages: number } | undefined;
    if (cap !== null && !ws.history.backfilled) backfilled = await ws.history.backfill(this.#journals());
    // No cap looks back more than 366 days: older messages only take room.
    ws.history.prune(this.#core.clock.now() - 367 * 24 * 3_600_000);
    ws.setFrequencyCap(cap);
    return backfilled === undefined ? this.settings() : { ...this.settings(), backfilled };
  }

  /**
   * backup copies the workspace into `dir`, consistently while the app or another command uses it:
   * both databases, every campaign's folder, the imported contacts and the sandbox's worlds (see
   * workspace-backup.ts for what is left out and why). Point `--state` at it, or copy it back, to restore.
   */
  backup(dir: string): Promise<BackupContents> {
    return backupWorkspace(this.#core, dir);
  }

  async *#journals(): AsyncGenerator<{ campaignId: string; latest: SentRows }> {
    for (const c of await this.#core.store.list()) {
      try {
        yield { campaignId: c.meta.id, latest: (await scanJournal(join(this.#core.store.campaignDir(c.meta.id), 'journal.log'))).latest };
      } catch {
        // A damaged journal is reported where the campaign is shown; it cannot count here.
      }
    }
  }
}

/** keyedValues normalises values of one kind; the bad ones are an InputError naming each. */
function keyedValues(values: readonly string[], kind: OptOutKind, defaultCountry?: string): KeyedValue[] {
  const problems: Problem[] = [];
  const out: KeyedValue[] = [];
  values.forEach((text, i) => {
    const v = normalizeOptOutValue(kind, text, defaultCountry);
    if (v.ok) out.push({ key: v.key, kind, value: v.value });
    else problems.push({ row: 0, field: values.length === 1 ? 'value' : `value ${i + 1}`, reason: `${JSON.stringify(text.trim())} ${v.reason.replace(/^".*?" /, '')}`, severity: 'error' });
  });
  if (problems.length > 0) throw new InputError(problems);
  return out;
}
