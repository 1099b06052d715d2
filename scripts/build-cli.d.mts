// Types for scripts/build-cli.mjs, which stays plain JavaScript so that it runs before anything is built.

/** A bundle: its entry (TypeScript) and its output, both relative to the repository root. */
export interface CliBundle {
  entry: string;
  outfile: string;
}

export declare const campaignBundle: CliBundle;
export declare const crashTestBundle: CliBundle;
export declare const loadedWhenUsed: string[];

/** freshBundle returns the absolute path of the bundle's output, building it first if it is missing or stale. */
export declare function freshBundle(bundle?: CliBundle): Promise<string>;
/** buildBundle builds the bundle now. */
export declare function buildBundle(bundle?: CliBundle): Promise<void>;
/** isFresh tells whether the bundle exists and every file it was built from is unchanged. */
export declare function isFresh(bundle?: CliBundle): boolean;
