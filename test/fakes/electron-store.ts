import { readFileSync, writeFileSync } from 'node:fs';
import type { KeyValueStore } from '../../electron/core/vault/ports';

/**
 * A stand-in for electron-store: a JSON file rewritten on every change, like electron-store's
 * config.json, so tests can read what would be on disk.
 */
export class JsonFileStore implements KeyValueStore {
  readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
  private read(): Record<string, unknown> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  get(key: string): unknown {
    return this.read()[key];
  }
  set(key: string, value: unknown): void {
    writeFileSync(this.path, JSON.stringify({ ...this.read(), [key]: value }, null, 2));
  }
  delete(key: string): void {
    const data = this.read();
    delete data[key];
    writeFileSync(this.path, JSON.stringify(data, null, 2));
  }
}
