// npm run soak [-- --rounds N --burst N]: the long soak, with its numbers printed.
import { parseArgs } from 'node:util';

import { soak } from './soak';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '150' }, burst: { type: 'string', default: '200' } } });
soak({ rounds: Number(values.rounds), burst: Number(values.burst) }).then((r) => {
  const leaked = r.fdsAfter.length !== r.fdsBefore.length || r.fdsAfter.some((fd, i) => fd !== r.fdsBefore[i]);
  console.log(`launches        ${r.launches} in ${(r.durationMs / 1000).toFixed(1)} s (${(r.launches / (r.durationMs / 1000)).toFixed(0)}/s)`);
  console.log(`lab fds         ${r.fdsBefore.length} before, ${r.fdsAfter.length} after${leaked ? ' LEAKED' : ', the same'}`);
  console.log(`children left   ${r.leftoverPids.length}`);
  console.log(`RSS growth      ${r.rssGrowthMb.toFixed(1)} MB`);
  console.log(`surprises       ${r.surprises.length ? r.surprises.join('; ') : 'none'}`);
  process.exit(leaked || r.leftoverPids.length || r.surprises.length ? 1 : 0);
});
