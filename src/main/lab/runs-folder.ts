// The runs folder: the full output of recent runs, one folder per run that had output
// (`2025-05-01T10-20-30.123Z-<run id>/fd1.txt`, `fd2.txt`, `pty.txt`), beside the profiles
// folder. A run's files are made at its first output and written as it runs.
//
// Bounded by count: the newest KEEP_RUNS run folders stay, older ones are deleted each time
// a new one is made (by their names, which sort by start time). Runs still going are never
// deleted. A count, not a total size: each run keeps all of its output, however large (the
// point of the file), and a user can predict which runs are still there.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

import type { SavedOutput } from '../../shared/api';
import { OutputFile } from './output-file';

export const KEEP_RUNS = 20;

/** A run folder's name: its start time (sortable), then the run id. Nothing else in the folder is touched. */
const RUN_FOLDER = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f-]{36}$/;

/** What the transports need to find a saved file: by run id and key, never by a path from a client. */
export interface SavedOutputLookup {
  savedOutput(runId: string, key: string): SavedOutput | undefined;
}

export class RunsFolder implements SavedOutputLookup {
  // This session's runs whose folder has not been deleted, by run id.
  private readonly runs = new Map<string, RunOutputFiles>();

  constructor(readonly dir: string) {}

  /** A run's files; `onSaved` hears when a stream's file is made, and when writing it fails. */
  startRun(runId: string, onSaved: (key: string, saved: SavedOutput) => void): RunOutputFiles {
    const folder = `${new Date().toISOString().replace(/:/g, '-')}-${runId}`;
    const files = new RunOutputFiles(path.join(this.dir, folder), (key, saved, first) => {
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

  /** Deletes all but the newest KEEP_RUNS run folders (never one still being written). */
  private async prune(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => RUN_FOLDER.test(name)).sort();
    } catch {
      return; // no folder: nothing to prune
    }
    const live = new Set([...this.runs.values()].filter((run) => !run.closed).map((run) => run.folderName));
    const doomed = new Set(names.slice(0, -KEEP_RUNS).filter((name) => !live.has(name)));
    // No longer offered from here on, even while the folder is being deleted.
    for (const [runId, run] of this.runs) if (doomed.has(run.folderName)) this.runs.delete(runId);
    await Promise.all([...doomed].map((name) => rm(path.join(this.dir, name), { recursive: true, force: true }).catch(() => {})));
  }
}

export class RunOutputFiles {
  private readonly files = new Map<string, OutputFile>();
  closed = false;

  constructor(
    private readonly folder: string,
    private readonly onSaved: (key: string, saved: SavedOutput, first: boolean) => void,
  ) {}

  get folderName(): string {
    return path.basename(this.folder);
  }

  write(key: string, text: string): void {
    if (this.closed || text === '') return;
    let file = this.files.get(key);
    if (!file) {
      const first = this.files.size === 0;
      file = new OutputFile(path.join(this.folder, key === 'pty' ? 'pty.txt' : `fd${key}.txt`), (saved) => this.onSaved(key, saved, false));
      this.files.set(key, file);
      this.onSaved(key, file.saved, first);
    }
    file.write(text);
  }

  saved(key: string): SavedOutput | undefined {
    return this.files.get(key)?.saved;
  }

  /** Once the run's output has all been written: every file complete, by key. */
  async close(): Promise<Record<string, SavedOutput>> {
    this.closed = true;
    const entries = await Promise.all([...this.files].map(async ([key, file]) => [key, await file.close()] as const));
    return Object.fromEntries(entries);
  }
}
