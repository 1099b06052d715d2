#!/usr/bin/env node
// Builds the Electron main process and the preload with esbuild (which ships with vite and tsx):
//   electron/app/main.ts    -> dist-electron/main.js     ESM, Node 22 (Electron 45); packages stay
//                                                          in node_modules (electron-builder ships them)
//   electron/app/preload.ts -> dist-electron/preload.cjs CommonJS: a sandboxed preload cannot load
//                                                          ES modules, and may require only 'electron'
// Then checks the preload the way Electron runs it: no require but 'electron', and window.api
// installed by contextBridge.executeInMainWorld from the function's source alone.
// Needs no Electron binary. Usage: node scripts/build-electron.mjs [--dev]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist-electron');
const dev = process.argv.includes('--dev');

const common = {
  bundle: true,
  absWorkingDir: root,
  sourcemap: dev ? 'inline' : 'linked',
  minify: false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production') },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/app/main.ts'],
    outfile: join(out, 'main.js'),
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: ['electron/app/preload.ts'],
    outfile: join(out, 'preload.cjs'),
    platform: 'node',
    format: 'cjs',
    target: ['node22', 'chrome140'],
    external: ['electron'],
  }),
]);

checkPreload(readFileSync(join(out, 'preload.cjs'), 'utf8'));
console.log('built dist-electron/main.js and dist-electron/preload.cjs');

/** checkPreload runs the built preload against a stand-in of Electron and fails the build if it misbehaves. */
function checkPreload(code) {
  const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  const foreign = required.filter((name) => name !== 'electron');
  if (foreign.length > 0) fail(`the preload requires ${foreign.join(', ')}; a sandboxed preload may require only 'electron'`);
  const page = {};
  let installed = false;
  const electron = {
    ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on() {}, removeListener() {} },
    contextBridge: {
      exposeInMainWorld() {
        fail('the preload must not use exposeInMainWorld (see preload-api.ts)');
      },
      executeInMainWorld({ func, args }) {
        // Electron serialises the function: only its own source reaches the page's world.
        runInNewContext(`(${func.toString()})(...args)`, Object.assign(page, { args }));
        installed = true;
      },
    },
  };
  const module = { exports: {} };
  runInNewContext(code, { require: (name) => (name === 'electron' ? electron : fail(`require(${name})`)), module, exports: module.exports });
  const api = page.api;
  if (!installed || api === undefined || typeof api.campaign?.start !== 'function' || typeof api.app?.onCommand !== 'function') {
    fail('the preload did not install window.api');
  }
  const names = Object.values(api).flatMap((d) => Object.keys(d));
  if (names.some((n) => /^(invoke|send|sendSync|postMessage|ipcRenderer|on|once|removeListener)$/.test(n))) fail(`the preload exposes a pass-through: ${names.join(', ')}`);
}

function fail(message) {
  console.error(`build-electron: ${message}`);
  process.exit(1);
}
