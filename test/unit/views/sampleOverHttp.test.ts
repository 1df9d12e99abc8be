// "Send a sample trace" in a window that does not host the receiver posts it like an app would: with the
// receiver's bearer token when one is set.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { postSampleTrace } from '../../../src/views/sampleOverHttp';
import { buildSampleTrace } from '../../../src/views/sampleTrace';
import { startEngine, type RunningEngine } from '../engine/engineKit';

let running: RunningEngine;

before(async () => {
  running = await startEngine(undefined, { authToken: 's3cret' });
});

after(() => running.close());

test('the sample reaches a receiver that requires a token when the token is given', async () => {
  const spans = buildSampleTrace();
  await postSampleTrace(running.url, spans, 's3cret');
  assert.equal((await running.engine.store.getSummary(spans[0].traceId))?.spanCount, spans.length);
});

test('without the token the receiver refuses it, and the error says so', async () => {
  await assert.rejects(postSampleTrace(running.url, buildSampleTrace()), /answered 401/);
});
