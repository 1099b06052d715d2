import { startMockServer } from '../test/mock-server/mock-server';

/**
 * The strict mock Wassist API in a process of its own, so the benchmark's client and server do not
 * share one event loop. Prints `{"url": ...}` on stdout once listening; exits when stdin closes.
 */
const mock = await startMockServer({ kind: 'wassist', acceptAnyConversation: true, record: false });
process.stdout.write(`${JSON.stringify({ url: mock.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void mock.close().then(() => process.exit(0));
});
