// Short notices at the bottom of the window; one may carry an action (undo).
import { create } from 'zustand';

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  action?: { label: string; testId: string; run: () => void };
  expiresAt: number;
}

interface ToastState {
  toasts: Toast[];
}

export const useToasts = create<ToastState>()(() => ({ toasts: [] }));

let nextId = 1;

export function showToast(text: string, options: { kind?: Toast['kind']; ms?: number; action?: Toast['action'] } = {}): number {
  const id = nextId++;
  const ms = options.ms ?? 5000;
  const toast: Toast = { id, text, kind: options.kind ?? 'info', expiresAt: Date.now() + ms };
  if (options.action) toast.action = options.action;
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-3), toast] }));
  setTimeout(() => dismissToast(id), ms);
  return id;
}

export function dismissToast(id: number): void {
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}
