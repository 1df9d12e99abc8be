import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { chat, openStore, span, tempStoreDir } from './storeFixtures';

test('a full disk is reported clearly, the spans stay readable, and the write is retried', { skip: !existsSync('/dev/full') }, async (t) => {
  const dir = tempStoreDir(t);
  // The store reuses the last segment on open: point it at /dev/full, where every write is ENOSPC.
  mkdirSync(join(dir, 'segments'));
  symlinkSync('/dev/full', join(dir, 'segments', '000001.ndjson'));
  const { store, errors } = await openStore(t, { dir });

  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', prompt: 'kept in memory' })]);
  await store.flush();
  assert.match(errors[0]?.message ?? '', /could not write traces to .*000001\.ndjson.*disk is full/);
  assert.equal(store.stats().pendingWrites, 1);
  assert.equal((await store.getSpan('a', 'c'))?.llm?.inputMessages[0].content, 'kept in memory');
  assert.equal(store.listTraces({}).total, 1);

  // The next attempt leaves the broken segment for a new one.
  store.upsertSpans([span({ traceId: 'a', spanId: 'r' })]);
  await store.flush();
  assert.equal(store.stats().pendingWrites, 0);
  assert.ok(!existsSync(join(dir, 'segments', '000001.ndjson')), 'the broken segment held nothing live: deleted');
  await store.close();
  const { store: again } = await openStore(t, { dir });
  assert.equal(again.getSummary('a')?.spanCount, 2);
  assert.equal((await again.getSpan('a', 'c'))?.llm?.inputMessages[0].content, 'kept in memory');
});

test('an unwritable store folder does not break ingestion; writing resumes once it is fixed', async (t) => {
  const dir = tempStoreDir(t);
  const { store, errors } = await openStore(t, { dir });
  rmSync(join(dir, 'segments'), { recursive: true });
  writeFileSync(join(dir, 'segments'), 'not a folder');

  store.upsertSpans([span({ traceId: 'a', spanId: '1', name: 'survives' })]);
  await store.flush();
  assert.ok(errors.length > 0);
  assert.match(errors[0].message, /Spanlight store: could not open .*segments/);
  assert.equal((await store.getTrace('a'))?.spans[0].name, 'survives');
  store.upsertSpans([span({ traceId: 'b', spanId: '1' })]);
  assert.equal(store.listTraces({}).total, 2, 'the index keeps working');

  rmSync(join(dir, 'segments'));
  mkdirSync(join(dir, 'segments'));
  await store.flush();
  assert.equal(store.stats().pendingWrites, 0);
  await store.close();
  const { store: again } = await openStore(t, { dir });
  assert.equal(again.listTraces({}).total, 2);
});

test('upsertSpans skips spans without ids and reports them', async (t) => {
  const { store, errors } = await openStore(t, { dir: tempStoreDir(t) });
  const bad = { ...span({ traceId: 'a', spanId: 'x' }), traceId: '' };
  store.upsertSpans([bad, span({ traceId: 'a', spanId: '1' })]);
  assert.equal(store.stats().spans, 1);
  assert.match(errors[0]?.message ?? '', /ignored 1 span/);
});

test('a span that is not plain JSON is skipped and the rest of the batch is stored', async (t) => {
  const { store, errors } = await openStore(t, { dir: tempStoreDir(t) });
  const bad = span({ traceId: 'a', spanId: 'big', attributes: {} });
  (bad.attributes as Record<string, unknown>).count = 10n;
  store.upsertSpans([span({ traceId: 'a', spanId: '1' }), bad, span({ traceId: 'a', spanId: '2' })]);
  assert.equal(store.getSummary('a')?.spanCount, 2);
  assert.match(errors[0]?.message ?? '', /span big of trace a could not be stored/);
  await store.flush();
  assert.equal((await store.getTrace('a'))?.spans.length, 2);
});

test('a pin whose state file cannot be written is reported and saved by a retry once it can', async (t) => {
  const dir = tempStoreDir(t);
  const { store, errors } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' })]);
  await store.flush();
  // A folder where state.json should be: lowdb's rename onto it fails.
  const state = join(dir, 'state.json');
  rmSync(state, { force: true });
  mkdirSync(join(state, 'blocker'), { recursive: true });

  assert.equal(await store.setPinned('a', true), true);
  assert.match(errors.at(-1)?.message ?? '', /could not write .*state\.json.*tries again/);
  rmSync(state, { recursive: true });
  // The first retry comes a second later.
  const deadline = Date.now() + 5000;
  while (!existsSync(state) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await store.close();
  const { store: again } = await openStore(t, { dir });
  assert.equal(again.isPinned('a'), true, 'the pin outlived the restart');
});
