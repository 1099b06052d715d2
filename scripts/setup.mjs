#!/usr/bin/env node
// One install command for a fresh machine: `npm run setup`.
// Installs the locked dependencies (npm ci) and, for the tests, Debian's Chromium and LibreOffice Calc.
// Uses only Node built-ins, so it runs before node_modules exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function run(cmd, args, env = {}) {
  console.error(`setup: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`setup: "${cmd} ${args.join(' ')}" failed with exit code ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

function has(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** aptPrefix: [] to run apt-get as root, ['sudo'] through sudo, null when apt-get cannot be run here. */
function aptPrefix() {
  if (process.platform !== 'linux' || !has('apt-get')) return null;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return [];
  return has('sudo') ? ['sudo'] : null;
}

// What the tests need from Debian: Chromium for the browser tests, LibreOffice (soffice) for the
// report tests, which open the exported workbook and CSVs in a spreadsheet that is not our writer.
// Each is installed only when missing, so running setup again changes nothing.
const wanted = [];
if (!existsSync(CHROMIUM)) wanted.push({ what: `Chromium (looked for ${CHROMIUM}; or set CHROMIUM_PATH)`, packages: ['chromium', 'fonts-dejavu-core'] });
if (!has('soffice')) wanted.push({ what: 'LibreOffice Calc (soffice)', packages: ['libreoffice-calc-nogui'] });

if (wanted.length > 0) {
  const sudo = aptPrefix();
  if (sudo === null) {
    for (const w of wanted) console.error(`setup: the tests need ${w.what}; install it (Debian: apt-get install ${w.packages.join(' ')}).`);
  } else {
    const apt = (...a) => (sudo.length ? run('sudo', ['apt-get', ...a]) : run('apt-get', a));
    apt('update', '-qq');
    apt('install', '-y', '-qq', '--no-install-recommends', ...wanted.flatMap((w) => w.packages));
  }
}

// Electron's binary is fetched from outside the npm registry; the tests never need it, so CI skips it.
run('npm', ['ci', '--no-audit', '--no-fund'], process.env.CI ? { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } : {});
console.error('setup: done. Run the app with `npm start`, the tests with `npm test`.');
