import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescedTimer } from '../../../src/base/coalescedTimer';

test('asked for many times before it runs, it runs once; then it can be asked again', async () => {
  let runs = 0;
  const timer = new CoalescedTimer(30, () => runs++);
  timer.schedule();
  await new Promise((resolve) => setTimeout(resolve, 10));
  timer.schedule();
  timer.schedule();
  assert.equal(timer.pending, true);
  await new Promise((resolve) => setTimeout(resolve, 35));
  assert.equal(runs, 1, 'once for the three asks');
  assert.equal(timer.pending, false);
  timer.schedule();
  await new Promise((resolve) => setTimeout(resolve, 45));
  assert.equal(runs, 2);
});

test('disposed, the pending run does not happen, nor one asked for later', async () => {
  let runs = 0;
  const timer = new CoalescedTimer(10, () => runs++);
  timer.schedule();
  timer.dispose();
  timer.schedule();
  assert.equal(timer.pending, false);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(runs, 0);
});
