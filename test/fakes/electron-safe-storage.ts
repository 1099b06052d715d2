import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from '../../electron/core/vault/ports';

/**
 * A stand-in for Electron's safeStorage that really encrypts (AES-256-GCM under a key derived
 * from `secret`), so a test can check that no plain key reaches disk, and can make decryption
 * fail the way it does when the app is renamed or the keychain changes (`changeKeychain`).
 */
export class FakeSafeStorage implements SafeStorageLike {
  available: boolean;
  backend: string;
  private secret: string;

  constructor(options: { available?: boolean; backend?: string; secret?: string } = {}) {
    this.available = options.available ?? true;
    this.backend = options.backend ?? 'gnome_libsecret';
    this.secret = options.secret ?? 'keychain-1';
  }

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  getSelectedStorageBackend(): string {
    return this.backend;
  }

  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Error while encrypting the text provided to safeStorage.encryptString. Encryption is not available.');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key(), iv);
    const body = Buffer.concat([c.update(plainText, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, c.getAuthTag(), body]);
  }

  decryptString(encrypted: Buffer): string {
    if (!this.available) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString. Decryption is not available.');
    if (encrypted.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    const d = createDecipheriv('aes-256-gcm', this.key(), encrypted.subarray(3, 15));
    d.setAuthTag(encrypted.subarray(15, 31));
    try {
      return Buffer.concat([d.update(encrypted.subarray(31)), d.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  }

  /** changeKeychain makes every earlier ciphertext undecryptable. */
  changeKeychain(secret: string): void {
    this.secret = secret;
  }

  private key(): Buffer {
    return createHash('sha256').update(this.secret).digest();
  }
}
