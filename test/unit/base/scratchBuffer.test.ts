// The store's reusable encode buffer: one allocation for many batches, grown when a batch needs more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScratchBuffer } from '../../../src/base/scratchBuffer';

test('take() reuses one buffer while it is big enough, and grows at least twofold when it is not', () => {
  const scratch = new ScratchBuffer();
  const a = scratch.take(1000);
  assert.equal(a.length, 1000);
  const b = scratch.take(600);
  assert.equal(b.length, 600);
  assert.equal(b.buffer, a.buffer, 'a smaller batch reuses the memory');
  const c = scratch.take(1500);
  assert.equal(c.length, 1500);
  assert.notEqual(c.buffer, a.buffer);
  assert.ok(c.buffer.byteLength >= 2000, 'grown to at least twice the old size');
  assert.equal(scratch.take(1900).buffer, c.buffer);
});
