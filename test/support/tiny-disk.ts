// A folder on a small tmpfs, for what a full disk does: unmounted and removed when the test
// ends. Mounting needs root; where it is refused the reason comes back instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tinyDisk(t: { after(fn: () => void): void }, size: string): { dir: string } | { refused: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proclab-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { refused: `mount -t tmpfs failed: ${mounted.stderr.trim() || mounted.error?.message}` };
  }
  t.after(() => {
    // The lab may still be at work in it (pruning after a run's end) when the test's own
    // hooks run: detached lazily then, and gone once the lab lets go.
    if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['--lazy', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir };
}
