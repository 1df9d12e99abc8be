import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { IngestPipeline } from '../../../src/ingest/ingestPipeline';
import { SpanNormalizer } from '../../../src/ingest/normalizeSpan';
import { encodeTraceRequest, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';
import { openStore, span, tempStoreDir, text } from './storeFixtures';

const SEGMENT_BYTES = 8 * 1024;

function segments(dir: string): string[] {
  return readdirSync(join(dir, 'segments'))
    .filter((f) => f.endsWith('.ndjson'))
    .sort();
}

/** About 1.1 KB per record: seven fit in a segment. */
function bulky(traceId: string, spanId: string, startMs: number) {
  return span({ traceId, spanId, startMs, endMs: startMs + 1, attributes: { prompt: text(1000, startMs) } });
}

test('segments roll at segmentBytes and each write stays one line per span', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  for (let i = 0; i < 30; i++) {
    store.upsertSpans([bulky(`t${i}`, 'a', i)]);
    await store.flush();
  }
  const files = segments(dir);
  assert.ok(files.length >= 4, `${files.length} segments`);
  for (const file of files.slice(0, -1)) {
    const content = readFileSync(join(dir, 'segments', file), 'utf8');
    assert.ok(content.length <= SEGMENT_BYTES, `${file} is ${content.length} bytes`);
    assert.ok(content.split('\n').slice(0, -1).every((line) => JSON.parse(line).span.traceId));
  }
  assert.equal(store.stats().spans, 30);
  assert.equal((await store.getTrace('t0'))?.spans[0].attributes.prompt, text(1000, 0));
});

test('a segment whose spans are all dead is deleted', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  for (let i = 0; i < 20; i++) {
    store.upsertSpans([bulky(`t${i}`, 'a', i)]);
    await store.flush();
  }
  const first = segments(dir)[0];
  for (let i = 0; i < 7; i++) store.deleteTrace(`t${i}`);
  await store.flush();
  assert.ok(!segments(dir).includes(first), `${first} should be gone: ${segments(dir).join(', ')}`);
  assert.ok(!readdirSync(join(dir, 'segments')).includes(first.replace('.ndjson', '.idx')));
  await store.clear();
  assert.equal(store.stats().diskBytes, 0, `left: ${segments(dir).join(', ')}`);
});

test('retention plus compaction keep disk use near maxBytes while a pinned old trace survives', async (t) => {
  const dir = tempStoreDir(t);
  const maxBytes = 4 * SEGMENT_BYTES;
  const { store, errors } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES, maxBytes });
  store.upsertSpans([bulky('pinned', 'a', 0)]);
  await store.setPinned('pinned', true);
  let peak = 0;
  for (let i = 1; i <= 300; i++) {
    store.upsertSpans([bulky(`t${i}`, 'a', i)]);
    if (i % 5 === 0) {
      await store.flush();
      peak = Math.max(peak, store.stats().diskBytes);
    }
  }
  await store.flush();
  const { bytes, diskBytes } = store.stats();
  assert.ok(bytes <= maxBytes + 1200, `live ${bytes}`);
  // maxBytes + active segment + two segments of dead data, plus index files.
  assert.ok(peak <= (maxBytes + 3 * SEGMENT_BYTES) * 1.25, `peak disk ${peak}`);
  assert.ok(diskBytes <= (maxBytes + 3 * SEGMENT_BYTES) * 1.25, `disk ${diskBytes}`);
  assert.ok(!segments(dir).includes('000001.ndjson'), 'the first segment was compacted away');
  assert.equal((await store.getSpan('pinned', 'a'))?.attributes.prompt, text(1000, 0));
  assert.deepEqual(errors, []);

  await store.close();
  const { store: again } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES, maxBytes });
  assert.equal(again.isPinned('pinned'), true);
  assert.equal((await again.getSpan('pinned', 'a'))?.attributes.prompt, text(1000, 0));
  assert.equal(again.stats().spans, store.stats().spans);
});

