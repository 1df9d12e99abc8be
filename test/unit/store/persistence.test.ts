import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { TraceStore } from '../../../src/store';
import { decodeIndexFile, INDEX_HEAD_BYTES } from '../../../src/store/indexFormat';
import { encodeOtlpRecord } from '../../../src/store/recordFormat';
import { indexFieldsOf } from '../../../src/store/spanMeta';
import { chat, legacyIndexLine, openStore, span, tempStoreDir } from './storeFixtures';

async function reopen(t: Parameters<typeof openStore>[0], dir: string, store: TraceStore) {
  await store.close();
  return openStore(t, { dir });
}

function segmentFiles(dir: string, ext: string): string[] {
  return readdirSync(join(dir, 'segments'))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => join(dir, 'segments', f));
}

test('spans, summaries and pins survive close and reopen', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([
    span({ traceId: 'a', spanId: 'root', name: 'POST /chat', startMs: 0, endMs: 50 }),
    chat({ traceId: 'a', spanId: 'c', parentSpanId: 'root', startMs: 5, endMs: 45, input: 20, output: 7, cost: 0.01, prompt: 'Where is my refund?' }),
    span({ traceId: 'b', spanId: 'x', startMs: 100, endMs: 120 }),
  ]);
  await store.setPinned('a', true);
  const before = store.listTraces({});
  const beforeTrace = await store.getTrace('a');

  const { store: again } = await reopen(t, dir, store);
  assert.deepEqual(again.listTraces({}), before);
  assert.deepEqual(await again.getTrace('a'), beforeTrace);
  assert.equal(again.getSummary('a')?.pinned, true);
  assert.equal((await again.getSpan('a', 'c'))?.llm?.inputMessages[0].content, 'Where is my refund?');
});

test('deleted traces stay deleted after reopen, and later spans of the same id come back', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'gone', spanId: 'a' }), span({ traceId: 'kept', spanId: 'a' })]);
  await store.flush();
  assert.equal(store.deleteTrace('gone'), true);
  assert.equal(store.deleteTrace('gone'), false);
  let { store: again } = await reopen(t, dir, store);
  assert.equal(again.getSummary('gone'), undefined);
  assert.equal(again.stats().traces, 1);

  again.upsertSpans([span({ traceId: 'gone', spanId: 'late', name: 'late span' })]);
  ({ store: again } = await reopen(t, dir, again));
  assert.equal(again.getSummary('gone')?.rootName, 'late span');
  assert.equal(again.getSummary('gone')?.spanCount, 1);
});

test('a re-sent span keeps only its latest version after reopen', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', answer: 'v1', input: 1, output: 1 })]);
  await store.flush();
  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', answer: 'v2', input: 2, output: 2 })]);
  const { store: again } = await reopen(t, dir, store);
  assert.equal(again.getSummary('a')?.spanCount, 1);
  assert.equal(again.getSummary('a')?.inputTokens, 2);
  assert.equal((await again.getSpan('a', 'c'))?.llm?.outputMessages[0].content, 'v2');
});

test('clear deletes every trace durably; keepPinned spares pinned ones', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'p', spanId: 'a' }), span({ traceId: 'u', spanId: 'a' })]);
  await store.setPinned('p', true);
  await store.clear({ keepPinned: true });
  assert.deepEqual(store.listTraces({}).traces.map((s) => s.traceId), ['p']);
  let { store: again } = await reopen(t, dir, store);
  assert.deepEqual(again.listTraces({}).traces.map((s) => s.traceId), ['p']);
  await again.clear();
  assert.equal(again.stats().spans, 0);
  ({ store: again } = await reopen(t, dir, again));
  assert.equal(again.stats().spans, 0);
  assert.equal(again.isPinned('p'), false);
  assert.deepEqual(again.state.get('pinnedTraceIds'), []);
});

