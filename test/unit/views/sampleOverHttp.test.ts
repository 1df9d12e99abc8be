// "Send a sample trace" in a window that does not host the receiver posts it like an app would: with the
// receiver's bearer token when one is set.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SpanlightEngine } from '../../../src/engine';
import { postSampleTrace } from '../../../src/views/sampleOverHttp';
import { buildSampleTrace } from '../../../src/views/sampleTrace';

let dir: string;
let engine: SpanlightEngine;
let url: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spanlight-sample-http-'));
  engine = await SpanlightEngine.open({ storeDir: dir, version: 'test' });
  const status = await engine.startReceivers({ host: '127.0.0.1', httpPort: 0, bodyLimitBytes: 1 << 20, authToken: 's3cret' });
  if (status.http.state !== 'listening') throw new Error('not listening');
  url = `http://127.0.0.1:${status.http.port}`;
});

after(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

test('the sample reaches a receiver that requires a token when the token is given', async () => {
  const spans = buildSampleTrace();
  await postSampleTrace(url, spans, 's3cret');
  assert.equal((await engine.store.getSummary(spans[0].traceId))?.spanCount, spans.length);
});

test('without the token the receiver refuses it, and the error says so', async () => {
  await assert.rejects(postSampleTrace(url, buildSampleTrace()), /answered 401/);
});
