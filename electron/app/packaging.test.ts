import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** fusesOf reads the `electronFuses:` block of electron-builder.yml (flat `name: true|false` lines, comments allowed). */
function fusesOf(yaml: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const block = /^electronFuses:\n((?:[ \t]+.*\n|[ \t]*#.*\n|\n)*)/m.exec(yaml)?.[1] ?? '';
  for (const m of block.matchAll(/^[ \t]+(\w+):[ \t]*(true|false)\b/gm)) out[m[1] as string] = m[2] === 'true';
  return out;
}

/** The fuses electron-builder flips in the packaged Electron binary (electron-builder.yml). */
describe('packaging fuses', () => {
  const yaml = readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8');

  it('turn off what the app does not use, file:// privileges included (the page is served from app://)', () => {
    expect(yaml).toMatch(/^asar: true$/m);
    expect(fusesOf(yaml)).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
