#!/usr/bin/env node
// One install command for a fresh machine: `npm run setup`.
// Installs the locked dependencies (npm ci) and, for the browser tests, Debian's Chromium.
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

if (!existsSync(CHROMIUM)) {
  if (process.platform === 'linux' && has('apt-get')) {
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const sudo = asRoot ? [] : has('sudo') ? ['sudo'] : null;
    if (sudo === null) {
      console.error(`setup: Chromium is not at ${CHROMIUM} and there is no root or sudo to install it; the browser tests need it (apt-get install chromium).`);
    } else {
      const apt = (...a) => (sudo.length ? run('sudo', ['apt-get', ...a]) : run('apt-get', a));
      apt('update', '-qq');
      apt('install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core');
    }
  } else {
    console.error(`setup: install Chromium and set CHROMIUM_PATH to its binary for the browser tests (looked for ${CHROMIUM}).`);
  }
}

// Electron's binary is fetched from outside the npm registry; the tests never need it, so CI skips it.
run('npm', ['ci', '--no-audit', '--no-fund'], process.env.CI ? { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } : {});
console.error('setup: done. Run the app with `npm start`, the tests with `npm test`.');