test('a span arriving during a compaction is written before the rest of the compaction, not after it', async (t) => {
  // A compaction moved a whole segment in one append; exports acknowledged meanwhile waited for it (up
  // to 200 ms with 32 MiB segments) and a process killed then lost them.
  const dir = tempStoreDir(t);
  const { store, errors } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  for (let i = 0; i < 10; i++) {
    store.upsertSpans([bulky(`t${i}`, 'a', i)]);
    await store.flush();
  }
  // Every append from here on, as the seqs it wrote.
  const log = (store as unknown as { log: { append: (records: { seq: number }[]) => Promise<unknown> } }).log;
  const append = log.append.bind(log);
  const appends: number[][] = [];
  const freshSeq = { value: Infinity };
  log.append = (records) => {
    appends.push(records.map((r) => r.seq));
    // The first part of the compaction is on its way to the disk when a new span arrives.
    if (appends.length === 1) {
      store.upsertSpans([bulky('fresh', 'a', 100)]);
      freshSeq.value = store.spanSeq('fresh', 'a') ?? Infinity;
    }
    return append(records);
  };
  // Four of the first segment's seven records die: it is mostly dead, and compacted.
  for (let i = 0; i < 4; i++) store.deleteTrace(`t${i}`);
  await store.flush();
  const freshAt = appends.findIndex((seqs) => seqs.includes(freshSeq.value));
  const lastMoveAt = appends.length - 1 - [...appends].reverse().findIndex((seqs) => seqs.some((seq) => seq < freshSeq.value));
  assert.ok(freshAt > 0 && freshAt < lastMoveAt, `appends ${JSON.stringify(appends)}: fresh at ${freshAt}, compaction done at ${lastMoveAt}`);
  assert.ok(!segments(dir).includes('000001.ndjson'), 'the first segment was still compacted away');
  for (const id of ['t4', 't5', 't6', 'fresh']) assert.ok(await store.getSpan(id, 'a'), id);
  assert.deepEqual(errors, []);
});

test('re-sent spans leave dead versions that compaction reclaims', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < 5; i++) store.upsertSpans([bulky(`t${i}`, 'a', round * 10 + i)]);
    await store.flush();
  }
  assert.equal(store.stats().spans, 5);
  assert.ok(store.stats().diskBytes <= 5 * SEGMENT_BYTES, `disk ${store.stats().diskBytes}`);
  const trace = await store.getTrace('t3');
  assert.equal(trace?.spans[0].startTimeUnixNano, bulky('x', 'a', 113).startTimeUnixNano);
});

test('a record found twice after an interrupted compaction is counted once', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir });
  store.upsertSpans([bulky('a', '1', 0), bulky('a', '2', 1)]);
  await store.close();
  // A crash after the copy was written but before the old segment was deleted leaves both.
  for (const ext of ['ndjson', 'idx']) copyFileSync(join(dir, 'segments', `000001.${ext}`), join(dir, 'segments', `000002.${ext}`));
  const { store: again } = await openStore(t, { dir });
  assert.equal(again.stats().spans, 2);
  assert.equal(again.getSummary('a')?.spanCount, 2);
  assert.equal((await again.getTrace('a'))?.spans.length, 2);
  await again.flush();
  assert.deepEqual(segments(dir), ['000002.ndjson'], 'the segment whose records all have a newer copy is deleted');
});

test('deletion records are dropped once the segments they apply to are gone', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  for (let i = 0; i < 20; i++) {
    store.upsertSpans([bulky(`t${i}`, 'a', i)]);
    await store.flush();
  }
  for (let i = 0; i < 20; i++) store.deleteTrace(`t${i}`);
  await store.flush();
  assert.ok(readFileSync(join(dir, 'tombstones.ndjson'), 'utf8').length > 0);
  store.upsertSpans([bulky('new', 'a', 100)]);
  await store.flush();
  await store.clear();
  store.upsertSpans([bulky('after', 'a', 200)]);
  await store.flush();
  assert.equal(readFileSync(join(dir, 'tombstones.ndjson'), 'utf8'), '', 'nothing left for them to delete');
  await store.close();
  const { store: again } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  assert.deepEqual(again.listTraces({}).traces.map((s) => s.traceId), ['after']);
});

