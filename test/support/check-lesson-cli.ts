// Runs one lesson check through the service (as the app does) in a process of its own, so
// that a test can give the lab its own fd 1 and fd 2: prints the outcome as JSON on fd 3.
// Usage: node --import tsx test/support/check-lesson-cli.ts HOME LESSON-ID PROFILE-JSON
import { writeSync } from 'node:fs';
import path from 'node:path';

import { LabService } from '../../src/main/lab/service';

async function main(): Promise<void> {
  const [home, id, profile] = process.argv.slice(2) as [string, string, string];
  const lab = await LabService.open({ profilesDir: path.join(home, 'profiles') });
  const outcome = await lab.checkLesson(id, JSON.parse(profile));
  writeSync(3, JSON.stringify(outcome));
  await lab.dispose();
}

void main();
