// Run by the noctty test inside a pseudo-terminal that is this process's controlling
// terminal: launches the probe with fd 0 inherited (the terminal), with or without
// noctty (argv[2]), and prints the probe's report on one line.
import { launch, probePath } from '../../src/main/lab/index';

const run = launch({
  version: 1,
  name: 'noctty',
  path: probePath(),
  args: ['proclab_probe'],
  files: [{ type: 'inherit', fd: 0 }, { type: 'pipe' }, { type: 'null' }],
  sys: { noctty: process.argv[2] === 'true' },
});
run.result.then((r) => process.stdout.write(`REPORT ${r.output['1'] ?? JSON.stringify(r.execError)}`));
