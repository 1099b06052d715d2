import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../shared/problems';
import { DatasetStore } from './datasets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'datasets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('DatasetStore.loadFile', () => {
  it('streams a file into the same dataset a one-shot load of its bytes gives, content hash included', async () => {
    // Over 1 MiB, so the stream arrives in several pieces; a multi-byte character and a quoted
    // newline in every row make sure the pieces split inside them somewhere.
    const row = (i: number) => `conv-${i},"Zoë ${i}\nsecond line",https://shop.test/p/${i}\r\n`;
    const text = 'conversation_id;name,url\r\n'.replace(';', ',') + Array.from({ length: 20_000 }, (_, i) => row(i)).join('');
    const bytes = new TextEncoder().encode(text);
    const path = join(dir, 'contacts.csv');
    await writeFile(path, bytes);
    const store = new DatasetStore();
    const streamed = await store.loadFile(path);
    const oneShot = store.load('contacts.csv', bytes);
    expect(streamed.rowCount).toBe(20_000);
    expect({ ...streamed, datasetId: '' }).toEqual({ ...oneShot, datasetId: '' });
    expect(store.get(streamed.datasetId).hash).toBe(store.get(oneShot.datasetId).hash);
    expect(store.get(streamed.datasetId).table.records).toEqual(store.get(oneShot.datasetId).table.records);
  });

  it('names the line of a broken file and says when a file cannot be read', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'id,name\n1,"open quote\n');
    await expect(new DatasetStore().loadFile(path)).rejects.toBeInstanceOf(InputError);
    await expect(new DatasetStore().loadFile(join(dir, 'missing.csv'))).rejects.toThrow('Cannot read missing.csv: ENOENT.');
  });
});
