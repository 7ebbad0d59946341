// The bench's targets, checked against a run's figures: issue 5's (engine vfork against
// the C loop and child_process, event-loop lag, captured output) and issue 17's (at most
// 1.1x C, not slower than any peer, the cold first launch, the command line's start).
// Each is {target, value, result: PASS | FAIL | INCOMPLETE}; INCOMPLETE when it would pass
// on what was measured but a peer it is about was not (not installed, failed, --no-peers).

const ENGINE = 'engine-vfork';
const PEER_MARGIN = 1.05;  // "not slower": the engine's median at most 5% above the fastest peer's
const COLD_LIMIT_MS = 5;
const CLI_OVER_NODE_MS = 30;

const verdict = (pass, incomplete = false) => (!pass ? 'FAIL' : incomplete ? 'INCOMPLETE' : 'PASS');
const check = (target, value, pass, incomplete) => ({ target, value, pass, result: verdict(pass, incomplete) });

// The engine against the fastest of `figures` ({spawner: ms}), with what was not measured.
function againstPeers(target, engineMs, figures, missing, titles) {
  const [fastest, ms] = Object.entries(figures).filter(([, v]) => v != null).sort((a, b) => a[1] - b[1])[0];
  const ratio = engineMs / ms;
  const note = missing.length ? `; not measured: ${missing.join(', ')}` : '';
  return check(target, `${ratio.toFixed(2)}x ${titles[fastest]}${note}`, ratio <= PEER_MARGIN, missing.length > 0);
}

/** `r`: a run's result (bench/run.mjs); `sizes`: the host sizes. */
export function targets(r, sizes) {
  const out = [];
  const peerKeys = ['child_process', ...r.peers.filter((p) => !p.error).map((p) => p.key)];
  const missing = (part) => r.peers.filter((p) => p.error || !part[p.key]).map((p) => p.title);
  if (r.latency) {
    const L = r.latency;
    const ev = (label) => L[ENGINE][label].ms;
    for (const s of sizes) {
      const ratio = ev(s.label) / L['c-posix_spawn'][s.label].ms;
      out.push(check(`engine vfork <= 1.3x C posix_spawn @ ${s.label} (issue 5)`, `${ratio.toFixed(2)}x`, ratio <= 1.3));
    }
    const flat = ev('4 GB') / ev('100 MB');
    out.push(check('engine vfork @ 4 GB <= 1.3x @ 100 MB', `${flat.toFixed(2)}x`, flat <= 1.3));
    const vs100 = L.child_process['100 MB'].ms / ev('100 MB');
    out.push(check('engine vfork >= 2x faster than child_process.spawn @ 100 MB', `${vs100.toFixed(1)}x`, vs100 >= 2));
    const vs1g = L.child_process['1 GB'].ms / ev('1 GB');
    out.push(check('engine vfork >= 20x faster than child_process.spawn @ 1 GB', `${vs1g.toFixed(1)}x`, vs1g >= 20));
    for (const s of sizes) {
      const ratio = ev(s.label) / L['c-posix_spawn'][s.label].ms;
      out.push(check(`engine vfork <= 1.1x C posix_spawn @ ${s.label} (issue 17)`, `${ratio.toFixed(2)}x`, ratio <= 1.1));
    }
    for (const s of sizes) {
      const figures = Object.fromEntries(peerKeys.filter((k) => L[k]).map((k) => [k, L[k][s.label]?.ms]));
      out.push(againstPeers(`engine vfork <= ${PEER_MARGIN}x the fastest peer @ ${s.label}`, ev(s.label), figures, missing(L), r.titles));
    }
  }
  if (r.fanout) {
    const F = r.fanout;
    const figures = Object.fromEntries(peerKeys.filter((k) => F[k]).map((k) => [k, F[k].ms]));
    out.push(againstPeers(`fan-out: engine vfork <= ${PEER_MARGIN}x the fastest peer`, F[ENGINE].ms, figures, missing(F), r.titles));
  }
  if (r.cold) {
    out.push(check(`cold first launch in a fresh process <= ${COLD_LIMIT_MS} ms (require not counted)`, `${r.cold.firstLaunchMs.toFixed(2)} ms`, r.cold.firstLaunchMs <= COLD_LIMIT_MS));
  }
  if (r.cli) {
    out.push(check(`proclab run /bin/true <= node -e 0 + ${CLI_OVER_NODE_MS} ms`, `+${r.cli.overNodeMs.toFixed(1)} ms`, r.cli.overNodeMs <= CLI_OVER_NODE_MS));
  }
  if (r.lag) {
    out.push(check(`event-loop lag p99 < 5 ms during ${r.lag.launches} launches`, `${r.lag.p99Ms.toFixed(2)} ms`, r.lag.p99Ms < 5));
  }
  if (r.output) {
    const share = r.output.engine.mibPerS / r.output.cReadLoop.mibPerS;
    out.push(check('captured output >= 50% of the C read loop', `${Math.round(share * 100)}%`, share >= 0.5));
  }
  return out;
}
