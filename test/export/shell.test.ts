// The shell export, run with the probe: what its child gets is what the lab's own launch
// gives, except a process group of its own, which no wrapper makes (a reported gap).
import { exportCases } from '../support/export-cases';

exportCases('shell', {
  'own process group': { fields: ['pgid'], gaps: ['sys.setpgid'] },
});
