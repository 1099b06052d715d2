/// <reference types="vite/client" />
import type { Api } from '../shared/ipc/api';

declare global {
  interface Window {
    /** The preload's API (shared/ipc/api.ts): the renderer's only way to reach the main process. */
    api: Api;
  }
}

export {};
