// The size-class pool behind reused ingest memory: slots come back for their class, and a pool left
// idle lets its free memory go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SlotPool } from '../../../src/base/slotPool';

const newSlot = (bytes: number) => new ArrayBuffer(bytes);

test('a slot given back is taken again for any size of its class, and not for another class', () => {
  const pool = new SlotPool(newSlot, 1 << 20);
  const slot = pool.take(3000);
  assert.equal(slot.byteLength, 4096);
  pool.giveBack(slot);
  assert.notEqual(pool.take(5000), slot);
  assert.equal(pool.take(2049), slot);
});

test('an idle pool drops its free slots; one in use keeps them', async () => {
  const pool = new SlotPool(newSlot, 1 << 20, 1000);
  const a = pool.take(1000);
  pool.giveBack(a);
  // Used again within the idle time: the timer re-arms instead of dropping.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const b = pool.take(1000);
  assert.equal(b, a);
  pool.giveBack(b);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(pool.take(1000), a, 'still kept 100 ms after its last use');
  pool.giveBack(a);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.notEqual(pool.take(1000), a, 'dropped once idle');
});
