// A run's summary, kept in its run folder (`run.json`, 0600) once it has ended, so that the
// runs panel can list the recent runs after a reload or a restart (issue 11): how each one
// ended, its exec error, and where its output is. Small on purpose: the output is in the
// run's own files, and the trace and plan can be had again by launching the profile.
//
// A run without output has no folder by then (runs-folder.ts removes an empty one): it gets
// one for its summary, 0700 like the others, and is pruned like them. Only run folders the
// lab made are read (named as it names them, a folder of this user's closed to others,
// never through a symlink), and a summary that is not one is skipped.
import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';

import type { RunSummary, SavedOutput } from '../../shared/api';
import { execErrorContextOf } from '../../shared/explain';
import type { Profile } from '../../shared/profile';
import { EXEC_CAUSE_CODES, type RunResult } from '../../shared/result';
import { STEPS } from '../../shared/steps';
import { madeByTheLab } from './delete-run-folder';
import { openOrMakePrivateFolder } from './open-or-make-folder';
import { FOLDER_FLAGS, openPrivateFolder, pinnedPath, PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE } from './private-folder';
import { parseJson, readOwnFile } from './read-own-file';
import { RUN_FOLDER } from './runs-folder';

export const RUN_SUMMARY_FILE = 'run.json';

const WHAT = 'runs folder';
const MAX_SUMMARY_BYTES = 1024 * 1024;

const RunSummarySchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  profileName: z.string(),
  probe: z.boolean(),
  launchedAtMs: z.number(),
  pid: z.int().nullable(),
  path: z.string(),
  status: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('exited'), code: z.int() }),
      z.object({ kind: z.literal('signaled'), signal: z.string(), number: z.int(), coreDumped: z.boolean() }),
    ])
    .nullable(),
  execError: z
    .object({
      step: z.enum(STEPS),
      errno: z.int(),
      code: z.string(),
      message: z.string(),
      file: z.int().optional(),
      died: z.object({ op: z.int(), of: z.int() }).optional(),
      cause: z.object({ code: z.enum(EXEC_CAUSE_CODES), path: z.string().optional(), text: z.string() }).optional(),
    })
    .nullable(),
  execErrorContext: z
    .object({ setsid: z.boolean().optional(), chroot: z.string().optional(), credential: z.boolean().optional(), cgroup: z.string().optional(), cloneflags: z.boolean().optional() })
    .optional(),
  timedOut: z.boolean(),
  timeoutMs: z.number().optional(),
  timeoutKilled: z.object({ scope: z.enum(['group', 'cgroup']), target: z.string(), error: z.string().optional() }).optional(),
  outputHeldOpen: z.array(z.string()).optional(),
  outputHolders: z.record(z.string(), z.array(z.object({ pid: z.int(), comm: z.string() }))).optional(),
  durationMs: z.number(),
  savedOutput: z.record(z.string(), z.object({ path: z.string(), bytes: z.number(), error: z.string().optional() })),
});

/** What a run's summary says, from what the service knows when the run has ended. */
export function summarize(
  run: { runId: string; profile: Profile; probe: boolean; launchedAtMs: number },
  result: RunResult,
  savedOutput: Record<string, SavedOutput>,
): RunSummary {
  const { profile } = run;
  return {
    runId: run.runId,
    profileName: profile.name,
    probe: run.probe,
    launchedAtMs: run.launchedAtMs,
    pid: result.pid,
    path: result.path,
    status: result.status,
    execError: result.execError,
    ...(result.execError && { execErrorContext: execErrorContextOf(profile) }),
    timedOut: result.timedOut,
    ...(profile.timeoutMs !== undefined && { timeoutMs: profile.timeoutMs }),
    ...(result.timeoutKilled && { timeoutKilled: result.timeoutKilled }),
    ...(result.outputHeldOpen && { outputHeldOpen: result.outputHeldOpen }),
    ...(result.outputHolders && { outputHolders: result.outputHolders }),
    durationMs: result.durationMs,
    savedOutput,
  };
}

/**
 * Writes the summary into the run's folder (`folderName` in the runs folder), making the
 * folder when the run had no output. Never throws: the summary is for the history only, and
 * a run whose summary could not be written (a refused runs folder, a full disk) is just not
 * listed later.
 */
export async function keepRunSummary(runsDir: string, folderName: string, summary: RunSummary): Promise<void> {
  let runs: FileHandle | undefined;
  let folder: FileHandle | undefined;
  try {
    runs = await openOrMakePrivateFolder(runsDir, WHAT);
    const runFolder = path.join(pinnedPath(runs), folderName);
    await mkdir(runFolder, { mode: PRIVATE_FOLDER_MODE }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    folder = await open(runFolder, FOLDER_FLAGS);
    if (!madeByTheLab(await folder.stat())) return;
    // O_EXCL: never through whatever may be at the name already (a symlink fails with EEXIST).
    const file = await open(path.join(pinnedPath(folder), RUN_SUMMARY_FILE), 'wx', PRIVATE_FILE_MODE);
    try {
      await file.writeFile(JSON.stringify({ version: 1, ...summary }));
    } finally {
      await file.close();
    }
  } catch {
    // not kept: see above
  } finally {
    await folder?.close();
    await runs?.close();
  }
}

/** The summaries in the newest `limit` run folders, newest first; none when the runs folder is missing or refused. */
export async function readRunSummaries(runsDir: string, limit: number): Promise<RunSummary[]> {
  let runs: FileHandle;
  try {
    runs = await openPrivateFolder(runsDir, WHAT);
  } catch {
    return [];
  }
  try {
    const pinned = pinnedPath(runs);
    const names = (await readdir(pinned))
      .filter((name) => RUN_FOLDER.test(name))
      .sort()
      .reverse()
      .slice(0, limit);
    const summaries = await Promise.all(names.map((name) => readSummary(pinned, path.join(runsDir, name))));
    return summaries.filter((summary): summary is RunSummary => summary !== null);
  } catch {
    return [];
  } finally {
    await runs.close();
  }
}

// The summary in one run folder (`pinnedRuns`/its name; `runFolder` is its path as the
// lab names it), or null when there is none or it is not one.
async function readSummary(pinnedRuns: string, runFolder: string): Promise<RunSummary | null> {
  const name = path.basename(runFolder);
  let folder: FileHandle;
  try {
    folder = await open(path.join(pinnedRuns, name), FOLDER_FLAGS);
  } catch {
    return null; // gone meanwhile (pruned), or a symlink
  }
  try {
    if (!madeByTheLab(await folder.stat())) return null;
    const read = await readOwnFile(path.join(pinnedPath(folder), RUN_SUMMARY_FILE), MAX_SUMMARY_BYTES);
    if (!read.ok) return null; // still running, or it ended without one
    const json = parseJson(read.content);
    const checked = json.ok ? RunSummarySchema.safeParse(json.value) : undefined;
    if (!checked?.success) return null;
    const { version: _version, ...summary } = checked.data;
    if (!name.endsWith(`-${summary.runId}`)) return null;
    // Only files of this run's own folder: a summary never names a file elsewhere.
    const savedOutput = Object.fromEntries(Object.entries(summary.savedOutput).filter(([, saved]) => path.dirname(saved.path) === runFolder));
    return { ...summary, savedOutput };
  } finally {
    await folder.close();
  }
}
