// What clients are sent of a run's output (issue 5): everything, batched, for any child a
// person could read; for a child writing faster than that, its latest output and an exact
// count of the bytes skipped before it (they are in the saved file).
// Run: node --import tsx --test test/service/output-batcher.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BURST_CHARS, MESSAGE_CHARS, OutputBatcher, RATE_CHARS } from '../../src/main/lab/output-batcher';

interface Sent {
  key: string;
  text: string;
  skippedBytes: number;
}

// A batcher on a clock the test moves, flushed by hand: what each flush sent per key, its
// messages put together.
function batcher() {
  let messages: Sent[] = [];
  const clock = { ms: 0 };
  const output = new OutputBatcher((key, text, skippedBytes) => messages.push({ key, text, skippedBytes }), () => clock.ms);
  const sent: Sent[] = [];
  const flush = (): void => {
    output.flush();
    for (const key of new Set(messages.map((m) => m.key))) {
      const mine = messages.filter((m) => m.key === key);
      assert.ok(mine.every((m) => m.text.length <= MESSAGE_CHARS && m.text.length > 0), 'messages of at most MESSAGE_CHARS');
      assert.ok(mine.slice(1).every((m) => m.skippedBytes === 0), 'what was skipped is said once, before the text');
      assert.ok(mine.every((m) => !/^[\udc00-\udfff]/.test(m.text)), 'no message starts with half a character');
      sent.push({ key, text: mine.map((m) => m.text).join(''), skippedBytes: mine[0]!.skippedBytes });
    }
    messages = [];
  };
  return { output, flush, sent, clock };
}

test('output a person could read arrives whole, in order, in one flush per batch', () => {
  const { output, flush, sent } = batcher();
  const lines = Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`);
  for (const line of lines) output.push('1', line);
  output.push('2', 'oops\n');
  flush();
  assert.deepEqual(sent, [
    { key: '1', text: lines.join(''), skippedBytes: 0 },
    { key: '2', text: 'oops\n', skippedBytes: 0 },
  ]);
});

test('a burst up to a MiB arrives whole; past it only the latest MiB, the rest counted in UTF-8 bytes', () => {
  const { output, flush, sent } = batcher();
  const chunk = 'é'.repeat(64 * 1024); // 2 bytes each in UTF-8
  for (let i = 0; i < 16; i++) output.push('1', chunk);
  flush();
  assert.deepEqual(sent[0], { key: '1', text: chunk.repeat(16), skippedBytes: 0 });

  const next = batcher();
  const burst = Array.from({ length: 24 }, (_, i) => String.fromCharCode(0x100 + i).repeat(64 * 1024));
  for (const piece of burst) next.output.push('1', piece);
  next.flush();
  const all = burst.join('');
  assert.equal(next.sent[0]!.text, all.slice(-BURST_CHARS));
  assert.equal(next.sent[0]!.skippedBytes, Buffer.byteLength(all.slice(0, -BURST_CHARS)));
});

test('after the burst, a firehose is sent at the sustained rate, each flush its latest output (4 KiB at least)', () => {
  const { output, flush, sent, clock } = batcher();
  const MiB = 'x'.repeat(1024 * 1024);
  output.push('1', MiB);
  flush(); // the whole first MiB: the burst
  clock.ms = 250;
  output.push('1', MiB);
  flush();
  clock.ms = 251;
  output.push('1', MiB);
  flush();
  const rateIn250ms = Math.floor(RATE_CHARS / 4);
  assert.deepEqual(
    sent.map((s) => [s.text.length, s.skippedBytes]),
    [
      [MiB.length, 0],
      [rateIn250ms, MiB.length - rateIn250ms],
      [4096, MiB.length - 4096],
    ],
  );
});

test('a cut never splits a character in two', () => {
  const { output, flush, sent } = batcher();
  // Two characters too many: the cut falls between the halves of the first emoji, and so
  // does every message boundary of what is sent.
  output.push('1', 'a' + '😀'.repeat(BURST_CHARS / 2) + 'b');
  flush();
  const { text, skippedBytes } = sent[0]!;
  assert.equal(text, '😀'.repeat(BURST_CHARS / 2 - 1) + 'b');
  assert.equal(skippedBytes, Buffer.byteLength('a😀'));
});

test('a cut lands at the start of a line when one is near: the view resumes on a whole line', () => {
  const { output, flush, sent } = batcher();
  const lines = Array.from({ length: 200_000 }, (_, i) => `line ${String(i).padStart(7, '0')}\n`).join(''); // 18 chars a line
  output.push('1', lines);
  flush();
  const { text, skippedBytes } = sent[0]!;
  assert.match(text, /^line \d{7}\n/);
  assert.ok(lines.endsWith(text));
  assert.equal(skippedBytes + text.length, lines.length);
  assert.ok(text.length <= BURST_CHARS && text.length > BURST_CHARS - 18);
});
