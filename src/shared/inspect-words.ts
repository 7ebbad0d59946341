// An inspected process's setup in words, for `proclab inspect` and the run view's Inspect
// panel alike: signals against their defaults, capabilities, namespaces, limits.
import type { InspectedProcess } from './inspect';
import { defaultAction } from './signals';

const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(' '));

/** "ignored SIGPIPE (default: terminate); caught SIGTERM; blocked none; pending none". */
export function signalsWords(s: NonNullable<InspectedProcess['signals']>): string {
  const ignored = s.ignored.map((name) => (defaultAction(name) === 'ignore' ? `${name} (ignored by default too)` : `${name} (default: ${defaultAction(name)})`));
  return `ignored ${list(ignored)}; caught ${list(s.caught)}; blocked ${list(s.blocked)}; pending ${list(s.pending)}; every other signal has its default action`;
}

/** Effective and permitted counted (a root process has them all), inheritable and ambient by name. */
export function capabilitiesWords(c: NonNullable<InspectedProcess['capabilities']>): string {
  const counted = (names: readonly string[]) => (names.length === 0 ? 'none' : `${names.length} (${names.length > 4 ? `${names.slice(0, 4).join(' ')}…` : names.join(' ')})`);
  return `effective ${counted(c.effective)}, permitted ${counted(c.permitted)}, inheritable ${list(c.inheritable)}, ambient ${list(c.ambient)}`;
}

/** "pid new, mnt new; the lab's: net uts ipc user cgroup". */
export function namespacesWords(ns: InspectedProcess['namespaces']): string {
  const of = (origin: string) => Object.entries(ns).filter(([, n]) => n!.origin === origin).map(([name]) => name);
  const parts = [of('new').length > 0 && `new: ${of('new').join(' ')}`, of('lab').length > 0 && `the lab's: ${of('lab').join(' ')}`, of('unknown').length > 0 && `unknown: ${of('unknown').join(' ')}`];
  return parts.filter(Boolean).join('; ') || 'none seen';
}

/** "NOFILE 77/77, CORE 0/unlimited" (soft/hard). */
export function limitsWords(rlimits: NonNullable<InspectedProcess['rlimits']>): string {
  return Object.entries(rlimits).map(([name, l]) => `${name} ${l.soft}/${l.hard}`).join(', ');
}
