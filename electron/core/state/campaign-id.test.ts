import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../../shared/campaign/schema';
import { campaignId, canonicalJson, hashBytes, hashFile, pickRunId } from './campaign-id';

const spec: CampaignSpec = {
  name: 'Spring sale',
  provider: { kind: 'wassist', baseUrl: 'https://backend.wassist.app' },
  recipient: { conversationId: '{{conversation_id}}' },
  message: { type: 'text', text: { body: 'Hi {{first_name}}' } },
  throttle: { concurrency: 4, perSecond: 20 },
  retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60000, timeoutMs: 30000, pauseAfterFailures: 20 },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'campaign-id-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('campaignId', () => {
  const csv = 'conversation_id,first_name\nc1,Ana\nc2,José\n';

  it('is short, and the same for the same CSV bytes and spec, whatever the key order', () => {
    const id = campaignId(hashBytes(csv), spec);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const reordered = JSON.parse(JSON.stringify({ retry: spec.retry, throttle: spec.throttle, message: spec.message, recipient: spec.recipient, provider: spec.provider, name: spec.name })) as CampaignSpec;
    expect(campaignId(hashBytes(csv), reordered)).toBe(id);
  });

  it('changes when one byte of the CSV changes', () => {
    expect(campaignId(hashBytes(csv.replace('Ana', 'Anb')), spec)).not.toBe(campaignId(hashBytes(csv), spec));
  });

  it('changes when the spec changes', () => {
    const base = campaignId(hashBytes(csv), spec);
    expect(campaignId(hashBytes(csv), { ...spec, throttle: { concurrency: 4, perSecond: 21 } })).not.toBe(base);
    expect(campaignId(hashBytes(csv), { ...spec, message: { type: 'text', text: { body: 'Hi {{first_name}}!' } } })).not.toBe(base);
  });
});

describe('hashFile', () => {
  it('hashes a file by streaming it, equal to hashing its bytes', async () => {
    const path = join(dir, 'contacts.csv');
    // Several read chunks long.
    const content = 'conversation_id,first_name\n' + Array.from({ length: 200_000 }, (_, i) => `c${i},Näme ${i}\n`).join('');
    await writeFile(path, content);
    expect(await hashFile(path)).toBe(hashBytes(content));
  });

  it('is the SHA-256 of the content', async () => {
    const path = join(dir, 'abc.csv');
    await writeFile(path, 'abc');
    expect(await hashFile(path)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('rejects for a missing file', async () => {
    await expect(hashFile(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('pickRunId', () => {
  it('resumes the latest run, or starts the next one when fresh', () => {
    expect(pickRunId('abc', [], false)).toBe('abc');
    expect(pickRunId('abc', [], true)).toBe('abc');
    expect(pickRunId('abc', ['abc', 'other'], false)).toBe('abc');
    expect(pickRunId('abc', ['abc', 'other'], true)).toBe('abc-2');
    expect(pickRunId('abc', ['abc', 'abc-2', 'abc-3', 'abcd-9', 'abc-x'], false)).toBe('abc-3');
    expect(pickRunId('abc', ['abc', 'abc-2', 'abc-3', 'abcd-9'], true)).toBe('abc-4');
  });
});
