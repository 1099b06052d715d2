import { describe, expect, it } from 'vitest';
import type { BatchSink } from './group-commit';
import { GroupCommit } from './group-commit';

/** A sink whose syncs finish only when the test says so, recording what each sync covered. */
function gatedSink() {
  const written: string[] = [];
  const synced: string[][] = [];
  let pendingSync: (() => void) | undefined;
  let syncStarted: (() => void) | undefined;
  let unsynced: string[] = [];
  const sink: BatchSink = {
    write: async (data) => {
      written.push(data);
      unsynced.push(data);
    },
    sync: () =>
      new Promise<void>((resolve) => {
        const batch = unsynced;
        unsynced = [];
        pendingSync = () => {
          synced.push(batch);
          resolve();
        };
        syncStarted?.();
      }),
  };
  return {
    sink,
    written,
    synced,
    /** Resolves when a sync is waiting to be released. */
    syncWaiting: () =>
      new Promise<void>((resolve) => {
        if (pendingSync !== undefined) resolve();
        else syncStarted = resolve;
      }),
    finishSync: () => {
      const f = pendingSync;
      pendingSync = undefined;
      syncStarted = undefined;
      f?.();
    },
  };
}

describe('GroupCommit', () => {
  it('resolves a record only after the sync of its batch, and batches what arrives during a sync', async () => {
    const g = gatedSink();
    const commit = new GroupCommit(g.sink);
    const done: string[] = [];
    const first = commit.append('a\n').then(() => done.push('a'));
    await g.syncWaiting();
    // Arrive while the first sync runs: they must wait for the next batch.
    const rest = ['b\n', 'c\n', 'd\n'].map((l) => commit.append(l).then(() => done.push(l.trim())));
    await Promise.resolve();
    expect(done).toEqual([]);
    g.finishSync();
    await first;
    expect(done).toEqual(['a']);
    await g.syncWaiting();
    expect(done).toEqual(['a']);
    g.finishSync();
    await Promise.all(rest);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
    expect(g.written).toEqual(['a\n', 'b\nc\nd\n']);
    expect(commit.stats()).toEqual({ records: 4, syncs: 2 });
  });

  it('puts records appended in the same turn into one batch', async () => {
    let syncs = 0;
    const commit = new GroupCommit({ write: async () => undefined, sync: async () => void syncs++ });
    await Promise.all(Array.from({ length: 500 }, (_, i) => commit.append(`${i}\n`)));
    expect(syncs).toBe(1);
  });

  it('makes far fewer syncs than records under concurrent writers', async () => {
    let syncs = 0;
    const sink: BatchSink = {
      write: async () => undefined,
      // A sync that takes a little while, as a disk's does.
      sync: () => new Promise((resolve) => setTimeout(() => resolve(void syncs++), 1)),
    };
    const commit = new GroupCommit(sink);
    let n = 0;
    const writer = async () => {
      while (n < 2_000) {
        n++;
        await commit.append('x\n');
      }
    };
    await Promise.all(Array.from({ length: 32 }, writer));
    expect(commit.stats().records).toBe(2_000);
    expect(syncs).toBeLessThanOrEqual(2_000 / 16);
  });

  it('syncs every record on its own with maxBatch 1', async () => {
    let syncs = 0;
    const commit = new GroupCommit({ write: async () => undefined, sync: async () => void syncs++ }, { maxBatch: 1 });
    await Promise.all(Array.from({ length: 20 }, () => commit.append('x\n')));
    expect(syncs).toBe(20);
  });

  it('after a failed sync rejects that batch, the waiting ones and every later record', async () => {
    let fail = false;
    const commit = new GroupCommit({
      write: async () => undefined,
      sync: async () => {
        if (fail) throw new Error('EIO');
      },
    });
    await commit.append('ok\n');
    fail = true;
    const batch = [commit.append('a\n'), commit.append('b\n')];
    await expect(Promise.all(batch)).rejects.toThrow('EIO');
    await expect(batch[1]).rejects.toThrow('EIO');
    fail = false;
    await expect(commit.append('later\n')).rejects.toThrow('EIO');
    expect(commit.stats()).toEqual({ records: 1, syncs: 1 });
  });

  it('calls the crash hooks between write and sync, and a throwing hook fails the batch unsynced', async () => {
    const order: string[] = [];
    const commit = new GroupCommit(
      { write: async () => void order.push('write'), sync: async () => void order.push('sync') },
      {
        hooks: {
          afterAppend: (n) => void order.push(`afterAppend ${n}`),
          beforeSync: (n) => {
            order.push(`beforeSync ${n}`);
            if (order.length > 4) throw new Error('crash here');
          },
        },
      },
    );
    await Promise.all([commit.append('a\n'), commit.append('b\n')]);
    await expect(commit.append('c\n')).rejects.toThrow('crash here');
    expect(order).toEqual(['write', 'afterAppend 2', 'beforeSync 2', 'sync', 'write', 'afterAppend 1', 'beforeSync 1']);
  });

  it('flushed waits for the records in progress', async () => {
    const g = gatedSink();
    const commit = new GroupCommit(g.sink);
    void commit.append('a\n');
    let flushed = false;
    const f = commit.flushed().then(() => (flushed = true));
    await g.syncWaiting();
    expect(flushed).toBe(false);
    g.finishSync();
    await f;
    expect(flushed).toBe(true);
    await commit.flushed();
  });
});