test('binary (hot path) records survive retention and compaction: copied forward, read back after a restart', async (t) => {
  const dir = tempStoreDir(t);
  const maxBytes = 4 * SEGMENT_BYTES;
  const normalizer = new SpanNormalizer();
  const options = { dir, segmentBytes: SEGMENT_BYTES, maxBytes, deriveSpan: normalizer.normalize };
  const { store, errors } = await openStore(t, options);
  const pipeline = new IngestPipeline(store, normalizer);
  const traceId = (i: number) => Buffer.from(i.toString(16).padStart(32, '0'), 'hex');
  const exportOf = (i: number) =>
    encodeTraceRequest(
      traceRequestObject([protoSpan({ traceId: traceId(i), attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: JSON.stringify([{ role: 'user', content: text(1000, i) }]) } }] })]),
    );
  await pipeline.acceptTracesProtobuf(exportOf(1));
  const pinned = traceId(1).toString('hex');
  await store.setPinned(pinned, true);
  const before = await store.getTrace(pinned);
  for (let i = 2; i <= 200; i++) {
    await pipeline.acceptTracesProtobuf(exportOf(i));
    if (i % 5 === 0) await store.flush();
  }
  await store.flush();
  assert.ok(!segments(dir).includes('000001.ndjson'), 'the first segment was compacted away');
  assert.deepEqual(await store.getTrace(pinned), before);
  assert.equal(before?.spans[0].llm?.inputMessages[0]?.content, text(1000, 1));
  assert.deepEqual(errors, []);
  const live = store.stats().spans;

  await store.close();
  const { store: again } = await openStore(t, options);
  assert.equal(again.stats().spans, live);
  assert.deepEqual(await again.getTrace(pinned), before);
  assert.equal((await again.getTrace(traceId(200).toString('hex')))?.spans[0].llm?.inputMessages[0]?.content, text(1000, 200));
});

test('records lost from a segment, a missing index and an index without its segment are reported at open', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  for (let i = 0; i < 20; i++) {
    store.upsertSpans([bulky(`t${i}`, 'a', i)]);
    await store.flush();
  }
  await store.close();
  const files = segments(dir);
  const path = (name: string) => join(dir, 'segments', name);
  // The last segment cut at a record boundary (its last record gone, its index intact); the first one's
  // index deleted; the second one's data deleted.
  const last = path(files.at(-1) ?? '');
  const records = (file: string) => readFileSync(file, 'utf8').split('\n').slice(0, -1);
  writeFileSync(last, records(last).slice(0, -1).map((line) => `${line}\n`).join(''));
  const lost = records(path(files[1])).length;
  rmSync(path(files[0].replace('.ndjson', '.idx')));
  rmSync(path(files[1]));

  const { store: reopened, errors } = await openStore(t, { dir, segmentBytes: SEGMENT_BYTES });
  const messages = errors.map((e) => e.message).join('\n');
  assert.match(messages, /ends before 1 record\(s\) its index names .*those spans are lost/);
  assert.match(messages, new RegExp(`the index .*${files[0].replace('.ndjson', '.idx')} was missing; it is rebuilt`));
  assert.match(messages, new RegExp(`the segment of .*${files[1].replace('.ndjson', '.idx')} is missing; the ${lost} span record\\(s\\) it indexed`));
  assert.ok(!readdirSync(join(dir, 'segments')).includes(files[1].replace('.ndjson', '.idx')), 'the orphan index is removed: reported once');
  assert.equal(reopened.stats().spans, 20 - 1 - lost);
});
