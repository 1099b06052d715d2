import { z } from 'zod';
import type { Profile, ProfileView } from '../../../shared/ipc/contract';
import { profileSchema } from '../../../shared/ipc/contract';
import { UserError } from '../../../shared/ipc/user-error';
import type { KeyValueStore, SafeStorageLike } from './ports';

/**
 * KeyVault keeps provider profiles (name and provider settings) in the settings store and their
 * API keys encrypted with the OS (Electron's safeStorage). The renderer only ever gets a
 * ProfileView: whether a key is set and its last four characters, never the key; main-side code
 * asks `getKey`. Keys are decrypted lazily and cached in memory for the session; a key that no
 * longer decrypts (the app was renamed, the keychain changed) shows as `needs-reentry`.
 *
 * On Linux without a keyring Electron falls back to `basic_text` (a hard-coded password): the
 * key would only be obfuscated, so the user must agree once (`acceptObfuscation`) before a key is
 * saved there; vaultInfo tells the renderer which case applies.
 */

/** VaultInfo says how keys are protected on this machine. */
export interface VaultInfo {
  backend: 'os' | 'basic_text' | 'unavailable';
  encrypted: boolean;
  obfuscationAccepted: boolean;
}

export interface KeyVaultOptions {
  safeStorage: SafeStorageLike;
  store: KeyValueStore;
  platform: string;
  /** Called with every key the vault handles, so the logger can mask it. */
  onSecret?: (key: string) => void;
  /** Reports damaged stored data (never includes key material). */
  warn?: (message: string) => void;
}

const PROFILES = 'profiles';
const KEYS = 'apiKeys';
const ACCEPTED = 'obfuscationAccepted';

/** SANDBOX_PROFILE is the profile a first run starts with: the whole flow works with no account. */
export const SANDBOX_PROFILE: Profile = {
  id: 'sandbox',
  name: 'Sandbox (no account needed)',
  provider: { kind: 'sandbox', simulate: 'wassist', latencyMs: 60, failureRate: 0.02 },
};

const storedKeys = z.record(z.string(), z.string());

/** keyHint is what the renderer may know of a key: its last four characters, only if the key is long enough that this gives nothing away. */
export function keyHint(key: string): string | undefined {
  return key.length >= 12 ? `ends with ${key.slice(-4)}` : undefined;
}

export class KeyVault {
  private readonly opts: KeyVaultOptions;
  /** Decrypted keys of this session; `null` = stored but does not decrypt. */
  private readonly cache = new Map<string, string | null>();

  constructor(options: KeyVaultOptions) {
    this.opts = options;
    if (options.store.get(PROFILES) === undefined) options.store.set(PROFILES, [SANDBOX_PROFILE]);
  }

  /** info tells how keys would be protected here, plainly enough to show the user. */
  info(): VaultInfo {
    const accepted = this.opts.store.get(ACCEPTED) === true;
    const s = this.opts.safeStorage;
    if (!s.isEncryptionAvailable()) return { backend: 'unavailable', encrypted: false, obfuscationAccepted: accepted };
    if (this.opts.platform === 'linux') {
      const backend = s.getSelectedStorageBackend?.() ?? 'unknown';
      if (backend === 'basic_text' || backend === 'unknown') return { backend: 'basic_text', encrypted: false, obfuscationAccepted: accepted };
    }
    return { backend: 'os', encrypted: true, obfuscationAccepted: accepted };
  }

  /** profiles lists the stored profiles (entries that no longer parse are left out and reported). */
  profiles(): Profile[] {
    const raw = this.opts.store.get(PROFILES);
    if (!Array.isArray(raw)) return [];
    const out: Profile[] = [];
    for (const item of raw) {
      const p = profileSchema.safeParse(item);
      if (p.success) out.push(p.data);
      else this.opts.warn?.('a stored provider profile is damaged and was ignored');
    }
    return out;
  }

  /** profile returns one profile, or a UserError naming what is missing. */
  profile(id: string): Profile {
    const p = this.profiles().find((x) => x.id === id);
    if (p === undefined) throw new UserError(`There is no provider profile with id "${id}". It may have been removed.`);
    return p;
  }

  /** list is every profile as the renderer may see it. */
  list(): ProfileView[] {
    return this.profiles().map((p) => this.view(p));
  }

  /**
   * save adds or replaces a profile. When an existing profile's provider kind or base URL changes,
   * its key is dropped: a key is only ever sent to the service it was entered for.
   */
  save(profile: Profile): ProfileView {
    const all = this.profiles();
    const i = all.findIndex((p) => p.id === profile.id);
    const before = i >= 0 ? all[i] : undefined;
    if (before !== undefined && endpoint(before) !== endpoint(profile)) this.dropKey(profile.id);
    if (i >= 0) all[i] = profile;
    else all.push(profile);
    this.opts.store.set(PROFILES, all);
    return this.view(profile);
  }

