import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../shared/ipc/user-error';
import { FakeSafeStorage } from '../../../test/fakes/electron-safe-storage';
import { JsonFileStore } from '../../../test/fakes/electron-store';
import { MemoryStore } from './ports';
import { KeyVault, SANDBOX_PROFILE, keyHint } from './vault';

const KEY = 'sk-live-CANARY-9f8e7d6c5b4a-1234';
const wassist = { id: 'w1', name: 'Wassist prod', provider: { kind: 'wassist' as const, baseUrl: 'https://backend.wassist.app' } };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vault-'));
  dirs.push(d);
  return d;
}

function vault(opts: { backend?: string; available?: boolean; platform?: string; store?: MemoryStore | JsonFileStore; safe?: FakeSafeStorage } = {}) {
  const safe = opts.safe ?? new FakeSafeStorage({ backend: opts.backend ?? 'gnome_libsecret', available: opts.available ?? true });
  const store = opts.store ?? new MemoryStore();
  const secrets: string[] = [];
  const v = new KeyVault({ safeStorage: safe, store, platform: opts.platform ?? 'linux', onSecret: (s) => secrets.push(s) });
  return { v, safe, store, secrets };
}

describe('KeyVault', () => {
  it('starts a first run with a sandbox profile that needs no key', () => {
    const { v } = vault();
    expect(v.list()).toEqual([{ ...SANDBOX_PROFILE, keyState: 'not-needed' }]);
    expect(v.getKey('sandbox')).toBeUndefined();
    expect(() => v.setKey('sandbox', KEY)).toThrow('The sandbox needs no API key.');
  });

  it('does not bring the sandbox back once the user removed it', () => {
    const store = new MemoryStore();
    vault({ store }).v.remove('sandbox');
    expect(vault({ store }).v.list()).toEqual([]);
  });

  it('with an OS keychain: encrypts, shows only the last four characters, gives the key to main', () => {
    const { v, store, secrets } = vault();
    v.save(wassist);
    expect(v.list()[1]).toMatchObject({ id: 'w1', keyState: 'none' });
    const shown = v.setKey('w1', `  ${KEY}\n`);
    expect(shown).toEqual({ ...wassist, keyState: 'configured', keyHint: 'ends with 1234' });
    expect(v.info()).toEqual({ backend: 'os', encrypted: true, obfuscationAccepted: false });
    expect(v.getKey('w1')).toBe(KEY);
    expect(JSON.stringify(store.get('apiKeys'))).not.toContain(KEY);
    expect(secrets).toContain(KEY);
  });

  it('reads the key back in a new session (decrypts from the store)', () => {
    const store = new MemoryStore();
    const safe = new FakeSafeStorage();
    const first = vault({ store, safe }).v;
    first.save(wassist);
    first.setKey('w1', KEY);
    const second = vault({ store, safe });
    expect(second.v.list()[1]).toMatchObject({ keyState: 'configured', keyHint: 'ends with 1234' });
    expect(second.v.getKey('w1')).toBe(KEY);
    expect(second.secrets).toEqual([KEY]);
  });

  it('on macOS and Windows the keychain is the OS one whatever the Linux backend query says', () => {
    for (const platform of ['darwin', 'win32']) {
      expect(vault({ platform, backend: 'basic_text' }).v.info()).toEqual({ backend: 'os', encrypted: true, obfuscationAccepted: false });
    }
  });

  it('on Linux with basic_text: refuses until the user agrees, then remembers the agreement', () => {
    const { v, store } = vault({ backend: 'basic_text' });
    v.save(wassist);
    expect(v.info()).toEqual({ backend: 'basic_text', encrypted: false, obfuscationAccepted: false });
    let err: unknown;
    try {
      v.setKey('w1', KEY);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/only be obfuscated/);
    expect(store.get('apiKeys')).toBeUndefined();
    expect(v.list()[1]?.keyState).toBe('none');

    expect(v.setKey('w1', KEY, true).keyState).toBe('configured');
    expect(v.info().obfuscationAccepted).toBe(true);
    v.save({ ...wassist, id: 'w2' });
    expect(v.setKey('w2', `${KEY}-2`).keyState).toBe('configured');
  });

  it('treats an unknown Linux backend like basic_text (never claims encryption it cannot show)', () => {
    expect(vault({ backend: 'unknown' }).v.info().encrypted).toBe(false);
  });

  it('when encryption is unavailable: says so and stores nothing', () => {
    const { v, store } = vault({ available: false });
    v.save(wassist);
    expect(v.info()).toEqual({ backend: 'unavailable', encrypted: false, obfuscationAccepted: false });
    expect(() => v.setKey('w1', KEY, true)).toThrow(/no way to encrypt/);
    expect(store.get('apiKeys')).toBeUndefined();
  });

  it('a key that no longer decrypts needs re-entry, and sending asks for it plainly', () => {
    const store = new MemoryStore();
    const safe = new FakeSafeStorage();
    const first = vault({ store, safe }).v;
    first.save(wassist);
    first.setKey('w1', KEY);
    safe.changeKeychain('keychain-2');
    const later = vault({ store, safe }).v;
    expect(later.list()[1]).toEqual({ ...wassist, keyState: 'needs-reentry' });
    expect(() => later.getKey('w1')).toThrow(/can no longer be decrypted.*Enter it again/);
    expect(later.setKey('w1', KEY).keyState).toBe('configured');
    expect(later.getKey('w1')).toBe(KEY);
  });

  it('clears a key, and drops it when the profile is pointed at another service', () => {
    const { v } = vault();
    v.save(wassist);
    v.setKey('w1', KEY);
    expect(v.clearKey('w1').keyState).toBe('none');
    expect(() => v.getKey('w1')).toThrow(/No API key is set for "Wassist prod"/);

    v.setKey('w1', KEY);
    expect(v.save({ ...wassist, name: 'Renamed' }).keyState).toBe('configured');
    expect(v.save({ ...wassist, provider: { kind: 'wassist', baseUrl: 'https://attacker.example' } }).keyState).toBe('none');
  });

  it('refuses blank keys and unknown profiles with readable messages', () => {
    const { v } = vault();
    v.save(wassist);
    expect(() => v.setKey('w1', '   ')).toThrow(UserError);
    expect(() => v.setKey('nope', KEY)).toThrow(/no provider profile with id "nope"/);
    expect(() => v.remove('nope')).toThrow(UserError);
  });

  it('ignores damaged stored entries instead of failing', () => {
    const store = new MemoryStore();
    store.set('profiles', [{ id: 'x' }, wassist]);
    store.set('apiKeys', 'garbage');
    const { v } = vault({ store });
    expect(v.list().map((p) => [p.id, p.keyState])).toEqual([['w1', 'none']]);
  });

  it('writes no key to the settings file', () => {
    const dir = tempDir();
    const store = new JsonFileStore(join(dir, 'config.json'));
    const { v } = vault({ store, backend: 'basic_text' });
    v.save(wassist);
    v.setKey('w1', KEY, true);
    const text = readFileSync(store.path, 'utf8');
    expect(text).toContain('w1');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(Buffer.from(KEY).toString('base64'));
  });

  it('keyHint shows the last four characters of long keys only', () => {
    expect(keyHint('abcdefghijkl1234')).toBe('ends with 1234');
    expect(keyHint('short1234')).toBeUndefined();
  });
});
