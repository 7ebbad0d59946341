// The one API the renderer sees, as `window.lab`. Named methods only: the renderer never
// gets ipcRenderer, channels or Node objects. Implemented by src/preload/index.ts (Electron)
// and, with issue 3, by a browser-mode shim over the same interface.
//
// Types only (no runtime code), so the renderer's tsconfig can import it as well.
export interface LabApi {
  /** The app version, e.g. "0.1.0". */
  version(): string;
}
