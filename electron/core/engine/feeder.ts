/** FeedHooks connect the feeder to the engine. */
export interface FeedHooks<T> {
  /** Whether to stop reading (the run is stopping or cancelled). */
  halted(): boolean;
  /** A promise to wait on while the queue is full, or undefined when there is room. */
  room(): Promise<void> | undefined;
  /** Takes one item; the next is read once it resolves. */
  admit(item: T): Promise<void>;
}

/**
 * feedJobs reads a sync or async iterable one item at a time, only while the queue has room,
 * so a million-row source never sits in memory. It stops reading when the run halts and then
 * closes the source (`return()`, like a `break` in for-of). It never throws: a failing source
 * (or admit) ends the feed, and the error is returned for the caller to report.
 */
export async function feedJobs<T>(source: Iterable<T> | AsyncIterable<T>, hooks: FeedHooks<T>): Promise<{ error?: unknown }> {
  const it: Iterator<T> | AsyncIterator<T> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  try {
    while (!hooks.halted()) {
      const full = hooks.room();
      if (full !== undefined) {
        await full;
        continue;
      }
      const next = await it.next();
      if (next.done === true) return {};
      await hooks.admit(next.value);
    }
  } catch (error) {
    return { error };
  }
  try {
    await it.return?.();
  } catch {
    // The source failed while closing; nothing more is read from it either way.
  }
  return {};
}
