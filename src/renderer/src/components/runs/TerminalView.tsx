// A pty run's terminal: xterm.js, fed from the run's "pty" stream; keystrokes go to
// api.input, the size follows the container (fit addon) and goes to api.resize.
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';

import { getLabApi } from '../../api';
import type { StreamBuffer } from '../../lib/stream';
import { adoptInlineStyles } from '../../lib/xterm-csp';

export function TerminalView({ runId, stream, live }: { runId: string; stream: StreamBuffer; live: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const liveRef = useRef(live);
  const termRef = useRef<Terminal | null>(null);
  liveRef.current = live;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const stopStyles = adoptInlineStyles(el);
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontFamily: 'ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#14171d', foreground: '#e6e9ef', cursor: '#9fc1ff' },
    });
    termRef.current = term;
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const api = getLabApi();
    let drawnTo = stream.end;
    term.write(stream.text());
    const unsubscribe = stream.subscribe(() => {
      const text = stream.textFrom(drawnTo);
      drawnTo = stream.end;
      if (text) term.write(text);
    });
    const onData = term.onData((data) => {
      if (liveRef.current) void api.input(runId, data).catch(() => {});
    });
    const onResize = term.onResize(({ cols, rows }) => {
      if (liveRef.current) void api.resize(runId, cols, rows).catch(() => {});
    });
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet.
      }
    };
    refit();
    // The pty starts at the lab's default size: tell it the size on screen.
    if (liveRef.current) void api.resize(runId, term.cols, term.rows).catch(() => {});
    const observer = new ResizeObserver(refit);
    observer.observe(el);
    return () => {
      observer.disconnect();
      unsubscribe();
      onData.dispose();
      onResize.dispose();
      term.dispose();
      termRef.current = null;
      stopStyles();
    };
  }, [runId, stream]);

  useEffect(() => {
    const term = termRef.current;
    if (term) {
      term.options.disableStdin = !live;
      term.options.cursorBlink = live;
    }
  }, [live]);

  return (
    <div className="terminal-wrap">
      <div className="output-head">
        <span className="output-label">terminal (pty)</span>
        <span className="muted">{live ? 'click to type; keys go to the child' : 'the run has ended'}</span>
      </div>
      {/* The padding is on the frame: the fit addon sizes the terminal to its parent's full height. */}
      <div className="terminal-frame">
        <div className="terminal" data-testid="terminal" ref={container} />
      </div>
    </div>
  );
}
