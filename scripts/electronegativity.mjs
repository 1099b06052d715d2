#!/usr/bin/env node
// Runs Electronegativity (Doyensec's Electron security scanner) over the main process code and
// the renderer's page, offline, and fails on any HIGH or MEDIUM finding that is not in the
// reviewed list below. CI calls this; so can you: node scripts/electronegativity.mjs
//
// Electronegativity takes one input per run, and its global checks (navigation limits, permission
// handler...) judge the whole input, so electron/ and renderer/index.html are copied into one
// temporary folder and scanned together. The page is scanned as the build writes it: with the
// Content-Security-Policy meta tag that vite.config.ts adds from shared/security/csp.ts. AvailableSecurityFixesGlobalCheck is excluded: it needs the network (it looks up
// Electron releases). The Electron version is read from node_modules so the checks use its defaults.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@doyensec/electronegativity/package.json')), 'dist', 'index.js');
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const inputs = ['electron', 'renderer/index.html'];

/**
 * Findings a person has reviewed. Each names the check, the file and the exact code, and says why
 * it is safe; anything else at HIGH or MEDIUM fails the run.
 */
const reviewed = [
  {
    issue: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'electron/app/main.ts',
    sample: 'shell.openExternal(url)',
    why: 'the only call of shell.openExternal; it receives only http(s) URLs that the URL parser accepted, normalised (security.ts externalUrl, tested)',
  },
];

const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const findings = [];
try {
  const scanned = join(dir, 'app');
  for (const input of inputs) cpSync(join(root, input), join(scanned, input), { recursive: true });
  const { cspMetaContent } = await tsImport('../shared/security/csp.ts', import.meta.url);
  const page = join(scanned, 'renderer', 'index.html');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${cspMetaContent()}" />`;
  writeFileSync(page, readFileSync(page, 'utf8').replace(/<head>/i, `<head>\n    ${meta}`));
  const out = join(dir, 'scan.csv');
  const run = spawnSync(
    process.execPath,
    [cli, '-i', scanned, '-o', out, '-r', '-e', electronVersion, '-x', 'AvailableSecurityFixesGlobalCheck'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' }, timeout: 300_000 },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`electronegativity failed (exit ${run.status})`);
  }
  const parsed = Papa.parse(readFileSync(out, 'utf8'), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim() });
  for (const row of parsed.data) findings.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v).trim()])));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
const isReviewed = (f) => reviewed.some((r) => r.issue === f.issue && f.filename.replaceAll('\\', '/').endsWith(r.file) && f.sample.includes(r.sample));
const open = serious.filter((f) => !isReviewed(f));
const counts = (list) => ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'].map((s) => `${list.filter((f) => f.severity === s).length} ${s}`).join(', ');

console.log(`Electronegativity (Electron ${electronVersion}) over ${inputs.join(' and ')}: ${findings.length} findings (${counts(findings)})`);
for (const f of findings) {
  const mark = f.severity === 'HIGH' || f.severity === 'MEDIUM' ? (isReviewed(f) ? 'reviewed' : 'OPEN') : 'info';
  console.log(`  [${mark}] ${f.severity}/${f.confidence} ${f.issue} ${f.filename}:${f.location} ${f.sample === 'N/A' ? '' : f.sample}`);
}
for (const r of reviewed) console.log(`  reviewed ${r.issue} in ${r.file}: ${r.why}`);
if (open.length > 0) {
  console.error(`${open.length} HIGH or MEDIUM finding(s) not reviewed: fix them, or review them and list them in scripts/electronegativity.mjs with the reason.`);
  process.exit(1);
}
console.log('No unreviewed HIGH or MEDIUM findings.');