test('a torn last line (crash mid-write) is truncated and everything before it is kept', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' }), span({ traceId: 'a', spanId: '2' })]);
  await store.close();
  const [segment] = segmentFiles(dir, '.ndjson');
  const goodSize = statSync(segment).size;
  appendFileSync(segment, '{"seq":99,"span":{"traceId":"a","spanId":"3","na');

  const { store: again, errors } = await openStore(t, { dir });
  assert.equal(again.getSummary('a')?.spanCount, 2);
  assert.equal(statSync(segment).size, goodSize, 'the torn bytes are cut off');
  assert.match(errors.map((e) => e.message).join('\n'), /incomplete write/);
  again.upsertSpans([span({ traceId: 'a', spanId: '3' })]);
  const { store: third } = await reopen(t, dir, again);
  assert.equal(third.getSummary('a')?.spanCount, 3, 'appends after the repair start on a clean line');
});

test('records missing from the index (crash between the two appends) are re-read from the segment', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' })]);
  await store.flush();
  store.upsertSpans([chat({ traceId: 'a', spanId: '2', parentSpanId: '1', input: 3, output: 4 })]);
  await store.close();
  const [idx] = segmentFiles(dir, '.idx');
  const bytes = readFileSync(idx);
  const firstEntry = INDEX_HEAD_BYTES + bytes.readUInt32LE(2) + 1;
  writeFileSync(idx, Buffer.concat([bytes.subarray(0, firstEntry), bytes.subarray(firstEntry, firstEntry + 12)]));

  const { store: again } = await openStore(t, { dir });
  assert.equal(again.getSummary('a')?.spanCount, 2);
  assert.equal(again.getSummary('a')?.inputTokens, 3);
  const repaired = decodeIndexFile(readFileSync(idx), 0);
  assert.ok(repaired.clean && repaired.entries.length === 2, 'the index is repaired');
});

test('a lost index file is rebuilt from its segment', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1', name: 'root' }), span({ traceId: 'a', spanId: '2', parentSpanId: '1' })]);
  await store.close();
  rmSync(segmentFiles(dir, '.idx')[0]);
  const { store: again } = await openStore(t, { dir });
  assert.equal(again.getSummary('a')?.rootName, 'root');
  assert.equal((await again.getTrace('a'))?.spans.length, 2);
});

test('an index of JSON lines (stores written before binary entries) is read as is, and appends continue it', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1', name: 'root' }), chat({ traceId: 'a', spanId: '2', parentSpanId: '1', input: 3, output: 4 })]);
  await store.close();
  const [idx] = segmentFiles(dir, '.idx');
  const legacy = decodeIndexFile(readFileSync(idx), 0).entries.map((e) => `${legacyIndexLine(e)}\n`).join('');
  writeFileSync(idx, legacy);

  const { store: again, errors } = await openStore(t, { dir });
  assert.equal(readFileSync(idx, 'utf8'), legacy, 'a clean JSON index is not rewritten');
  assert.equal(again.getSummary('a')?.inputTokens, 3);
  assert.ok(again.getTraceIndex('a'), 'shapes come back from the JSON lines');
  again.upsertSpans([span({ traceId: 'a', spanId: '3', parentSpanId: '1' })]);
  await again.close();
  const mixed = decodeIndexFile(readFileSync(idx), 0);
  assert.ok(mixed.clean && mixed.entries.length === 3, 'a binary entry after the JSON lines');
  const { store: third } = await openStore(t, { dir });
  assert.equal(third.getSummary('a')?.spanCount, 3);
  assert.deepEqual(errors, []);
});

test('an index line pointing past the end of its segment is ignored', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' }), span({ traceId: 'a', spanId: '2' })]);
  await store.close();
  const [segment] = segmentFiles(dir, '.ndjson');
  const firstLineEnd = readFileSync(segment).indexOf(0x0a) + 1;
  truncateSync(segment, firstLineEnd);
  const { store: again } = await openStore(t, { dir });
  assert.equal(again.getSummary('a')?.spanCount, 1);
  assert.ok(await again.getTrace('a'));
});

