// The rust export, built and run with the probe: what its child gets is what the lab's own launch gives.
import { exportCases } from '../support/export-cases';

exportCases('rust');
