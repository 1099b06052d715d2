import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { CsvTable, Delimiter } from '../../../shared/csv/parse';
import { CsvTableBuilder, parseCsvBytes } from '../../../shared/csv/parse';
import type { DatasetInfo } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import { hashBytes } from '../state/campaign-id';

/**
 * Datasets are the CSVs the user imported in this session, parsed once with the shared CSV parser
 * and kept in main (the renderer only gets a summary and a sample). Only the last few are kept:
 * a 1,000,000-row file is a few hundred MB in memory.
 */

/** Dataset is an imported CSV. `hash` is the SHA-256 of its bytes: with the spec, it names the campaign. */
export interface Dataset {
  id: string;
  name: string;
  hash: string;
  table: CsvTable;
}

const SAMPLE_ROWS = 20;
const LISTED_PROBLEMS = 100;

export class DatasetStore {
  private readonly datasets = new Map<string, Dataset>();
  private readonly keep: number;

  constructor(keep = 3) {
    this.keep = keep;
  }

  /** load parses a CSV (InputError naming the line when it cannot be read) and keeps it. */
  load(name: string, bytes: Uint8Array, delimiter?: Delimiter): DatasetInfo {
    const table = parseCsvBytes(bytes, delimiter === undefined ? {} : { delimiter });
    return this.add(name, hashBytes(bytes), table);
  }

  /**
   * loadFile reads a CSV main found itself (its own open dialog, the bundled sample) as a stream:
   * hashed and parsed a piece at a time, so main never holds the file's bytes next to its rows.
   */
  async loadFile(path: string, delimiter?: Delimiter): Promise<DatasetInfo> {
    const builder = new CsvTableBuilder(delimiter === undefined ? {} : { delimiter });
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        hash.update(chunk as Buffer);
        builder.pushBytes(chunk as Buffer);
      }
    } catch (e) {
      if (e instanceof Error && 'code' in e) throw new UserError(`Cannot read ${basename(path)}: ${String((e as NodeJS.ErrnoException).code)}.`);
      throw e;
    }
    return this.add(path, hash.digest('hex'), builder.finish());
  }

  /**
   * add keeps a CSV parsed elsewhere (a chunked upload); `hash` must be the SHA-256 (hex) of its
   * bytes, as load computes it, so the same content names the same campaign however it arrived.
   */
  add(name: string, hash: string, table: CsvTable): DatasetInfo {
    const dataset: Dataset = { id: randomUUID(), name: baseName(name), hash, table };
    this.datasets.set(dataset.id, dataset);
    while (this.datasets.size > this.keep) {
      const oldest = this.datasets.keys().next().value;
      if (oldest === undefined) break;
      this.datasets.delete(oldest);
    }
    return info(dataset);
  }

  /** get returns a dataset, or a UserError when it is no longer held. */
  get(id: string): Dataset {
    const d = this.datasets.get(id);
    if (d === undefined) throw new UserError('That CSV is no longer loaded. Import it again.');
    return d;
  }

  /** byHash finds a loaded dataset with this content, to export the report of a past campaign. */
  byHash(hash: string): Dataset | undefined {
    for (const d of this.datasets.values()) if (d.hash === hash) return d;
    return undefined;
  }
}

/** info is what the renderer is told about a dataset. */
export function info(d: Dataset): DatasetInfo {
  const t = d.table;
  return {
    datasetId: d.id,
    name: d.name,
    headers: t.headers,
    rowCount: t.records.length,
    delimiter: t.delimiter,
    encoding: t.encoding,
    warnings: t.warnings,
    problems: t.problems.slice(0, LISTED_PROBLEMS),
    sample: t.records.slice(0, SAMPLE_ROWS).map((r) => r.fields),
  };
}

/** baseName keeps only the file name of whatever path-like name the renderer or a dialog gave. */
export function baseName(name: string): string {
  const parts = name.split(/[\\/]/);
  return (parts[parts.length - 1] ?? name).slice(0, 200) || 'contacts.csv';
}
