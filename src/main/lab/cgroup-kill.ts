// Kills every process of a cgroup v2 directory at once: cgroup.kill (Linux 5.14,
// cgroups(7)). Unlike kill(-pgid) it reaches a descendant that called setsid or setpgid,
// and a process forked while the kill is under way.
// fs.promises, not node:fs/promises: Node loads its promise API when it is first used, so a
// run that never kills a cgroup starts without it (issue 17).
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

import type { ControlOutcome } from '../../shared/api';
import { errnoByCode } from '../../shared/errno';

export async function killCgroup(dir: string): Promise<ControlOutcome> {
  // The lab placed in the same cgroup would kill itself.
  try {
    const procs = await fs.readFile(path.join(dir, 'cgroup.procs'), 'utf8');
    if (procs.split('\n').includes(String(process.pid))) {
      return { ok: false, code: 'EPERM', message: `the lab itself is in ${dir}: cgroup.kill would kill it too` };
    }
  } catch (error) {
    return failed(dir, 'cgroup.procs', error);
  }
  let file;
  try {
    file = await fs.open(path.join(dir, 'cgroup.kill'), constants.O_WRONLY | constants.O_NOFOLLOW);
    await file.write('1');
    return { ok: true };
  } catch (error) {
    return failed(dir, 'cgroup.kill', error);
  } finally {
    await file?.close();
  }
}

function failed(dir: string, name: string, error: unknown): ControlOutcome {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const message = errnoByCode(code)?.message ?? String(error);
  const hint = code === 'ENOENT' ? ' (not a cgroup v2 directory, or Linux before 5.14 for cgroup.kill)' : '';
  return { ok: false, code, message: `${name} in ${dir}: ${message}${hint}` };
}
