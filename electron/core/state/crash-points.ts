/**
 * Crash points: named places where a crash matters most for the campaign's state. Production
 * code calls `crashPoint(name, detail)` there; nothing happens unless a test entry
 * (test/crash/crash-cli.ts) installed a hook, which then kills the process at the chosen hit.
 * The hook is a module variable, not an environment variable, so the shipped CLI cannot be made
 * to crash by its environment: only the test entry reads one.
 */

/**
 * CrashPointName says where the process is:
 * `request-answered` the provider answered a request (or the transport gave up) and the result is not recorded yet;
 * `journal-appended` a batch of journal records is written to the file, not synced yet (between two journal writes);
 * `atomic-write` a file written by atomicWriteFile is complete in its temp file, not renamed yet (report export, meta,
 * the journal compacted at the end of a run and its snapshot);
 * `engagement-saved` an engagement refresh committed a batch of conversations it read (the next batch not begun);
 * `upload-answered` a file's upload was answered and what it answered is not recorded yet;
 * `upload-recorded` the upload's answer is recorded and the row's message has not started (no write-ahead yet);
 * `workspace-commit` a workspace database transaction has made all its changes and is about to commit.
 */
export type CrashPointName = 'request-answered' | 'journal-appended' | 'atomic-write' | 'engagement-saved' | 'upload-answered' | 'upload-recorded' | 'workspace-commit';

/** CrashHook is called at every crash point with a detail (the row, the batch size, the file name). */
export type CrashHook = (point: CrashPointName, detail: string) => void;

let installed: CrashHook | undefined;

/** setCrashHook installs (or, with undefined, removes) the hook. Tests only. */
export function setCrashHook(hook: CrashHook | undefined): void {
  installed = hook;
}

/** crashPoint marks a crash point; a no-op unless a test installed a hook. */
export function crashPoint(point: CrashPointName, detail = ''): void {
  installed?.(point, detail);
}
