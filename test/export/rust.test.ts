// The rust export, built and run with the probe: what its child gets is what the lab's own launch
// gives, but new namespaces, which the rust export does not make (a reported gap).
import { exportCases, NO_NAMESPACES } from '../support/export-cases';

exportCases('rust', { 'new namespaces': NO_NAMESPACES });
