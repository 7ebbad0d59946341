// The keys of the lab's secret store, for the builder's secrets section: which keys a
// profile may name, and keeping a value under one. Values go to the lab and never come back.
import { create } from 'zustand';

import { getLabApi } from '../api';
import { showToast } from './toasts';

interface SecretKeysState {
  keys: string[];
  loaded: boolean;
}

export const useSecretKeys = create<SecretKeysState>()(() => ({ keys: [], loaded: false }));

export async function loadSecretKeys(): Promise<void> {
  try {
    useSecretKeys.setState({ keys: await getLabApi().listSecretKeys(), loaded: true });
  } catch (err) {
    showToast(`Could not list the secret store's keys: ${err instanceof Error ? err.message : String(err)}`, { kind: 'error' });
  }
}

/** Keeps `value` under `key`; true once the lab has it. */
export async function keepSecret(key: string, value: string): Promise<boolean> {
  const outcome = await getLabApi().setSecret(key, value);
  if (!outcome.ok) {
    showToast(`The secret was not kept: ${outcome.message ?? 'the lab refused it'}`, { kind: 'error' });
    return false;
  }
  await loadSecretKeys();
  showToast(`Kept a value under "${key}" in the lab's secret store.`);
  return true;
}
