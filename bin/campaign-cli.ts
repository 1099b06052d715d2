/**
 * The `campaign` command's process: the CLI (electron/cli/main.ts) on this process's arguments,
 * environment and standard streams. scripts/build-cli.mjs bundles this file into
 * dist-cli/campaign.mjs, which bin/campaign.js runs.
 */
import { main } from '../electron/cli/main';

process.exitCode = await main(process.argv.slice(2), { env: process.env, stdout: process.stdout, stderr: process.stderr });
