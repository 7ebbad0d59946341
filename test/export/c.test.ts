// The c export, built and run with the probe: what its child gets is what the lab's own launch
// gives, but new namespaces, which the c export does not make (a reported gap).
import { exportCases, NO_NAMESPACES } from '../support/export-cases';

exportCases('c', { 'new namespaces': NO_NAMESPACES });
