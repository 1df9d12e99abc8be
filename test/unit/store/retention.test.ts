import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord } from '../../../src/store/recordFormat';
import { nextChange, openStore, span, tempStoreDir, text } from './storeFixtures';

const ids = (list: { traceId: string }[]) => list.map((s) => s.traceId);

test('beyond maxSpans the oldest traces (by start time) are evicted first', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t), maxSpans: 6 });
  // Arrival order differs from start order on purpose: eviction follows start time.
  for (const [traceId, startMs] of [['t2', 200], ['t1', 100], ['t3', 300]] as const) {
    store.upsertSpans([span({ traceId, spanId: 'a', startMs }), span({ traceId, spanId: 'b', startMs: startMs + 1 })]);
  }
  await nextChange(store);
  store.upsertSpans([span({ traceId: 't4', spanId: 'a', startMs: 400 }), span({ traceId: 't4', spanId: 'b', startMs: 401 })]);
  const change = await nextChange(store);
  assert.deepEqual(change.removed, ['t1']);
  assert.deepEqual(ids(store.listTraces({}).traces), ['t4', 't3', 't2']);
  assert.equal(store.stats().spans, 6);
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
