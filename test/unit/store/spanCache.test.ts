import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanCache } from '../../../src/store/spanCache';

test('the record cache stays within its character budget and keeps what is read again', () => {
  const cache = new SpanCache<string>(100);
  for (let seq = 0; seq < 50; seq++) {
    cache.set(seq, 'x'.repeat(10));
    if (seq % 2 === 0) assert.equal(cache.get(0), 'x'.repeat(10), 'a line in use survives turnovers');
    assert.ok(cache.size <= 100, `${cache.size} chars after ${seq}`);
  }
  assert.equal(cache.get(1), undefined, 'an old line that nobody read is gone');
  assert.equal(cache.get(49), 'x'.repeat(10));
  cache.delete(49);
  assert.equal(cache.get(49), undefined);
  cache.set(99, 'y'.repeat(80));
  assert.equal(cache.get(99), undefined, 'a line larger than a generation is not cached');
});

test('a line kept because it is read again goes through onKeep (the store copies views out of batch buffers)', () => {
  const batch = Buffer.alloc(1 << 20, 0x61);
  const view = batch.subarray(100, 200);
  const cache = new SpanCache<Buffer>(1000, (line) => Buffer.from(line));
  cache.set(1, view);
  // Fill the young generation so line 1 turns old, then read it: it is kept, as a copy of its own.
  cache.set(2, Buffer.alloc(450));
  const kept = cache.get(1);
  assert.ok(kept && kept.equals(view));
  assert.notEqual(kept.buffer, batch.buffer);
  assert.equal(cache.get(1), kept);
});
