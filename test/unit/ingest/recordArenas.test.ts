// Record memory reused across exports: an arena goes back to the pool only once it is sealed and every
// line the store queued from it has been retired by the writer, never before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordArenaPool } from '../../../src/ingest/recordArenas';

test('an arena is reused only after it is sealed and all its queued lines are retired', () => {
  const pool = new RecordArenaPool();
  const a = pool.take(1_300_000);
  assert.ok(a);
  assert.equal(a.bytes.length, 1_300_000);
  a.hold();
  a.hold();
  a.retire();
  a.seal();
  assert.notEqual(pool.take(1_300_000)?.bytes.buffer, a.bytes.buffer, 'one line still queued');
  a.retire();
  const again = pool.take(1_200_000);
  assert.equal(again?.bytes.buffer, a.bytes.buffer, 'reused once the last line is retired');
  assert.equal(again?.bytes.length, 1_200_000);
});

test('an arena that is never sealed is never reused; one with no queued line is free when sealed', () => {
  const pool = new RecordArenaPool();
  const open = pool.take(200_000);
  open?.hold();
  open?.retire();
  assert.notEqual(pool.take(200_000)?.bytes.buffer, open?.bytes.buffer);
  const unused = pool.take(200_000);
  unused?.seal();
  unused?.seal();
  assert.equal(pool.take(200_000)?.bytes.buffer, unused?.bytes.buffer);
  assert.notEqual(pool.take(200_000)?.bytes.buffer, unused?.bytes.buffer, 'given back once, lent once');
  assert.equal(pool.take(10_000), undefined, 'small records get a buffer of their own');
});
