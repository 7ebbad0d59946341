// Whether the renderer can reach the lab: drives the "disconnected" banner.
import { create } from 'zustand';

export interface ConnectionState {
  /** no-token: browser mode without a session (no ?token= or ticket in the address, none kept by this tab): nothing to connect to. */
  state: 'connecting' | 'open' | 'closed' | 'reconnecting' | 'no-token';
  /** When the next attempt starts (ms since epoch), while closed. */
  retryAt: number | null;
}

export const useConnection = create<ConnectionState>()(() => ({ state: 'connecting', retryAt: null }));

export function setConnection(next: ConnectionState): void {
  useConnection.setState(next);
}
