// The export targets by name (contract section 4: `proclab export FILE --to LANG`).
import type { NormalizedProfile } from '../profile';
import { exportC } from './c';
import type { ExportedCode, ExportLang } from './common';
import { exportGo } from './go';
import { exportGoSyscall } from './go-syscall';
import { exportNode } from './node';
import { exportPython } from './python';
import { exportRust } from './rust';
import { exportShell } from './shell';

export { EXPORT_LANGS, gapLine, isExportLang, type ExportedCode, type ExportGap, type ExportLang } from './common';

const EXPORTERS: Record<ExportLang, (p: NormalizedProfile) => ExportedCode> = {
  go: exportGo,
  'go-syscall': exportGoSyscall,
  python: exportPython,
  node: exportNode,
  rust: exportRust,
  c: exportC,
  shell: exportShell,
};

/** The launch as a program in `lang`, and what that program cannot express. */
export const exportCode = (p: NormalizedProfile, lang: ExportLang): ExportedCode => EXPORTERS[lang](p);
