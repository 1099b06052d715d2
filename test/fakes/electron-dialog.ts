import type { Dialogs, OpenKind, SaveKind } from '../../electron/desktop/ports';

/**
 * FakeDialogs stands in for Electron's dialog: each call takes the next answer the test queued
 * (a path, or null for "the user cancelled") and records what was asked.
 */
export class FakeDialogs implements Dialogs {
  readonly asked: { kind: OpenKind | SaveKind; suggestedName?: string }[] = [];
  private readonly answers: (string | null)[] = [];

  /** answer queues what the next dialog returns. */
  answer(...paths: (string | null)[]): this {
    this.answers.push(...paths);
    return this;
  }

  async chooseOpenPath(kind: OpenKind): Promise<string | null> {
    this.asked.push({ kind });
    return this.next();
  }

  async chooseSavePath(kind: SaveKind, suggestedName: string): Promise<string | null> {
    this.asked.push({ kind, suggestedName });
    return this.next();
  }

  private next(): string | null {
    if (this.answers.length === 0) throw new Error('FakeDialogs: no answer queued');
    return this.answers.shift() ?? null;
  }
}
