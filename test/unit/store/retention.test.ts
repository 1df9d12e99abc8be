import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord } from '../../../src/store/recordFormat';
import { nextChange, openStore, span, tempStoreDir, text } from './storeFixtures';

const ids = (list: { traceId: string }[]) => list.map((s) => s.traceId);

test('beyond maxSpans the least recently received traces are evicted first, whatever their start times', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t), maxSpans: 6 });
  // Received t2, t1, t3; then t2 gets another span: t1 is now the one received longest ago.
  for (const [traceId, startMs] of [['t2', 200], ['t1', 100], ['t3', 300]] as const) {
    store.upsertSpans([span({ traceId, spanId: 'a', startMs }), span({ traceId, spanId: 'b', startMs: startMs + 1 })]);
  }
  await nextChange(store);
  store.upsertSpans([span({ traceId: 't4', spanId: 'a', startMs: 400 }), span({ traceId: 't4', spanId: 'b', startMs: 401 })]);
  assert.deepEqual((await nextChange(store)).removed, ['t2'], 't2 was received first');
  store.upsertSpans([span({ traceId: 't3', spanId: 'c', startMs: 302 })]);
  assert.deepEqual((await nextChange(store)).removed, ['t1']);
  assert.deepEqual(ids(store.listTraces({}).traces), ['t4', 't3'], 'listed by start time as ever');
  assert.equal(store.stats().spans, 5);
});

test('a trace that says it started before everything stored is kept when it arrives at a full store', async (t) => {
  // A replayed trace, a clock behind (WSL after a sleep), a span without a start time: evicted by start
  // time, each was answered 200 and gone at once.
  const { store } = await openStore(t, { dir: tempStoreDir(t), maxSpans: 3 });
  for (const traceId of ['now1', 'now2', 'now3']) store.upsertSpans([span({ traceId, spanId: 'a', startMs: 1_000_000 })]);
  store.upsertSpans([span({ traceId: 'yesterday', spanId: 'a', startMs: 1 })]);
  assert.deepEqual(ids(store.listTraces({}).traces), ['now3', 'now2', 'yesterday']);
});

test('beyond maxBytes traces are evicted until the live records fit', async (t) => {
  const record = encodeRecord(0, span({ traceId: 't0', spanId: 'a', attributes: { blob: text(1000) } }));
  const { store } = await openStore(t, { dir: tempStoreDir(t), maxBytes: record.length * 3.5 });
  for (let i = 0; i < 6; i++) store.upsertSpans([span({ traceId: `t${i}`, spanId: 'a', startMs: i, attributes: { blob: text(1000) } })]);
  assert.deepEqual(ids(store.listTraces({}).traces), ['t5', 't4', 't3']);
  assert.ok(store.stats().bytes <= record.length * 3.5);
});

test('pinned traces are kept on top of the limits, and new traces still get room', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, maxSpans: 2 });
  store.upsertSpans([span({ traceId: 'old', spanId: 'a', startMs: 0 }), span({ traceId: 'old', spanId: 'b', startMs: 1 })]);
  await store.setPinned('old', true);
  for (const [traceId, startMs] of [['new1', 10], ['new2', 20], ['new3', 30]] as const) {
    store.upsertSpans([span({ traceId, spanId: 'a', startMs })]);
  }
  assert.deepEqual(ids(store.listTraces({}).traces), ['new3', 'new2', 'old'], 'new1 goes, the pinned trace stays');
  assert.equal(store.stats().spans, 4, 'over the limit by the pinned spans');
  await store.setPinned('old', false);
  assert.deepEqual(ids(store.listTraces({}).traces), ['new3', 'new2'], 'unpinning applies the limit to it again');
});

test('lowered limits apply when the store is reopened', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  for (let i = 0; i < 5; i++) store.upsertSpans([span({ traceId: `t${i}`, spanId: 'a', startMs: i })]);
  await store.close();
  const { store: small } = await openStore(t, { dir, maxSpans: 2 });
  assert.deepEqual(ids(small.listTraces({}).traces), ['t4', 't3']);
  await small.close();
  const { store: again } = await openStore(t, { dir });
  assert.deepEqual(ids(again.listTraces({}).traces), ['t4', 't3'], 'the evictions were durable');
});

test('setRetention applies new limits immediately', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  for (let i = 0; i < 5; i++) store.upsertSpans([span({ traceId: `t${i}`, spanId: 'a', startMs: i })]);
  await nextChange(store);
  store.setRetention({ maxSpans: 3 });
  assert.deepEqual(ids(store.listTraces({}).traces), ['t4', 't3', 't2']);
  assert.deepEqual((await nextChange(store)).removed, ['t0', 't1']);
});

test('the order traces were received in outlives a restart: the one received longest ago is still evicted first', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  // Received early, late1 (starting last), then early's second span: late1 is the least recently received.
  store.upsertSpans([span({ traceId: 'early', spanId: 'a', startMs: 1 })]);
  store.upsertSpans([span({ traceId: 'late1', spanId: 'a', startMs: 900 })]);
  store.upsertSpans([span({ traceId: 'early', spanId: 'b', startMs: 2 })]);
  await store.close();
  const { store: reopened } = await openStore(t, { dir, maxSpans: 2 });
  assert.deepEqual(ids(reopened.listTraces({}).traces), ['early']);
  await reopened.close();
});
