// The ingest worker thread: same result as indexing inline (OTLP/JSON exports too, transcoded there),
// decode errors still reach the client as OtlpDecodeError (HTTP 400), and a worker that dies mid-request costs nothing but the thread.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { buildRequest, otlpJsonOf } from '../../../bench/ingestPayloads';
import { indexTracesJson, indexTracesProtobuf } from '../../../src/ingest/indexTraces';
import { readKeptLogs } from '../../../src/ingest/keptLogs';
import { SpanIndexer, WORKER_MAX_PENDING, WORKER_MIN_BYTES, type IndexRequest } from '../../../src/ingest/spanIndexer';
import { OtlpDecodeError } from '../../../src/otlp/types';
import { encodeLogsRequest } from '../otlp/otlpPayloads';

const big = buildRequest(7);
/** 400 lines of an app's logging, a GenAI event and a Claude Code event (which names no span: it becomes spans of its own). */
const bigLogs = (() => {
  const ids = { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2) };
  const line = (i: number) => ({ ...ids, timeUnixNano: 1000 + i, body: { stringValue: `GET /orders/${i} 200 ${'·'.repeat(200)}` } });
  const genAi = { ...ids, timeUnixNano: 5, eventName: 'gen_ai.user.message', body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'Where is my parcel?' } }] } } };
  const agent = { timeUnixNano: 6, body: { stringValue: 'claude_code.api_request' }, attributes: [{ key: 'session.id', value: { stringValue: 's1' } }] };
  const records = [...Array.from({ length: 400 }, (_, i) => line(i)), genAi, agent];
  return encodeLogsRequest({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ scope: { name: 'com.anthropic.claude_code.events' }, logRecords: records }] }] });
})();
const overrides = { 'gpt-4o-mini': { input: 1, output: 2 } };

/** An indexer whose worker has started, and the index requests posted to it from then on. */
async function indexerSeeingRequests(t: TestContext) {
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  await indexer.index(big); // starts the worker
  const [worker] = (indexer as unknown as { workers: Worker[] }).workers;
  const requests: Extract<IndexRequest, { kind: 'index' }>[] = [];
  const post = worker.postMessage.bind(worker);
  worker.postMessage = (message: IndexRequest, transfer?: Parameters<Worker['postMessage']>[1]) => {
    if (message.kind === 'index') requests.push(message);
    post(message, transfer);
  };
  return { indexer, worker, requests };
}

/** What an index result says (the arena its lines may live in is how, not what). */
function comparable(result: ReturnType<typeof indexTracesProtobuf>) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { arena, ...rest } = result;
  return {
    ...rest,
    spans: result.spans.map((s) => ({ line: s.line.toString('utf8'), fields: s.fields })),
  };
}

test('a big export indexed on the worker equals the inline result, price overrides included', async (t) => {
  assert.ok(big.byteLength >= WORKER_MIN_BYTES);
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  indexer.setPriceOverrides(overrides);
  assert.equal(indexer.mode, 'idle');
  assert.ok(!(indexer.index(buildRequest(1).subarray(0, 0)) instanceof Promise), 'small exports are indexed inline');
  const pending = indexer.index(big);
  assert.ok(pending instanceof Promise, 'big exports go to the worker');
  assert.equal(indexer.mode, 'worker');
  const expected = comparable(indexTracesProtobuf(big, overrides));
  assert.ok(expected.spans.some((s) => s.fields.llm?.costUsd !== undefined));
  assert.deepEqual(comparable(await pending), expected);
});

test('a leased body is read by the worker in place, and what it returns does not depend on that memory', async (t) => {
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  const lease = indexer.leaseBody(big.byteLength);
  assert.ok(lease && lease.bytes.buffer instanceof SharedArrayBuffer);
  lease.bytes.set(big);
  const pending = indexer.index(lease.bytes);
  assert.ok(pending instanceof Promise, 'big exports go to the worker');
  const result = await pending;
  // The next export is written over a released lease: nothing indexed may still point into it.
  lease.release();
  lease.bytes.fill(0);
  assert.deepEqual(comparable(result), comparable(indexTracesProtobuf(big, {})));
});

test('a body of its own (gRPC, gzip) reaches the worker as a copy in shared memory, given back to the pool once it answers', async (t) => {
  const { indexer, requests } = await indexerSeeingRequests(t);
  const body = Buffer.from(big);
  const result = await indexer.index(body);
  const sent = requests.map((r) => r.body);
  assert.equal(sent.length, 1);
  assert.ok(sent[0].buffer instanceof SharedArrayBuffer, 'copied into shared memory, not a fresh transferred buffer');
  assert.equal(body.byteLength, big.byteLength, 'the caller keeps its body (nothing was transferred away)');
  const next = indexer.leaseBody(big.byteLength);
  assert.equal(next?.bytes.buffer, sent[0].buffer, 'the copy went back to the pool for the next export');
  next?.bytes.fill(0);
  assert.deepEqual(comparable(result), comparable(indexTracesProtobuf(big, {})));
});

