// npm run soak [-- --rounds N --burst N --websocket]: the long soak, with its numbers
// printed; --websocket drives it through browser mode's API instead of the library.
import { parseArgs } from 'node:util';

import { soak } from './soak';
import { websocketLauncher } from './soak-websocket';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '150' }, burst: { type: 'string', default: '200' }, websocket: { type: 'boolean', default: false } },
});

async function main(): Promise<void> {
  const ws = values.websocket ? await websocketLauncher() : undefined;
  const r = await soak({ rounds: Number(values.rounds), burst: Number(values.burst), ...(ws && { runKind: ws.runKind }) });
  await ws?.close();
  const leaked = r.fdsAfter.length !== r.fdsBefore.length || r.fdsAfter.some((fd, i) => fd !== r.fdsBefore[i]);
  console.log(`launches        ${r.launches} in ${(r.durationMs / 1000).toFixed(1)} s (${(r.launches / (r.durationMs / 1000)).toFixed(0)}/s)`);
  console.log(`lab fds         ${r.fdsBefore.length} before, ${r.fdsAfter.length} after${leaked ? ' LEAKED' : ', the same'}`);
  console.log(`children left   ${r.leftoverPids.length}`);
  console.log(`RSS growth      ${r.rssGrowthMb.toFixed(1)} MB`);
  console.log(`surprises       ${r.surprises.length ? r.surprises.join('; ') : 'none'}`);
  process.exit(leaked || r.leftoverPids.length || r.surprises.length ? 1 : 0);
}
void main();
