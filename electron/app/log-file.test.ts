import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rotatingLogSink } from './log-file';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'log-file-'));
  dirs.push(d);
  return join(d, 'logs');
}

const posix = process.platform !== 'win32';

describe('main.log on disk', () => {
  it('rotates at the size cap and keeps two old files, so the log stays bounded', () => {
    const dir = temp();
    const sink = rotatingLogSink(dir, 'main', { maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 200; i++) sink(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    let total = 0;
    for (const name of readdirSync(dir)) {
      const size = statSync(join(dir, name)).size;
      expect(size).toBeLessThanOrEqual(1000);
      total += size;
    }
    expect(total).toBeLessThanOrEqual(3000);
    expect(readFileSync(join(dir, 'main.log'), 'utf8').trimEnd().split('\n').at(-1)).toMatch(/^line 199 /);
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toMatch(/^line 1[5-9]\d /);
  });

  it('carries on from the size of an existing file after a restart', () => {
    const dir = temp();
    rotatingLogSink(dir)('first');
    writeFileSync(join(dir, 'main.log'), 'y'.repeat(990));
    rotatingLogSink(dir, 'main', { maxBytes: 1000 })('second line that does not fit');
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toBe('second line that does not fit\n');
    expect(statSync(join(dir, 'main.1.log')).size).toBe(990);
  });

  it.runIf(posix)('is readable by the user only: folder 0700, files 0600, older files included', () => {
    const dir = temp();
    rotatingLogSink(dir)('first');
    writeFileSync(join(dir, 'main.log'), 'old\n', { mode: 0o644 });
    chmodSync(join(dir, 'main.log'), 0o644);
    chmodSync(dir, 0o755);
    const sink = rotatingLogSink(dir, 'main', { maxBytes: 50 });
    for (let i = 0; i < 5; i++) sink(`a line long enough to rotate ${i}`);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
  });
});
