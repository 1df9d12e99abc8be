// Host messages are applied once per animation frame, in arrival order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameBatcher } from '../../../webview/src/shared/frameBatcher';

test('messages arriving within a frame are applied together, once, in order', () => {
  const frames: (() => void)[] = [];
  const batches: number[][] = [];
  const batcher = new FrameBatcher<number>((b) => batches.push(b), (cb) => frames.push(cb));
  for (let i = 0; i < 200; i++) batcher.push(i);
  assert.equal(frames.length, 1, 'one frame requested for the burst');
  assert.equal(batches.length, 0, 'nothing applied before the frame');
  frames.shift()?.();
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0], Array.from({ length: 200 }, (_, i) => i));
  batcher.push(200);
  assert.equal(frames.length, 1, 'the next message asks for a new frame');
  frames.shift()?.();
  assert.deepEqual(batches[1], [200]);
});

test('a frame that fires twice (rAF and its timeout fallback) applies nothing the second time', () => {
  const batches: number[][] = [];
  let frame: (() => void) | undefined;
  const batcher = new FrameBatcher<number>((b) => batches.push(b), (cb) => (frame = cb));
  batcher.push(1);
  frame?.();
  frame?.();
  assert.equal(batches.length, 1);
});
