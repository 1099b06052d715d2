#!/usr/bin/env node
// The `campaign` command. It runs the bundled CLI, dist-cli/campaign.mjs, and builds it first when
// it is missing (the first run after `npm ci`) or a file it was built from has changed (a developer's
// edit, a `git pull`): see scripts/build-cli.mjs for why a launcher rather than a `prepare` script.
import { pathToFileURL } from 'node:url';
import { freshBundle } from '../scripts/build-cli.mjs';

let bundle;
try {
  bundle = await freshBundle();
} catch (e) {
  process.stderr.write(`campaign: could not build the command line: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
