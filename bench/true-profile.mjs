// The engine's launch of /bin/true for the bench: the profile (fds 0-2 on /dev/null, the
// other options the defaults) and the check that it ran and exited 0.
const NULL3 = [{ type: 'null' }, { type: 'null' }, { type: 'null' }];

export const trueProfile = (method) => ({ version: 1, name: 'b', path: '/bin/true', args: ['true'], files: NULL3, engine: { method } });

export function checkExited(result) {
  if (result.status?.kind !== 'exited' || result.status.code !== 0 || result.execError) {
    throw new Error(`engine launch failed: ${JSON.stringify({ status: result.status, execError: result.execError })}`);
  }
}
