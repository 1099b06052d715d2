import { PRIVATE_FILE_MODE } from '../core/state/data-dir';

/**
 * The options main.ts gives electron-store for the settings file (profiles, the keys' ciphertext,
 * window state). electron-store passes them to conf, which writes the file atomically with
 * `configFileMode`: 0600, the user's alone, instead of conf's default 0666 less the umask (0644),
 * which let every local account read the ciphertext (only obfuscated under Linux `basic_text`).
 */
export const SETTINGS_STORE_OPTIONS = { name: 'settings', configFileMode: PRIVATE_FILE_MODE } as const;
