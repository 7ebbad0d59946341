// The cold start, in a fresh Node process: `node bench/cold.mjs '{"kind":"cold","rssMb":0}'`.
// Times require('proclab') and then the first launch of /bin/true until its result (no
// JIT yet, the schema not warm), and a second launch beside it for comparison.
import { createRequire } from 'node:module';

import { now, runTask } from './measure.mjs';
import { checkExited, trueProfile } from './true-profile.mjs';

const require = createRequire(import.meta.url);

async function cold() {
  const t0 = now();
  const lab = require('proclab');
  const t1 = now();
  const first = await lab.launch(trueProfile('vfork')).result;
  const t2 = now();
  const second = await lab.launch(trueProfile('vfork')).result;
  const t3 = now();
  checkExited(first);
  checkExited(second);
  return { requireMs: t1 - t0, firstLaunchMs: t2 - t1, firstNativeMs: first.durationMs, secondLaunchMs: t3 - t2 };
}

await runTask({ cold });
