// The builder's preview of a program: where it resolves (lookup.ts), in which PATH, what was
// passed over and why, and under chroot whether the path found exists inside the new root
// as the child will resolve it (openat2 RESOLVE_IN_ROOT), not in the lab's own tree.
import { closeSync } from 'node:fs';
import path from 'node:path';

import type { LookupView } from '../../shared/api';
import { engine, O_PATH } from './engine';
import { scriptInterpreter } from './exec-cause';
import { lookPath } from './lookup';
import { shown, type NativeBytes } from './native-bytes';

export function lookupView(program: string, envp: readonly NativeBytes[], chroot: string): LookupView {
  const found = lookPath(program, envp);
  const view: LookupView = { path: found.ok ? shown(found.path) : null };
  if (found.searched) view.search = { from: found.searched.from, value: found.searched.value, skipped: found.searched.skipped };
  if (chroot && view.path !== null) {
    const root = path.resolve(chroot);
    const fd = engine().openInRoot(root, view.path, O_PATH);
    if (fd >= 0) closeSync(fd);
    view.inRoot = { root, exists: fd >= 0 };
  }
  // (A relative path resolves against the child's dir, which this view does not know.)
  if (view.path?.startsWith('/') && (!view.inRoot || view.inRoot.exists)) {
    const interpreter = scriptInterpreter(view.inRoot?.root ?? '/', view.path);
    if (interpreter) view.interpreter = interpreter;
  }
  return view;
}
