#!/usr/bin/env node
// Builds the `campaign` CLI with esbuild into one ES module, dist-cli/campaign.mjs, and keeps it fresh.
//
// Why a bundle: running the TypeScript sources through tsx compiled them on every start (~0.85 s for
// `campaign validate` of 20 rows). Unlike the main process (scripts/build-electron.mjs), the
// pure-JS packages go INTO the bundle: loading zod, undici and libphonenumber-js as hundreds of small
// files from node_modules cost more than everything else at start-up. Left out, and loaded from
// node_modules by the code that needs them: native packages (they load a .node file next to their
// own sources) and big packages that a few commands use, which that code must import() when it needs
// them so that every other command skips them (see `loadedWhenUsed`).
//
// Why a launcher and not `prepare`: bin/campaign.js calls freshBundle() on every start, which builds
// the bundle when it is missing (first run after `npm ci`) and again whenever a file it was built from
// has changed (an edit, a `git pull`, a new `npm ci`), so a developer, a test or CI never runs a stale
// CLI. A `prepare` script would build only at install time. The check reads a record of each input's
// mtime and size, written next to the bundle, and stats those files: about 1 ms for ~90 files.
// esbuild is loaded only to build.
//
// Usage: node scripts/build-cli.mjs   builds dist-cli/campaign.mjs now (also `npm run build:cli`).
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The shipped command: bin/campaign.js runs this bundle. */
export const campaignBundle = { entry: 'bin/campaign-cli.ts', outfile: 'dist-cli/campaign.mjs' };

/** The crash tests' CLI: the same command with a crash hook read from the environment, built the same way. */
export const crashTestBundle = { entry: 'test/crash/crash-cli.ts', outfile: 'dist-cli/crash-cli.mjs' };

/** Packages kept out of the bundle: native ones, and big ones only some commands use (import() them where used). */
export const loadedWhenUsed = ['better-sqlite3', 'exceljs'];

// Bundled CommonJS packages (undici, papaparse) require() Node's built-ins; an ES module has no
// `require`, so the bundle gets a real one.
const requireShim = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Files whose change does not show in the bundle's own inputs but must rebuild it. */
const buildFiles = [relative(root, fileURLToPath(import.meta.url)), 'node_modules/.package-lock.json'];

/**
 * freshBundle returns the absolute path of `bundle`'s output, building it first if it is missing or
 * stale. Safe to call from many processes at once: each build writes a temp file and renames it.
 */
export async function freshBundle(bundle = campaignBundle) {
  if (!isFresh(bundle)) await buildBundle(bundle);
  return join(root, bundle.outfile);
}

/** buildBundle bundles `bundle.entry` into `bundle.outfile` and records what it was built from. */
export async function buildBundle(bundle = campaignBundle) {
  const esbuild = await import('esbuild').catch(() => {
    throw new Error(`the CLI needs building and esbuild (a dev dependency) is not installed: run \`npm ci\` in ${root}`);
  });
  const outfile = join(root, bundle.outfile);
  const startedAt = Date.now();
  // Stopping esbuild's service process at once keeps a long `campaign send` after a first-run build
  // from carrying it along; builds in one process must therefore not overlap (none do).
  const result = await esbuild.build(buildOptions(bundle.entry, outfile)).finally(() => esbuild.stop());
  const [code] = result.outputFiles;
  mkdirSync(dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temp, code.contents);
  // The record names the bundle it belongs to (its own mtime and size), so a bundle swapped in by
  // a concurrent build from other sources never passes for fresh.
  const ownInputs = Object.keys(result.metafile.inputs).filter((path) => !/(^|\/)node_modules\//.test(path));
  const files = stamps([...ownInputs, ...buildFiles]);
  // A file saved while esbuild was reading may or may not be in the bundle: record it as unknown,
  // so the next start builds again.
  for (const [path, s] of Object.entries(files)) if (s !== null && s[0] >= startedAt) files[path] = 'changed during the build';
  const record = { files, bundle: stamp(temp) };
  renameSync(temp, outfile);
  writeAtomically(recordPath(bundle), JSON.stringify(record));
}

function buildOptions(entry, outfile) {
  return {
    entryPoints: [entry],
    outfile,
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Node 20 is the oldest we support; Electron 45's Node 22 runs the same output.
    target: 'node20',
    external: loadedWhenUsed,
    banner: { js: requireShim },
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    write: false,
  };
}

/** isFresh tells whether the bundle exists and every file it was built from is as it was then. */
export function isFresh(bundle = campaignBundle) {
  let record;
  try {
    record = JSON.parse(readFileSync(recordPath(bundle), 'utf8'));
  } catch {
    return false;
  }
  if (!same(stamp(join(root, bundle.outfile)), record.bundle)) return false;
  return Object.entries(record.files).every(([path, was]) => same(stamp(join(root, path)), was));
}

/** A file's stamp: [mtime, size], or null when it does not exist. */
function stamp(path) {
  const s = statSync(path, { throwIfNoEntry: false });
  return s === undefined ? null : [s.mtimeMs, s.size];
}

function stamps(paths) {
  return Object.fromEntries(paths.map((path) => [path, stamp(join(root, path))]));
}

function same(now, was) {
  return JSON.stringify(now) === JSON.stringify(was);
}

function recordPath(bundle) {
  return join(root, bundle.outfile.replace(/\.mjs$/, '.inputs.json'));
}

function writeAtomically(path, text) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

// Run as a script (not imported by the launcher): Node gives an ES main module its real path.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  await buildBundle();
  console.log(`built ${campaignBundle.outfile}`);
}
