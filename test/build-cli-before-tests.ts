import { campaignBundle, crashTestBundle, freshBundle } from '../scripts/build-cli.mjs';

/**
 * Vitest global setup: builds the CLI bundles the tests run (when missing or stale) once, before
 * any test starts, so no test pays for a build inside its timeout and parallel workers do not all
 * build at once. The launcher and the crash harness still check freshness themselves.
 */
export async function setup(): Promise<void> {
  await freshBundle(campaignBundle);
  await freshBundle(crashTestBundle);
}
