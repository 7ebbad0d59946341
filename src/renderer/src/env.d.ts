import type { LabApi } from '../../preload/api';

declare global {
  interface Window {
    /** The app's API: the Electron preload, or (issue 3) the browser-mode shim. */
    readonly lab: LabApi;
  }
}

export {};
