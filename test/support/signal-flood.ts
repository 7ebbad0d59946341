// A flood of signals on a process group, from a process of its own that sends them as
// fast as it can (kill(2) in a loop) until stopped or for at most `limitMs`: what a
// terminal being resized, a stream of exiting children or a group signal to the lab does
// to the engine, many times over.
import { spawn } from 'node:child_process';

export interface Flood {
  /** Resolves once the first signals have been sent. */
  started: Promise<void>;
  /** Stops the flood; resolves with how many signals were sent. */
  stop(): Promise<number>;
}

export function floodGroup(pgid: number, signals: NodeJS.Signals[], limitMs: number): Flood {
  const flooder = spawn(
    process.execPath,
    [
      '-e',
      `let sent = 0;
       const end = Date.now() + ${limitMs};
       process.on('SIGTERM', () => { process.stdout.write(' ' + sent); process.exit(0); });
       (function burst() {
         if (sent === 0) setImmediate(() => process.stdout.write('flooding'));
         for (let i = 0; i < 200; i++) for (const s of ${JSON.stringify(signals)}) { try { process.kill(-${pgid}, s); sent++; } catch {} }
         if (Date.now() < end) setImmediate(burst); else { process.stdout.write(' ' + sent); process.exit(0); }
       })();`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  let flooding: () => void;
  const started = new Promise<void>((resolve) => (flooding = resolve));
  flooder.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('flooding')) flooding();
  });
  const exited = new Promise<number>((resolve) => flooder.on('exit', () => resolve(Number(out.split(' ')[1]) || 0)));
  return {
    started,
    stop() {
      flooder.kill('SIGTERM');
      return exited;
    },
  };
}
