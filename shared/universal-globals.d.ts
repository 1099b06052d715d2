// shared/ compiles with no DOM and no Node types, so that nothing environment-specific
// leaks into pure code. These few globals exist, with these shapes, in browsers, workers,
// Node 20+ and Electron alike; declaring them here is the whole of what shared/ may use.

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  readonly encoding: string;
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly hostname: string;
  readonly host: string;
  readonly origin: string;
  readonly pathname: string;
  readonly href: string;
  readonly username: string;
  readonly password: string;
  readonly search: string;
  readonly hash: string;
  static canParse(url: string, base?: string): boolean;
}


declare const crypto: {
  randomUUID(): string;
  getRandomValues<T extends Uint8Array | Uint32Array>(array: T): T;
};