test('a big OTLP/JSON export is transcoded on the worker, its protobuf handed back in shared memory, and indexed as that protobuf', async (t) => {
  const { indexer, worker, requests } = await indexerSeeingRequests(t);
  const answers: unknown[] = [];
  worker.on('message', (response: { transcoded?: unknown }) => answers.push(response.transcoded));
  const json = Buffer.from(JSON.stringify(otlpJsonOf(big)));
  const result = await indexer.index(json, 'json');
  const lent = requests.map((r) => r.out);
  assert.ok(lent[0]?.buffer instanceof SharedArrayBuffer, 'shared memory lent for the protobuf');
  assert.equal(typeof answers[0], 'number', 'written into it, not a fresh transferred buffer');
  assert.deepEqual(comparable(result), comparable(indexTracesJson(json, {})));
  // Its protobuf is the same export (byte for byte but for fields left empty): the same index as the protobuf export's.
  assert.deepEqual(
    result.spans.map((s) => s.fields),
    indexTracesProtobuf(big, {}).spans.map((s) => s.fields),
  );
  // Both slots (the body's copy and the protobuf) went back to the pool.
  const next = [indexer.leaseBody(json.byteLength), indexer.leaseBody(json.byteLength)].map((l) => l?.bytes.buffer);
  assert.ok(next.includes(lent[0]?.buffer as SharedArrayBuffer));
  // Unreadable JSON rejects as the protobuf path does, and gives its slots back too.
  await assert.rejects(Promise.resolve(indexer.index(Buffer.alloc(WORKER_MIN_BYTES + 10, 0x5b), 'json')), OtlpDecodeError);
});

test('a big logs export is read on the worker: only the GenAI and coding-agent records come back, all of them counted', async (t) => {
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  const protobuf = bigLogs;
  assert.ok(protobuf.byteLength >= WORKER_MIN_BYTES);
  const pending = indexer.readLogs(protobuf);
  assert.ok(pending instanceof Promise, 'big logs exports go to the worker');
  const kept = await pending;
  assert.equal(kept.received, 402);
  assert.deepEqual(kept.records.map((r) => r.eventName ?? r.body), ['gen_ai.user.message', 'claude_code.api_request']);
  assert.deepEqual(kept, readKeptLogs(protobuf, 'protobuf'), 'the same as read inline');
  await assert.rejects(Promise.resolve(indexer.readLogs(Buffer.alloc(WORKER_MIN_BYTES, 0xff))), OtlpDecodeError);
});

test('garbage sent to the worker rejects with OtlpDecodeError', async (t) => {
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  const garbage = Buffer.alloc(WORKER_MIN_BYTES + 10, 0xff);
  await assert.rejects(Promise.resolve(indexer.index(garbage)), OtlpDecodeError);
  // …and the worker keeps serving.
  assert.equal((await indexer.index(big)).spans.length, 512);
});

test('when a worker dies, pending and later exports are indexed inline and it is reported once', async (t) => {
  const errors: Error[] = [];
  const indexer = new SpanIndexer({ onError: (err) => errors.push(err), poolSize: 2 });
  t.after(() => indexer.dispose());
  const first = indexer.index(big);
  const second = indexer.index(big);
  const logs = indexer.readLogs(bigLogs);
  const pool = (indexer as unknown as { workers: Worker[] }).workers;
  assert.equal(pool.length, 2);
  assert.ok(logs instanceof Promise, 'a logs export out on a worker too');
  await pool[0].terminate();
  assert.equal((await first).spans.length, 512);
  assert.equal((await second).spans.length, 512, 'the other worker was stopped too; its export was finished inline');
  assert.equal((await logs).received, 402, 'the logs export too');
  const later = indexer.index(big);
  assert.ok(!(later instanceof Promise), 'no worker any more: inline');
  assert.equal(indexer.mode, 'inline');
  assert.equal(errors.length, 1);
  assert.match(errors[0].message, /main thread/);
});

test('price overrides from VS Code settings (proxies, which postMessage cannot clone) still reach the worker', async (t) => {
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  indexer.setPriceOverrides(new Proxy({ ...overrides }, {}));
  const indexed = await indexer.index(big);
  assert.equal(indexer.mode, 'worker');
  assert.deepEqual(comparable(indexed), comparable(indexTracesProtobuf(big, overrides)));
});

test('past WORKER_MAX_PENDING exports in flight, the next is indexed inline (backpressure, not a growing queue)', async (t) => {
  const indexer = new SpanIndexer();
  t.after(() => indexer.dispose());
  const queued = Array.from({ length: WORKER_MAX_PENDING }, () => indexer.index(big));
  assert.ok(queued.every((q) => q instanceof Promise));
  const overflow = indexer.index(big);
  assert.ok(!(overflow instanceof Promise), 'indexed inline');
  assert.equal(overflow.spans.length, 512);
  for (const q of queued) assert.equal((await q).spans.length, 512);
});

test('exports in flight together are spread over the pool', async (t) => {
  const indexer = new SpanIndexer({ poolSize: 2 });
  t.after(() => indexer.dispose());
  const both = [indexer.index(big), indexer.index(buildRequest(8))];
  const pending = [...(indexer as unknown as { pending: Map<number, { worker: Worker }> }).pending.values()];
  assert.equal(new Set(pending.map((p) => p.worker)).size, 2, 'one export per worker');
  for (const indexed of await Promise.all(both)) assert.equal(indexed.spans.length, 512);
});
