import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextChange, openStore, recordChanges, span, tempStoreDir } from './storeFixtures';

test('one batch of spans fires one change event with added traces and their span ids', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const { changes, settle } = recordChanges(store);
  store.upsertSpans([span({ traceId: 'a', spanId: '1' }), span({ traceId: 'a', spanId: '2' }), span({ traceId: 'b', spanId: '1' })]);
  await settle();
  assert.equal(changes.length, 1);
  const [change] = changes;
  assert.deepEqual(change.added.map((s) => s.traceId).sort(), ['a', 'b']);
  assert.deepEqual(change.updated, []);
  assert.deepEqual(change.removed, []);
  assert.deepEqual(change.spanIds, { a: ['1', '2'], b: ['1'] });
  assert.equal(change.added.find((s) => s.traceId === 'a')?.spanCount, 2);
});

test('the index is updated before the event and before the disk write', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([span({ traceId: 'a', spanId: '1', name: 'instant' })]);
  assert.equal(store.getSummary('a')?.rootName, 'instant');
  assert.equal((await store.getTrace('a'))?.spans[0].name, 'instant', 'readable before it is on disk');
  assert.equal(store.stats().pendingWrites, 1);
});

test('upserts in the same tick are coalesced into one event', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const { changes, settle } = recordChanges(store);
  store.upsertSpans([span({ traceId: 'a', spanId: '1' })]);
  store.upsertSpans([span({ traceId: 'a', spanId: '2' })]);
  store.upsertSpans([span({ traceId: 'b', spanId: '1' })]);
  await settle();
  assert.equal(changes.length, 1);
  assert.deepEqual(changes[0].added.map((s) => s.traceId), ['a', 'b']);
  assert.deepEqual(changes[0].spanIds.a, ['1', '2']);
});

test('a later batch for a known trace is reported as updated with only the new span ids', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' })]);
  await nextChange(store);
  store.upsertSpans([span({ traceId: 'a', spanId: '2' }), span({ traceId: 'a', spanId: '1', name: 're-sent' })]);
  const change = await nextChange(store);
  assert.deepEqual(change.added, []);
  assert.deepEqual(change.updated.map((s) => s.traceId), ['a']);
  assert.equal(change.updated[0].spanCount, 2);
  assert.deepEqual(change.spanIds, { a: ['2', '1'] });
});

test('deleting a trace fires removed; pinning fires updated with the pin', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' }), span({ traceId: 'b', spanId: '1' })]);
  await nextChange(store);
  store.deleteTrace('a');
  assert.deepEqual((await nextChange(store)).removed, ['a']);
  void store.setPinned('b', true);
  const pinned = await nextChange(store);
  assert.equal(pinned.updated[0].pinned, true);
  assert.deepEqual(pinned.spanIds, {});
});

test('a trace deleted and re-created in one batch is reported as removed and added', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' })]);
  await nextChange(store);
  store.deleteTrace('a');
  store.upsertSpans([span({ traceId: 'a', spanId: '2' })]);
  const change = await nextChange(store);
  assert.deepEqual(change.removed, ['a']);
  assert.deepEqual(change.added.map((s) => s.spanCount), [1]);
  assert.deepEqual(change.spanIds, { a: ['2'] });
});

test('a flood of small requests fires a bounded number of events', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const { changes } = recordChanges(store);
  const started = Date.now();
  for (let i = 0; i < 200; i++) {
    store.upsertSpans([span({ traceId: `t${i}`, spanId: '1' })]);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
  const elapsed = Date.now() - started;
  const seen = new Set(changes.flatMap((c) => c.added.map((s) => s.traceId)));
  assert.equal(seen.size, 200, 'every trace is announced');
  assert.ok(changes.length <= elapsed / 10 + 2, `${changes.length} events in ${elapsed} ms`);
});
