// Run by the crash test as its own process: saves one profile over and over, alternating
// two versions, and prints a line after each save, until it is killed.
import { ProfileStore } from '../../src/main/lab/profile-store';

const store = new ProfileStore(process.argv[2]!);
const version = (n: number) => ({ version: 1 as const, name: 'crash', path: '/bin/true', args: ['true'], description: n % 2 ? 'version B' : 'version A' });

async function loop(): Promise<void> {
  await store.createFolder();
  // Carry on from what an earlier, killed writer left, or start the file.
  const left = (await store.list()).find((e) => e.profile?.name === 'crash');
  let saved = left
    ? await store.save({ file: left.file, baseRevision: left.revision, profile: version(0) })
    : await store.save({ profile: version(0) });
  for (let n = 1; ; n++) {
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    process.stdout.write(`saved ${n}\n`);
    saved = await store.save({ file: saved.entry.file, baseRevision: saved.entry.revision, profile: version(n) });
  }
}
void loop();
