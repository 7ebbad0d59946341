// Where browser mode and the CLI keep the profiles, with the lab's other folders beside it
// (secrets, lessons, runs). Apart from the profile store so that the CLI finds these
// folders without loading the store (issue 17).
import os from 'node:os';
import path from 'node:path';

/** Browser mode and the CLI: `$PROCLAB_HOME/profiles`, by default `~/.local/share/proclab/profiles`. */
export function defaultProfilesDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.PROCLAB_HOME || path.join(os.homedir(), '.local', 'share', 'proclab');
  return path.join(home, 'profiles');
}
