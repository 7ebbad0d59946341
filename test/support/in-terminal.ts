// Runs a command in a terminal of its own (a new pseudo-terminal, its controlling
// terminal, of the size asked) through python3's pty module: in-terminal.py does the work.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

export interface TerminalSession {
  // Everything the terminal showed (with its echo of what was typed, and \r\n line ends).
  output: string;
  status: number;
  timedOut: boolean;
}

export interface TerminalOptions {
  rows: number;
  cols: number;
  timeoutMs: number;
  // Typed at once, before the command has even started.
  early?: string;
  // [text, reply]: the reply is typed once the output shows the text, in order.
  answers?: [string, string][];
}

const SCRIPT = path.join(__dirname, 'in-terminal.py');

// Why terminal tests cannot run here, or false when they can.
export const noTerminalHarness: string | false = (() => {
  const r = spawnSync('python3', ['-c', 'import pty, termios, fcntl'], { stdio: 'ignore' });
  return r.status === 0 ? false : 'needs python3 with its pty module';
})();

export function runInTerminal(argv: string[], options: TerminalOptions): Promise<TerminalSession> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT, JSON.stringify({ argv, ...options })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as TerminalSession);
      } catch {
        reject(new Error(`in-terminal.py printed no report: ${JSON.stringify(out)}`));
      }
    });
  });
}
