import Conf from 'conf';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS_STORE_OPTIONS } from './settings-store';

/**
 * electron-store needs Electron, so the test drives conf, the library electron-store extends and
 * hands its options to, with the options main.ts uses, and reads the mode of the file it wrote.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store(cwd: string) {
  const { name, ...rest } = SETTINGS_STORE_OPTIONS;
  return new Conf<Record<string, unknown>>({ cwd, configName: name, ...rest });
}

describe.runIf(process.platform !== 'win32')('the settings file', () => {
  it('is written 0600, and an older 0644 file becomes 0600 on the next change', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'settings-'));
    dirs.push(cwd);
    const path = join(cwd, 'settings.json');
    store(cwd).set('keys', { p1: 'djEw…ciphertext' });
    expect(statSync(path).mode & 0o777).toBe(0o600);

    writeFileSync(path, '{}');
    chmodSync(path, 0o644);
    store(cwd).set('window', { width: 1 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
