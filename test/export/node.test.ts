// The node export, run with the probe: what its child gets is what the lab's own launch
// gives, except where child_process cannot say it, and there the gap is reported.
import { exportCases, HELD_FD, NO_NAMESPACES } from '../support/export-cases';

exportCases('node', {
  'own process group': { fields: ['pgid'], gaps: ['sys.setpgid'] },
  'credential drop': { fields: ['groups'], gaps: ['sys.credential.groups'] },
  // libuv's 'pipe' is a socket pair.
  'pipes and a closed slot': { fields: ['fds.1', 'fds.2'], gaps: ['files'] },
  'new namespaces': NO_NAMESPACES,
  // Node cannot mark an fd close-on-exec: the one it passes on stays open under its own number too.
  "an fd of the lab's own": { fields: [HELD_FD], gaps: ['files'] },
});
