import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Variant } from '../../../shared/campaign/plan';
import type { MessageStatus } from '../../../shared/providers/wassist-api';
import { messageStatuses } from '../../../shared/providers/wassist-api';
import { atomicWriteFile } from '../state/atomic-write';

/**
 * What a Wassist campaign knows about its rows beyond the journal's RowOutcome, kept in a file of
 * its own next to the journal (`<campaign dir>/wassist-rows.json`) so the journal's format stays as
 * it is: which body each row was sent (the message or the fallback template) and (phone campaigns)
 * the number each row was resolved by, so the status table and the report show the number people
 * know, and a resumed run keeps the resolution of the first. Written atomically. `delivery` is what
 * earlier versions kept of each message's status: it is read once into the engagement database
 * (electron/core/engagement/) and no longer written to.
 */

/** SIDECAR_FILE is the file's name inside the campaign folder. */
export const SIDECAR_FILE = 'wassist-rows.json';

/** DeliveryRecord is a sent message's latest known status; `at` is when we first saw that status (ISO 8601). */
export interface DeliveryRecord {
  messageId: string;
  status: MessageStatus;
  at: string;
}

const fileSchema = z.strictObject({
  version: z.literal(1),
  variants: z.record(z.string().regex(/^\d+$/), z.enum(['message', 'fallback'])),
  delivery: z.record(
    z.string().regex(/^\d+$/),
    z.strictObject({ messageId: z.string(), status: z.enum(messageStatuses), at: z.string() }),
  ),
  /** When delivery statuses were last read. */
  checkedAt: z.string().optional(),
  /** Phone campaigns: each row's number (E.164) as the campaign resolved it. */
  phones: z.record(z.string().regex(/^\d+$/), z.string()).optional(),
});

/** WassistSidecar holds a campaign's variants and delivery statuses in memory; save() writes them. */
export class WassistSidecar {
  readonly path: string;
  readonly variants = new Map<number, Variant>();
  readonly delivery = new Map<number, DeliveryRecord>();
  readonly phones = new Map<number, string>();
  checkedAt: string | undefined;

  private constructor(path: string) {
    this.path = path;
  }

  /** inMemory is a sidecar that is never saved (a dry run's report). */
  static inMemory(): WassistSidecar {
    return new WassistSidecar('');
  }

  /** load reads the sidecar of the campaign in `dir` (an empty one when there is none yet). */
  static async load(dir: string): Promise<WassistSidecar> {
    const s = new WassistSidecar(join(dir, SIDECAR_FILE));
    let text: string;
    try {
      text = await readFile(s.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return s;
      throw e;
    }
    let parsed;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (e) {
      throw new Error(`${s.path} is damaged (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); delete it to start its records over`, { cause: e });
    }
    for (const [row, v] of Object.entries(parsed.variants)) s.variants.set(Number(row), v);
    for (const [row, d] of Object.entries(parsed.delivery)) s.delivery.set(Number(row), d);
    for (const [row, phone] of Object.entries(parsed.phones ?? {})) s.phones.set(Number(row), phone);
    s.checkedAt = parsed.checkedAt;
    return s;
  }

  /** isEmpty tells whether there is anything to show. */
  isEmpty(): boolean {
    return this.variants.size === 0 && this.delivery.size === 0 && this.phones.size === 0;
  }

  /** save writes the file atomically (temp file, sync, rename). */
  async save(): Promise<void> {
    if (this.path === '') return;
    const byRow = <T>(m: Map<number, T>) => Object.fromEntries([...m.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v]));
    const out: z.infer<typeof fileSchema> = { version: 1, variants: byRow(this.variants), delivery: byRow(this.delivery) };
    if (this.checkedAt !== undefined) out.checkedAt = this.checkedAt;
    if (this.phones.size > 0) out.phones = byRow(this.phones);
    await atomicWriteFile(this.path, `${JSON.stringify(out)}\n`);
  }
}

/** SidecarCache holds the sidecars this process has read or written, one load per campaign. */
export class SidecarCache {
  readonly #loaded = new Map<string, Promise<WassistSidecar>>();

  /** get loads a campaign's sidecar once (an empty one when it has none yet). */
  get(id: string, dir: string): Promise<WassistSidecar> {
    let s = this.#loaded.get(id);
    if (s === undefined) {
      s = WassistSidecar.load(dir);
      this.#loaded.set(id, s);
      s.catch(() => this.#loaded.delete(id));
    }
    return s;
  }
}