test('an index entry whose time was damaged on disk is read again from its record, and the list still works', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: 'root', startMs: 0, endMs: 50 }), span({ traceId: 'a', spanId: 'child', parentSpanId: 'root', startMs: 5, endMs: 20 })]);
  const before = store.listTraces({});
  await store.close();
  const [index] = segmentFiles(dir, '.idx');
  const bytes = readFileSync(index);
  const entry = decodeIndexFile(bytes, 1).entries[1].meta;
  // One digit of the second span's end time turned into another byte, as a failing disk might.
  const at = bytes.indexOf(entry.end, bytes.indexOf(entry.spanId));
  bytes[at + 3] = 0x7f;
  writeFileSync(index, bytes);
  const { store: again } = await openStore(t, { dir });
  assert.deepEqual(again.listTraces({}), before);
  assert.equal(decodeIndexFile(readFileSync(index), 1).clean, true, 'the index file is rewritten');
});

test('a span whose record was damaged on disk is shown from its index entry; the rest of its trace opens', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([
    span({ traceId: 'a', spanId: 'root', name: 'POST /chat', startMs: 0, endMs: 50 }),
    chat({ traceId: 'a', spanId: 'c', parentSpanId: 'root', startMs: 5, endMs: 45, input: 20, output: 7, prompt: 'Where is my refund?' }),
  ]);
  await store.close();
  const [segment] = segmentFiles(dir, '.ndjson');
  const bytes = readFileSync(segment);
  // The chat span's record: a byte of its JSON turned into a control character, as a failing disk might.
  bytes[bytes.indexOf('Where is my refund?')] = 0x00;
  writeFileSync(segment, bytes);
  const { store: again, errors } = await openStore(t, { dir });
  for (let read = 0; read < 2; read++) {
    const trace = await again.getTrace('a');
    assert.deepEqual(trace?.spans.map((s) => s.spanId), ['root', 'c']);
    assert.equal(trace?.spans[0].name, 'POST /chat');
    const damaged = trace?.spans[1];
    assert.equal(damaged?.status.code, 'ERROR');
    assert.match(damaged?.status.message ?? '', /could not read this span back/);
    assert.deepEqual([damaged?.parentSpanId, damaged?.durationMs], ['root', 40]);
  }
  assert.equal((await again.getSpan('a', 'c'))?.status.code, 'ERROR');
  assert.equal(errors.filter((e) => /could not be read back/.test(e.message)).length, 1, 'reported once');
});

test('a corrupt state.json is set aside and the store still opens', async (t) => {
  const dir = tempStoreDir(t);
  writeFileSync(join(dir, 'state.json'), '{"pinnedTraceIds": [');
  const { store, errors } = await openStore(t, { dir });
  store.upsertSpans([span({ traceId: 'a', spanId: '1' })]);
  assert.equal(await store.setPinned('a', true), true);
  assert.match(errors[0]?.message ?? '', /state\.json/);
  assert.ok(readdirSync(dir).some((f) => f.startsWith('state.json.corrupt-')));
});

test('a torn binary record (crash mid-write of an OTLP span) is truncated, wherever the write stopped', async (t) => {
  for (const keep of [5, 30]) {
    const dir = tempStoreDir(t);
    const { store } = await openStore(t, { dir });
    const otlp = (i: number) => ({ fields: { ...indexFieldsOf(span({ traceId: 'a', spanId: String(i) })) }, otlp: Buffer.from([0x0a, i]) });
    store.upsertOtlpSpans([otlp(1), otlp(2)]);
    await store.close();
    const [segment] = segmentFiles(dir, '.ndjson');
    const goodSize = statSync(segment).size;
    // The start of a third record: a cut header (its seq bytes hold a newline), or a header whose body is missing.
    const torn = encodeOtlpRecord(10, Buffer.alloc(100, 0x0a), []);
    torn.writeDoubleLE(Buffer.from('\n\n\n\n\n\n\n\n').readDoubleLE(0), 2);
    appendFileSync(segment, torn.subarray(0, keep));

    const { store: again, errors } = await openStore(t, { dir });
    assert.equal(again.getSummary('a')?.spanCount, 2, `cut after ${keep} bytes`);
    assert.equal(statSync(segment).size, goodSize, 'the torn bytes are cut off');
    assert.match(errors.map((e) => e.message).join('\n'), /incomplete write/);
    again.upsertOtlpSpans([otlp(3)]);
    const { store: third } = await reopen(t, dir, again);
    assert.equal(third.getSummary('a')?.spanCount, 3, 'appends after the repair start on a clean record');
  }
});
