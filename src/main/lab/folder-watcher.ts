// Tells a listener that something in a folder changed, once per burst: one save is
// several events (temp file created, written, renamed), an editor's save as many more.
import { watch, type FSWatcher } from 'node:fs';

const DEBOUNCE_MS = 100;

/** Starts watching `dir` (which must exist); returns the function that stops it. */
export function watchFolder(dir: string, onChange: () => void, debounceMs = DEBOUNCE_MS): () => void {
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(dir, { persistent: false }, () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  // The folder was removed or became unreadable: nothing more will come from it.
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
