import { contextBridge, ipcRenderer } from 'electron';
import { buildBridgeApi, installApi } from './preload-api';

// The sandboxed preload: builds the verb-method API over ipcRenderer and installs it as
// `window.api` in the page's world. Nothing else (no ipcRenderer, no invoke) reaches the page.
contextBridge.executeInMainWorld({ func: installApi, args: [buildBridgeApi(ipcRenderer)] });
