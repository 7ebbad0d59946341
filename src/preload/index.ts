// Preload (sandboxed, context-isolated): exposes `window.lab`, the LabApi of src/shared/api.ts,
// and nothing else. Each capability is a named method: the page never gets ipcRenderer, a
// generic invoke/send, channel names or IPC event objects.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import {
  ipcChannel,
  IPC_OPEN_SAVED_OUTPUT,
  PUSH_PROFILES_CHANGED,
  PUSH_RUN_UPDATE,
  type ApiMethod,
  type LabApi,
  type RunUpdate,
} from '../shared/api';

/** The method's request over its own channel; the main process checks the params. */
const request = <M extends ApiMethod>(method: M) =>
  ((...args: Parameters<LabApi[M]>) => ipcRenderer.invoke(ipcChannel(method), ...args)) as LabApi[M];

/** Subscribes to a push channel, handing the listener the payload only. */
function subscribe<T extends unknown[]>(channel: string, listener: (...payload: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, ...payload: T) => listener(...payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const lab: LabApi = {
  listProfiles: request('listProfiles'),
  saveProfile: request('saveProfile'),
  deleteProfile: request('deleteProfile'),
  examplesStatus: request('examplesStatus'),
  restoreExamples: request('restoreExamples'),
  undoRestoreExamples: request('undoRestoreExamples'),
  validate: request('validate'),
  plan: request('plan'),
  execPreview: request('execPreview'),
  sandboxPlan: request('sandboxPlan'),
  lookPath: request('lookPath'),
  exportCode: request('exportCode'),
  verifyExport: request('verifyExport'),
  inspect: request('inspect'),
  importShell: request('importShell'),
  importProcess: request('importProcess'),
  listProcesses: request('listProcesses'),
  launch: request('launch'),
  signal: request('signal'),
  ptrace: request('ptrace'),
  input: request('input'),
  resize: request('resize'),
  saveDraft: request('saveDraft'),
  listDrafts: request('listDrafts'),
  discardDraft: request('discardDraft'),
  listRecentRuns: request('listRecentRuns'),
  listSecretKeys: request('listSecretKeys'),
  setSecret: request('setSecret'),
  deleteSecret: request('deleteSecret'),
  listLessons: request('listLessons'),
  checkLesson: request('checkLesson'),
  showLessonHint: request('showLessonHint'),
  openSavedOutput: (runId, key, action) => ipcRenderer.invoke(IPC_OPEN_SAVED_OUTPUT, runId, key, action),
  onRunUpdate: (listener) => subscribe<[RunUpdate]>(PUSH_RUN_UPDATE, listener),
  onProfilesChanged: (listener) => subscribe<[]>(PUSH_PROFILES_CHANGED, listener),
};

contextBridge.exposeInMainWorld('lab', lab);
