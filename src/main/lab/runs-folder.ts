// The runs folder: the full output of recent runs, one folder per run that had output
// (`2025-05-01T10-20-30.123Z-<run id>/fd1.txt`, `fd2.txt`, `pty.txt`), beside the profiles
// folder. A captured pipe's file is made when the pipe is attached and written by the
// engine as it reads (exactly the bytes the child wrote); a pty's at its first output,
// from its text. Files of streams that wrote nothing are removed at the end.
//
// Output may hold secrets, and the lab deletes in this folder: it must be the lab's user's
// alone (private-folder.ts). The lab makes it 0700 at the first output; a found folder
// that is a symlink, someone else's, or writable by others is refused, and each run's
// files then say so instead of being written (the run itself goes on).
//
// Bounded by count: the newest KEEP_RUNS run folders stay, older ones are deleted each time
// a new one is made (by their names, which sort by start time). Runs still going are never
// deleted, and only folders the lab made are (delete-run-folder.ts: never through a symlink).
// A count, not a total size: each run keeps all of its output, however large (the point of
// the file), and a user can predict which runs are still there.
import fs from 'node:fs';
import { readdir, rmdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

import type { SavedOutput } from '../../shared/api';
import { deleteRunFolder } from './delete-run-folder';
import { EngineOutputFile } from './engine-output-file';
import { explainIoError } from './io-error';
import { OutputFile } from './output-file';
import { checkPrivateFolderSync, openPrivateFolder, pinnedPath, PRIVATE_FOLDER_MODE } from './private-folder';

export const KEEP_RUNS = 20;

const WHAT = 'runs folder';

/** A run folder's name: its start time (sortable), then the run id. Nothing else in the folder is touched. */
export const RUN_FOLDER = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f-]{36}$/;

/** What the transports need to find a saved file: by run id and key, never by a path from a client. */
export interface SavedOutputLookup {
  savedOutput(runId: string, key: string): SavedOutput | undefined;
}

export class RunsFolder implements SavedOutputLookup {
  // This session's runs whose folder has not been deleted, by run id.
  private readonly runs = new Map<string, RunOutputFiles>();
  // One prune at a time; asked for meanwhile (each run asks, and 200 may end at once), one
  // more is queued after it, which every such ask shares.
  private pruning: Promise<void> | null = null;
  private queuedPrune: Promise<void> | null = null;

  constructor(readonly dir: string) {}

  /** A run's files; `onSaved` hears when a stream's file is made, and when writing it fails. */
  startRun(runId: string, onSaved: (key: string, saved: SavedOutput) => void): RunOutputFiles {
    const folder = `${new Date().toISOString().replace(/:/g, '-')}-${runId}`;
    const files = new RunOutputFiles(path.join(this.dir, folder), () => this.prepare(), (key, saved, first) => {
      if (first) {
        this.runs.set(runId, files);
        void this.prune();
      }
      onSaved(key, saved);
    });
    return files;
  }

  savedOutput(runId: string, key: string): SavedOutput | undefined {
    return this.runs.get(runId)?.saved(key);
  }

  /** Resolves once no prune is going on. */
  async settled(): Promise<void> {
    while (this.pruning || this.queuedPrune) await (this.queuedPrune ?? this.pruning);
  }

  /**
   * Deletes all but the newest KEEP_RUNS run folders (never one still being written, only the
   * lab's own); resolves once a prune that started after this call has finished.
   */
  prune(): Promise<void> {
    if (this.queuedPrune) return this.queuedPrune;
    if (this.pruning) {
      this.queuedPrune = this.pruning.then(() => {
        this.queuedPrune = null;
        return this.prune();
      });
      return this.queuedPrune;
    }
    this.pruning = this.pruneOnce().finally(() => (this.pruning = null));
    return this.pruning;
  }

  private async pruneOnce(): Promise<void> {
    let folder: FileHandle;
    try {
      folder = await openPrivateFolder(this.dir, WHAT);
    } catch {
      return; // no folder (nothing to prune), or one the lab refuses (it deletes nothing there)
    }
    try {
      // Read and deleted in the folder that was checked, whatever its name means by now.
      const pinned = pinnedPath(folder);
      const names = (await readdir(pinned)).filter((name) => RUN_FOLDER.test(name)).sort();
      const live = new Set([...this.runs.values()].filter((run) => !run.closed).map((run) => run.folderName));
      const doomed = new Set(names.slice(0, -KEEP_RUNS).filter((name) => !live.has(name)));
      // No longer offered from here on, even while the folder is being deleted.
      for (const [runId, run] of this.runs) if (doomed.has(run.folderName)) this.runs.delete(runId);
      await Promise.all([...doomed].map((name) => deleteRunFolder(pinned, name)));
    } catch {
      // unreadable meanwhile: the next run's prune tries again
    } finally {
      await folder.close();
    }
  }

