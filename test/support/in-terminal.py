# Runs a command on a new pseudo-terminal of a given size, as a terminal emulator would,
# for test/support/in-terminal.ts. One argument, JSON:
#   {"argv": [...], "rows": 50, "cols": 132, "timeoutMs": 6000,
#    "early": "text typed at once, before the command has even started",
#    "answers": [["when the output shows this", "type this"], ...]}
# Prints one JSON line: {"output": everything the terminal showed, "status": exit status
# (128 + signal when killed), "timedOut": bool}.
import fcntl
import json
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

spec = json.loads(sys.argv[1])
pid, master = pty.fork()
if pid == 0:
    # The size is set on the terminal before the command starts, so it is there from its
    # first instruction.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', spec['rows'], spec['cols'], 0, 0))
    os.execvp(spec['argv'][0], spec['argv'])

if spec.get('early'):
    os.write(master, spec['early'].encode())
answers = list(spec.get('answers', []))
output = b''
deadline = time.monotonic() + spec['timeoutMs'] / 1000
timed_out = False
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        timed_out = True
        os.kill(pid, signal.SIGKILL)
        break
    ready, _, _ = select.select([master], [], [], min(left, 0.1))
    if not ready:
        continue
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: nothing holds the terminal any more
        break
    if not chunk:
        break
    output += chunk
    while answers and answers[0][0].encode() in output:
        os.write(master, answers.pop(0)[1].encode())

_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status)
print(json.dumps({'output': output.decode('utf8', 'replace'), 'status': code if code >= 0 else 128 - code, 'timedOut': timed_out}))
