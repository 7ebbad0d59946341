// For test/import: what a child observed when bash ran a line, or when the lab launched an
// imported profile, side by side in the terms both can be compared in (a pipe is "pipe"
// whoever made it; a pid is a relation, not a number).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { launch, launchProbe } from '../../src/main/lab/index';
import { labNamespaceIds } from '../../src/main/lab/namespaces';
import { namespaceOrigins } from '../../src/shared/namespaces';
import type { Profile } from '../../src/shared/profile';
import type { ProbeReport } from './probe';

/** The fd the probe reports on in a bash run: `PROBE --report-fd 9` leaves it out of its table. */
export const REPORT_FD = 9;

/** Variables bash itself adds to a command's environment. */
const SHELL_ADDED = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD']);

/**
 * Runs `bash -c LINE`, whose program is the probe reporting on fd REPORT_FD: what it
 * observed. bash is started by the lab, so that its fds 0 to 2 are pipes (as the lab's
 * are, where Node would give sockets) and it inherits nothing else.
 */
export async function probeThroughBash(line: string): Promise<ProbeReport> {
  const closed = Array.from({ length: REPORT_FD - 3 }, () => ({ type: 'closed' as const }));
  const result = await launch({
    version: 1,
    name: 'bash',
    path: '/bin/bash',
    args: ['bash', '-c', line],
    inheritEnv: true,
    files: [{ type: 'pipe' }, { type: 'pipe' }, { type: 'pipe' }, ...closed, { type: 'pipe' }],
  }).result;
  assert.deepEqual(result.status, { kind: 'exited', code: 0 }, `bash -c ${line}: ${JSON.stringify(result.output)}`);
  return JSON.parse(result.output[String(REPORT_FD)]!) as ProbeReport;
}

/** Launches the profile with the probe in its program's place: what it observed. */
export async function probeThroughLab(profile: Profile): Promise<ProbeReport> {
  const run = launchProbe(profile);
  const result = await run.result;
  assert.equal(result.execError, null, `exec error: ${JSON.stringify(result.execError)}`);
  assert.ok(run.probeReport, `no probe report: ${JSON.stringify(result)}`);
  return JSON.parse(run.probeReport.text) as ProbeReport;
}

/** This process's process group and session (/proc/self/stat). */
export function ownGroupAndSession(): { pgid: number; sid: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const [pgid, sid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(2, 4).map(Number);
  return { pgid: pgid!, sid: sid! };
}

/** What a line sets, as comparable between two children: everything but numbers that differ by nature. */
export function observed(report: ProbeReport) {
  const own = ownGroupAndSession();
  return {
    env: report.env.filter((entry) => !SHELL_ADDED.has(entry.split('=', 1)[0]!)).sort(),
    cwd: report.cwd,
    root: report.root,
    idMaps: report.idMaps,
    ids: { uid: report.uid, euid: report.euid, gid: report.gid, egid: report.egid, groups: report.groups },
    fds: report.fds.map((f) => ({ fd: f.fd, target: f.target?.startsWith('pipe:') ? 'pipe' : f.target, access: f.access, append: f.append })),
    nofile: report.rlimits.NOFILE,
    nice: report.nice,
    cpuAffinity: report.cpuAffinity,
    session: {
      leadsSession: report.sid === report.pid,
      leadsGroup: report.pgid === report.pid,
      inOurGroup: report.pgid === own.pgid,
      inOurSession: report.sid === own.sid,
    },
    namespaces: namespaceOrigins(report.namespaces, labNamespaceIds()),
  };
}
