// Preload (sandboxed, context-isolated): exposes `window.lab` and nothing else.
// Never expose ipcRenderer or a generic invoke/send: each capability is a named method.
import { contextBridge } from 'electron';
import { version as appVersion } from '../../package.json';
import type { LabApi } from './api';

const lab: LabApi = {
  version: () => appVersion,
};

contextBridge.exposeInMainWorld('lab', lab);
