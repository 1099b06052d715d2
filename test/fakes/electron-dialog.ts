import type { Dialogs, OpenKind, SaveKind, SendConfirmation } from '../../electron/desktop/ports';

/**
 * FakeDialogs stands in for Electron's dialog: each file dialog takes the next answer the test
 * queued (a path, or null for "the user cancelled") and records what was asked. The send
 * confirmation answers yes unless the test said otherwise (`refuseSends`), and records each question.
 */
export class FakeDialogs implements Dialogs {
  readonly asked: { kind: OpenKind | SaveKind; suggestedName?: string }[] = [];
  /** Every send confirmation main asked for, in order. */
  readonly confirmations: SendConfirmation[] = [];
  private readonly answers: (string | null)[] = [];
  private sendAnswer = true;

  /** answer queues what the next dialog returns. */
  answer(...paths: (string | null)[]): this {
    this.answers.push(...paths);
    return this;
  }

  /** refuseSends makes the person answer "Cancel" (true) or agree (false) to every send confirmation from now on. */
  refuseSends(refuse = true): this {
    this.sendAnswer = !refuse;
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

  async confirmSend(c: SendConfirmation): Promise<boolean> {
    this.confirmations.push({ ...c });
    return this.sendAnswer;
  }

  private next(): string | null {
    if (this.answers.length === 0) throw new Error('FakeDialogs: no answer queued');
    return this.answers.shift() ?? null;
  }
}
