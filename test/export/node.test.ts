// The node export, run with the probe: what its child gets is what the lab's own launch
// gives, except where child_process cannot say it, and there the gap is reported.
import { exportCases, NO_NAMESPACES } from '../support/export-cases';

exportCases('node', {
  'own process group': { fields: ['pgid'], gaps: ['sys.setpgid'] },
  'credential drop': { fields: ['groups'], gaps: ['sys.credential.groups'] },
  // libuv's 'pipe' is a socket pair.
  'pipes and a closed slot': { fields: ['fds.1', 'fds.2'], gaps: ['files'] },
  'new namespaces': NO_NAMESPACES,
});
