// "Send a sample trace" in a window that does not host the receiver, and Import Traces, post OTLP/JSON
// like an app would: with the receiver's bearer token when one is set.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { tracesRequestJson } from '../../../src/otlp/encodeJson';
import { postOtlpJson } from '../../../src/views/postToReceiver';
import { buildSampleTrace } from '../../../src/views/sampleTrace';
import { startEngine, type RunningEngine } from '../engine/engineKit';

let running: RunningEngine;

before(async () => {
  running = await startEngine(undefined, { authToken: 's3cret' });
});

after(() => running.close());

test('the sample reaches a receiver that requires a token when the token is given', async () => {
  const spans = buildSampleTrace();
  assert.deepEqual(await postOtlpJson(running.url, 'traces', JSON.stringify(tracesRequestJson(spans)), 's3cret'), { rejected: 0 });
  assert.equal((await running.engine.store.getSummary(spans[0].traceId))?.spanCount, spans.length);
});

test('without the token the receiver refuses it, and the error says so', async () => {
  await assert.rejects(postOtlpJson(running.url, 'traces', JSON.stringify(tracesRequestJson(buildSampleTrace()))), /answered 401/);
});

test('spans the receiver refuses in an accepted request are counted, with its reason', async () => {
  const [good, bad] = buildSampleTrace();
  const request = tracesRequestJson([good, { ...bad, spanId: 'not hex' }]);
  const posted = await postOtlpJson(running.url, 'traces', JSON.stringify(request), 's3cret');
  assert.equal(posted.rejected, 1);
  assert.match(posted.reason ?? '', /spanId/);
});
