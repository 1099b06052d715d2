// Lint config. Besides the usual rules it enforces the layers of DESIGN.md, so a wrong-way
// import fails `npm run lint` instead of relying on a comment:
//   shared/   pure TypeScript: no electron, no Node built-ins, no DOM, no React, nothing from electron/ or renderer/
//   renderer/ browser code: no electron, no Node built-ins, nothing from electron/
//   electron/ Node code: only the composition root (electron/app/) imports 'electron'
//   electron/core/     the campaign service and what it stands on: no front end (cli, desktop, ipc, app)
//   electron/cli/      a front end over core: not the desktop's layers
//   electron/desktop/  a front end over core (with ipc's backend type): not the CLI, not the composition root
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noElectron = { name: 'electron', message: 'Only the composition root (electron/app/) may import electron.' };
const nodeBuiltinPaths = nodeBuiltins.map((name) => ({ name, message: 'This layer must not use Node built-ins.' }));

const noRenderer = { group: ['**/renderer/**'], message: 'Main-process code must not import the renderer.' };
const noTestCode = { group: ['**/test/**', '**/*.test', '**/*.test.ts'], message: 'Production code must not import test code (fakes live in test/fakes/).' };

/** frontEndRules keep the campaign service below its front ends: core imports none of them, and each front end stays out of the others. */
function frontEndRules() {
  const layer = (files, banned, message) => ({
    files,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [noRenderer, noTestCode, ...banned.map((dir) => ({ group: [`**/electron/${dir}/**`, `../${dir}/**`, `../../${dir}/**`], message }))] }],
    },
  });
  return [
    layer(['electron/core/**/*.ts'], ['app', 'cli', 'desktop', 'ipc'], 'electron/core is the campaign service and what it stands on: it must not import a front end (app, cli, desktop, ipc).'),
    layer(['electron/cli/**/*.ts'], ['app', 'desktop', 'ipc'], 'The CLI is a front end over electron/core: it must not import the desktop app.'),
    layer(['electron/desktop/**/*.ts'], ['app', 'cli'], 'The desktop backend is a front end over electron/core: it must not import the CLI or the composition root.'),
    layer(['electron/ipc/**/*.ts'], ['app', 'cli', 'desktop'], 'electron/ipc adapts the contract to a backend: it must not import the front ends.'),
  ];
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'dist-electron/', 'dist-cli/', 'release/', 'test-results/', 'coverage/', 'bench/.data/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', 'bin/**/*.ts', 'electron/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**', '*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltinPaths, { name: 'react', message: 'shared/ is UI-free.' }],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not import electron/ or renderer/.' },
            { group: ['node:*'], message: 'shared/ must not use Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'fetch', 'setTimeout', 'setInterval'].map(
          (name) => ({ name, message: `shared/ is pure: ${name} belongs to a platform layer; pass it in.` }),
        ),
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltinPaths],
          patterns: [
            { group: ['**/electron/**'], message: 'The renderer talks to main only through the preload API.' },
            { group: ['node:*'], message: 'The renderer must not use Node built-ins.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ group: ['**/renderer/**'], message: 'Main-process code must not import the renderer.' }],
        },
      ],
    },
  },
  ...frontEndRules(),
);