  /** remove deletes a profile and its key. */
  remove(id: string): void {
    this.profile(id);
    this.opts.store.set(PROFILES, this.profiles().filter((p) => p.id !== id));
    this.dropKey(id);
  }

  /** setKey encrypts and stores a profile's key; see the class comment for the `basic_text` agreement. */
  setKey(profileId: string, key: string, acceptObfuscation = false): ProfileView {
    const profile = this.profile(profileId);
    if (profile.provider.kind === 'sandbox') throw new UserError('The sandbox needs no API key.');
    const clean = key.trim();
    if (clean === '' || /\s/.test(clean)) throw new UserError('An API key cannot be empty or contain spaces or line breaks.');
    const info = this.info();
    if (info.backend === 'unavailable') {
      throw new UserError('This computer offers no way to encrypt API keys, so the key was not saved. Unlock or install the system keychain and try again.');
    }
    if (info.backend === 'basic_text' && !info.obfuscationAccepted) {
      if (!acceptObfuscation) {
        throw new UserError(
          'No system keyring was found (for example GNOME Keyring or KWallet). Keys saved now would only be obfuscated, not encrypted: ' +
            'anyone who can read your files could recover them. Agree to store keys this way, or set up a keyring and restart the app.',
        );
      }
      this.opts.store.set(ACCEPTED, true);
    }
    this.opts.onSecret?.(clean);
    const cipher = this.opts.safeStorage.encryptString(clean);
    this.opts.store.set(KEYS, { ...this.storedKeys(), [profileId]: Buffer.from(cipher).toString('base64') });
    this.cache.set(profileId, clean);
    return this.view(profile);
  }

  /** clearKey forgets a profile's key. */
  clearKey(profileId: string): ProfileView {
    const profile = this.profile(profileId);
    this.dropKey(profileId);
    return this.view(profile);
  }

  /**
   * getKey returns the key to send with (main process only): undefined for the sandbox, a
   * UserError the user can act on when none is set or it no longer decrypts.
   */
  getKey(profileId: string): string | undefined {
    const profile = this.profile(profileId);
    if (profile.provider.kind === 'sandbox') return undefined;
    const key = this.decrypt(profileId);
    if (key === undefined) throw new UserError(`No API key is set for "${profile.name}". Add it in Settings before sending.`);
    if (key === null) {
      throw new UserError(`The API key of "${profile.name}" can no longer be decrypted (the app or the system keychain changed). Enter it again in Settings.`);
    }
    return key;
  }

  private view(p: Profile): ProfileView {
    if (p.provider.kind === 'sandbox') return { ...p, keyState: 'not-needed' };
    const key = this.decrypt(p.id);
    if (key === undefined) return { ...p, keyState: 'none' };
    if (key === null) return { ...p, keyState: 'needs-reentry' };
    const hint = keyHint(key);
    return hint === undefined ? { ...p, keyState: 'configured' } : { ...p, keyState: 'configured', keyHint: hint };
  }

  /** decrypt: the key, undefined when none is stored, null when it is stored but does not decrypt. */
  private decrypt(profileId: string): string | null | undefined {
    const cached = this.cache.get(profileId);
    if (cached !== undefined) return cached;
    const cipher = this.storedKeys()[profileId];
    if (cipher === undefined) return undefined;
    let key: string | null;
    try {
      key = this.opts.safeStorage.isEncryptionAvailable() ? this.opts.safeStorage.decryptString(Buffer.from(cipher, 'base64')) : null;
    } catch {
      key = null;
    }
    if (key === '') key = null;
    if (key !== null) this.opts.onSecret?.(key);
    this.cache.set(profileId, key);
    return key;
  }

  private storedKeys(): Record<string, string> {
    const parsed = storedKeys.safeParse(this.opts.store.get(KEYS) ?? {});
    if (parsed.success) return parsed.data;
    this.opts.warn?.('the stored API keys are damaged; they must be entered again');
    return {};
  }

  private dropKey(profileId: string): void {
    const keys = this.storedKeys();
    if (profileId in keys) {
      delete keys[profileId];
      this.opts.store.set(KEYS, keys);
    }
    this.cache.delete(profileId);
  }
}

function endpoint(p: Profile): string {
  return p.provider.kind === 'sandbox' ? 'sandbox' : `${p.provider.kind} ${p.provider.baseUrl}`;
}
