import type { LabApi } from '@shared/api';

declare global {
  interface Window {
    /**
     * The app's API, exposed by the Electron preload. Absent in browser mode, where the
     * renderer talks to `proclab serve` over a WebSocket instead (see api/index.ts).
     */
    readonly lab?: LabApi;
  }
}

export {};