  /**
   * Before a run's first file: makes the runs folder (0700) when it is missing, else checks
   * that it is private. null, or why no file may be made in it (naming the folder).
   */
  private prepare(): string | null {
    try {
      try {
        checkPrivateFolderSync(this.dir, WHAT);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        fs.mkdirSync(this.dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
        checkPrivateFolderSync(this.dir, WHAT);
      }
      return null;
    } catch (err) {
      return explainIoError(err);
    }
  }
}

export class RunOutputFiles {
  // Captured pipes: written by the engine (EngineOutputFile). A pty's text: by OutputFile.
  private readonly engineFiles = new Map<string, EngineOutputFile>();
  private readonly textFiles = new Map<string, OutputFile>();
  // Streams that have had output: their files are announced, and kept at the end.
  private readonly announced = new Set<string>();
  closed = false;

  // Why no file may be made for this run (prepareFolder's answer, asked once), or null.
  private refusal: string | null | undefined;

  constructor(
    private readonly folder: string,
    private readonly prepareFolder: () => string | null,
    private readonly onSaved: (key: string, saved: SavedOutput, first: boolean) => void,
  ) {}

  get folderName(): string {
    return path.basename(this.folder);
  }

  /** For LaunchHandlers.saveOutput: a captured pipe's file, made now, for the engine to write. */
  engineFile(key: string): number | undefined {
    if (this.closed) return undefined;
    const file = new EngineOutputFile(path.join(this.folder, fileName(key)), this.whyNoFiles());
    this.engineFiles.set(key, file);
    return file.fd;
  }

  /** For LaunchHandlers.onOutputSaved: the engine has finished with a stream's file. */
  engineFileEnded(key: string, errno: number): void {
    const file = this.engineFiles.get(key);
    if (!file) return;
    file.ended(errno);
    if (errno !== 0) this.announce(key, file.saved);
  }

  /** Every piece of output as it arrives: a pty's is written here; every stream's first announces its file. */
  write(key: string, text: string): void {
    if (this.closed || text === '') return;
    const engineFile = this.engineFiles.get(key);
    if (engineFile) {
      if (!this.announced.has(key)) this.announce(key, engineFile.saved);
      return;
    }
    let file = this.textFiles.get(key);
    if (!file) {
      file = new OutputFile(path.join(this.folder, fileName(key)), (saved) => this.announce(key, saved), this.whyNoFiles());
      this.textFiles.set(key, file);
      this.announce(key, file.saved);
    }
    file.write(text);
  }

  saved(key: string): SavedOutput | undefined {
    if (!this.announced.has(key)) return undefined;
    return (this.engineFiles.get(key) ?? this.textFiles.get(key))?.saved;
  }

  /**
   * Once the run's output has all been written: every file complete, by key. The files of
   * streams that wrote nothing are removed (and the run's folder, when that leaves it empty).
   */
  async close(): Promise<Record<string, SavedOutput>> {
    this.closed = true;
    const out: Record<string, SavedOutput> = {};
    for (const [key, file] of this.engineFiles) {
      const saved = file.finish();
      if (!saved) continue;
      out[key] = saved;
      this.announced.add(key);
    }
    const texts = await Promise.all([...this.textFiles].map(async ([key, file]) => [key, await file.close()] as const));
    for (const [key, saved] of texts) out[key] = saved;
    if (Object.keys(out).length === 0) await rmdir(this.folder).catch(() => {});
    return out;
  }

  private whyNoFiles(): string | null {
    if (this.refusal === undefined) this.refusal = this.prepareFolder();
    return this.refusal;
  }

  private announce(key: string, saved: SavedOutput): void {
    const first = this.announced.size === 0;
    this.announced.add(key);
    this.onSaved(key, saved, first);
  }
}

/** fd1.txt for a child fd's pipe; pty.txt, lab-1.txt (a stand-in for the lab's fd 1) by their keys. */
const fileName = (key: string): string => (/^\d+$/.test(key) ? `fd${key}.txt` : `${key}.txt`);
