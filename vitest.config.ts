import { defineConfig } from 'vitest/config';

// Three projects: `unit` (Node: shared/, electron/, CLI, HTTP against loopback mocks),
// `dom` (React component tests in jsdom) and `e2e` (the built renderer in Debian's Chromium
// through playwright-core, with the real main-process handlers bridged in).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts'],
          // The CLI and crash tests run the built CLI (dist-cli/): build it first.
          globalSetup: ['test/build-cli-before-tests.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
