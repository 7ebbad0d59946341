// The command line's own lines on its stdout or stderr, written at once. process.stdout and
// process.stderr are streams whose first use costs 3-4 ms when the descriptor is a pipe
// (Node builds a socket for it, loading node:net): a tenth of what `proclab run` adds to
// `node -e 0`, and a script that runs it, or `proclab exec`, reads its stderr through a
// pipe (issue 17). A pipe left non-blocking by whoever made it gets the stream after all
// when it is full (EAGAIN); a reader that has gone (EPIPE) is nobody to tell.
import { writeSync } from 'node:fs';

export function sayLine(fd: 1 | 2, line: string): void {
  const bytes = Buffer.from(`${line}\n`);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') return void (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(done));
      if (code === 'EPIPE') return;
      throw err;
    }
  }
}
