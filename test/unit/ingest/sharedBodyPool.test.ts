// The pool of request-body memory shared with the index worker: a slot is reused once given back,
// never while it is out, and only bodies worth a slot get one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LEASE_BYTES, MAX_POOLED_BYTES, MIN_LEASE_BYTES, SharedBodyPool } from '../../../src/ingest/sharedBodyPool';

test('a lease is exactly the body size, shared memory, and its slot is reused only after release', () => {
  const pool = new SharedBodyPool();
  const a = pool.lease(1_100_000);
  assert.ok(a);
  assert.equal(a.bytes.length, 1_100_000);
  assert.ok(a.bytes.buffer instanceof SharedArrayBuffer);
  const b = pool.lease(1_000_000);
  assert.ok(b);
  assert.notEqual(b.bytes.buffer, a.bytes.buffer, 'a slot out on lease is not lent twice');
  a.release();
  a.release(); // a second release must not put the slot in the pool twice
  const c = pool.lease(1_200_000);
  const d = pool.lease(1_200_000);
  assert.equal(c?.bytes.buffer, a.bytes.buffer, 'the same size class reuses the released slot');
  assert.notEqual(d?.bytes.buffer, a.bytes.buffer);
});

test('small and huge bodies get no lease; the pool keeps a bounded amount of free memory', () => {
  const pool = new SharedBodyPool();
  assert.equal(pool.lease(MIN_LEASE_BYTES - 1), undefined);
  assert.equal(pool.lease(MAX_LEASE_BYTES + 1), undefined);
  assert.equal(pool.lease(Number.NaN), undefined);
  const leases = Array.from({ length: 3 }, () => pool.lease(MAX_LEASE_BYTES));
  for (const lease of leases) lease?.release();
  // Two 16 MiB slots fit MAX_POOLED_BYTES; the third was dropped, so three new leases need one new slot.
  const kept = new Set(leases.map((l) => l?.bytes.buffer));
  const again = Array.from({ length: 3 }, () => pool.lease(MAX_LEASE_BYTES)?.bytes.buffer);
  assert.equal(again.filter((buffer) => kept.has(buffer as SharedArrayBuffer)).length, MAX_POOLED_BYTES / MAX_LEASE_BYTES);
});
