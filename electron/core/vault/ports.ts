/**
 * What the vault needs from the platform, as small interfaces: Electron's safeStorage and an
 * electron-store instance fit them as they are; tests pass fakes. Nothing here imports electron.
 */

/** SafeStorageLike is the part of Electron's safeStorage the vault uses (valid after app `ready`). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: which secret store encrypts; `basic_text` means a hard-coded password, i.e. obfuscation. */
  getSelectedStorageBackend?(): string;
}

/** KeyValueStore is a persistent settings store (electron-store in the app, a JSON file or a Map in tests). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** MemoryStore is a KeyValueStore in memory, for tests and as a fallback. Values are copied in and out. */
export class MemoryStore implements KeyValueStore {
  private readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return this.data.has(key) ? structuredClone(this.data.get(key)) : undefined;
  }
  set(key: string, value: unknown): void {
    this.data.set(key, structuredClone(value));
  }
  delete(key: string): void {
    this.data.delete(key);
  }
}
