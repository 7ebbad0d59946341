// The probe's report of a run that launched it (Run.probeReport), as the lab reads it.
import type { ProbeReport } from '../../shared/api';
import type { Run } from './run';

/** The report and when it was written (just after the probe read its table); undefined when it ran too little to write one, or was cut short (killed while writing). */
export function parseProbeReport(run: Run): { report: ProbeReport; writtenAtMs: number } | undefined {
  if (!run.probeReport) return undefined;
  try {
    return { report: JSON.parse(run.probeReport.text) as ProbeReport, writtenAtMs: run.probeReport.writtenAtMs };
  } catch {
    return undefined;
  }
}
