// OTLP spans take the hot path (stored as received, OTLP/JSON as the same spans in protobuf, indexed
// from a preview, normalized on read); spans made in the process are normalized at ingest. Both must give the same traces, summaries and spans,
// with log records arriving before or after their spans, and after a restart.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildRequest, otlpJsonOf } from '../../../bench/ingestPayloads';
import { IngestPipeline } from '../../../src/ingest/ingestPipeline';
import type { LogCorrelator } from '../../../src/ingest/logCorrelator';
import { SpanNormalizer } from '../../../src/ingest/normalizeSpan';
import { SpanIndexer } from '../../../src/ingest/spanIndexer';
import { decodeLogsProtobuf, decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { decodeIndexFile } from '../../../src/store/indexFormat';
import type { TraceStore } from '../../../src/store/traceStore';
import { encodeTraceRequest, jsonSpan, jsonTraceRequest, protoSpan, SPAN_ID_HEX, TRACE_ID_HEX, traceRequestObject } from '../otlp/otlpPayloads';
import { OtlpDecodeError } from '../../../src/otlp/types';
import type { ExportResult } from '../../../src/receiver/sink';
import { logRecord } from '../semconv/spanBuilder';
import { legacyIndexLine, openStore, tempStoreDir } from '../store/storeFixtures';
import { exportOfAll } from './longSpanCases';
import { buildSpanRows, parseNano, spanRowFromIndex } from '../../../src/views/spanRows';

const FIXTURES = join(__dirname, '../../fixtures/otlp');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const traceFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.bin') && f.includes('-traces-'));
const logFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.bin') && f.includes('-logs-'));

type TestContext = Parameters<typeof tempStoreDir>[0];

/** As the engine wires it: big exports (the benchmark's requests) are indexed on a worker thread. */
async function engineLike(t: TestContext, dir = tempStoreDir(t)) {
  const normalizer = new SpanNormalizer();
  const { store, errors } = await openStore(t, { dir, deriveSpan: normalizer.normalize });
  const indexer = new SpanIndexer({ onError: (err) => errors.push(err) });
  t.after(() => indexer.dispose());
  const pipeline = new IngestPipeline(store, normalizer, (err) => errors.push(err), indexer, join(dir, 'response-ids.json'));
  return { store, errors, dir, indexer, pipeline };
}

/** The span tree's rows from the index alone equal the rows built from the spans read back, for every trace. */
async function assertIndexRows(store: TraceStore): Promise<void> {
  for (const { traceId } of store.listTraces({ limit: 1000 }).traces) {
    const indexed = store.getTraceIndex(traceId);
    const detail = await store.getTrace(traceId);
    assert.ok(indexed && detail, traceId);
    const base = parseNano(detail.summary.startTimeUnixNano);
    assert.deepEqual(
      indexed.spans.map((s) => spanRowFromIndex(s, base)),
      buildSpanRows(detail.spans, detail.summary.startTimeUnixNano),
      `rows of ${traceId}`,
    );
    for (const span of indexed.spans) assert.equal(store.getSpanIndex(traceId, span.spanId), span);
  }
}

async function everything(store: TraceStore) {
  await store.flush();
  const { traces, total } = store.listTraces({ limit: 1000 });
  const details = await Promise.all(traces.map((s) => store.getTrace(s.traceId)));
  return { total, details };
}

test('records cut into reused memory are stored intact: exports in flight together, then every span reads back as sent', async (t) => {
  const { store, pipeline, errors } = await engineLike(t);
  const requests = Array.from({ length: 12 }, (_, i) => buildRequest(300 + i));
  // Three at a time, as an SDK with exports in flight: lines of several arenas wait for the writer
  // together, and later exports reuse the arenas of earlier ones once those are written.
  for (let i = 0; i < requests.length; i += 3) {
    await Promise.all(requests.slice(i, i + 3).map((body) => pipeline.acceptTracesProtobuf(body)));
    if (i === 3) await store.flush();
  }
  await store.flush();
  const expected = new Map(requests.flatMap((body) => decodeTracesProtobuf(body).spans).map((s) => [`${s.traceId}/${s.spanId}`, s]));
  let read = 0;
  for (const { traceId } of store.listTraces({ limit: 1000 }).traces) {
    for (const span of (await store.getTrace(traceId))?.spans ?? []) {
      const sent = expected.get(`${traceId}/${span.spanId}`);
      assert.ok(sent, `${traceId}/${span.spanId} was sent`);
      assert.deepEqual([span.name, span.startTimeUnixNano, span.attributes], [sent.name, sent.startTimeUnixNano, sent.attributes]);
      read++;
    }
  }
  assert.equal(read, expected.size);
  assert.deepEqual(errors, []);
});

for (const logsFirst of [false, true]) {
  test(`protobuf hot path equals full normalization at ingest (log records ${logsFirst ? 'before' : 'after'} their spans), and after a restart`, async (t) => {
    const fast = await engineLike(t);
    const full = await engineLike(t);
    const logs = logFiles.map((f) => decodeLogsProtobuf(fixture(f)));
    if (logsFirst) for (const l of logs) await Promise.all([fast.pipeline.acceptLogs(l), full.pipeline.acceptLogs(l)]);
    // The long-message cases: the trace list's tokens and cost must be the spans' own on both paths.
    for (const payload of [...traceFiles.map(fixture), buildRequest(0), exportOfAll()]) {
      await fast.pipeline.acceptTracesProtobuf(payload);
      full.pipeline.acceptTraces(decodeTracesProtobuf(payload));
    }
    if (!logsFirst) for (const l of logs) await Promise.all([fast.pipeline.acceptLogs(l), full.pipeline.acceptLogs(l)]);

    const expected = await everything(full.store);
    await assertIndexRows(full.store);
    await assertIndexRows(fast.store);
    assert.ok(expected.total > 70);
    const withMessagesFromLogs = expected.details
      .flatMap((d) => d!.spans)
      .filter((s) => s.llm?.inputMessages.length && !s.attributes['gen_ai.input.messages'] && s.scope.name.includes('instrumentation-openai'));
    assert.ok(withMessagesFromLogs.length >= 4, 'the fixtures carry messages in log records');
    assert.deepEqual(await everything(fast.store), expected);

    await fast.store.close();
    const reopened = await engineLike(t, fast.dir);
    assert.deepEqual(await everything(reopened.store), expected);
    await assertIndexRows(reopened.store);
    assert.deepEqual([...fast.errors, ...reopened.errors], []);
  });
}

test('the sender is answered before the spans are stored, and they are stored in the same task', async (t) => {
  const { store, pipeline } = await engineLike(t);
  const payload = buildRequest(4);
  const spans = decodeTracesProtobuf(payload).spans.length;
  let atAnswer = -1;
  let nextTask: Promise<number> | undefined;
  await pipeline.acceptTracesProtobuf(payload, (result) => {
    assert.deepEqual(result, { rejected: 0, errors: [] });
    atAnswer = store.stats().spans;
    // Whatever runs after the answer (the sender's next request, a read of the API) sees the spans.
    nextTask = new Promise((resolve) => setImmediate(() => resolve(store.stats().spans)));
  });
  assert.equal(atAnswer, 0);
  assert.equal(await nextTask, spans);
});

test('search finds a hot-path trace by its latest question and its answer (edges of the long message attributes)', async (t) => {
  const { store, pipeline } = await engineLike(t);
  const payload = buildRequest(3);
  await pipeline.acceptTracesProtobuf(payload);
  const chat = decodeTracesProtobuf(payload).spans.find((s) => typeof s.attributes['gen_ai.output.messages'] === 'string')!;
  const output = JSON.parse(chat.attributes['gen_ai.output.messages'] as string) as { parts: { content?: string }[] }[];
  const answerStart = output[0].parts.find((p) => p.content)!.content!.slice(0, 40);
  const found = store.listTraces({ q: answerStart.toUpperCase() });
  assert.deepEqual(found.traces.map((s) => s.traceId), [chat.traceId]);
});

test("search over the edges of long message attributes skips the formats' keys and fixed words", async (t) => {
  const { store, pipeline } = await engineLike(t);
  await pipeline.acceptTracesProtobuf(buildRequest(3));
  const withChats = store.listTraces({ limit: 1000 }).traces.filter((s) => s.llmCallCount > 0).length;
  assert.ok(withChats > 10);
  // Every model call's text holds `"role":"user","parts":[{"type":"text","content":…`.
  for (const q of ['role', 'parts', 'content', 'finish_reason', 'system']) assert.equal(store.listTraces({ q }).total, 0, q);
  assert.ok(store.listTraces({ q: '"role":"system"' }).total >= withChats, 'typed with its quotes');
});

test('an index rebuilt from a segment of hot-path records has the normalized fields', async (t) => {
  const first = await engineLike(t);
  await first.pipeline.acceptTracesProtobuf(buildRequest(5));
  const before = (await everything(first.store)).details.map((d) => d!.summary);
  await first.store.close();
  for (const f of readdirSync(join(first.dir, 'segments'))) if (f.endsWith('.idx')) rmSync(join(first.dir, 'segments', f));
  const again = await engineLike(t, first.dir);
  const after = (await everything(again.store)).details.map((d) => d!.summary);
  assert.ok(after.some((s) => (s.inputTokens ?? 0) > 0 && s.models.length > 0));
  assert.deepEqual(after, before);
});

test('spans with the same shape share one frozen shape object in the index, also after a restart', async (t) => {
  const first = await engineLike(t);
  await first.pipeline.acceptTracesProtobuf(buildRequest(12));
  // (Interned names cannot be told apart from copies in JS: string identity is not observable.)
  const chatShapes = (store: TraceStore) => {
    const spans = store.listTraces({ limit: 1000 }).traces.flatMap((s) => store.getTraceIndex(s.traceId)!.spans);
    const shapes = spans.filter((s) => s.shape.operation === 'chat' && !s.shape.exception).map((s) => s.shape);
    assert.ok(shapes.length > 10);
    return shapes;
  };
  const ingested = chatShapes(first.store);
  for (const shape of ingested) assert.equal(shape, ingested[0]);
  await first.store.close();
  const reopened = chatShapes((await engineLike(t, first.dir)).store);
  for (const shape of reopened) assert.equal(shape, reopened[0]);
  assert.ok(Object.isFrozen(reopened[0]));
});

test('a long stack trace stays in the preview: the index knows the span has a source location', async (t) => {
  const { store, pipeline } = await engineLike(t);
  const library = '  File "/usr/lib/python3.12/site-packages/openai/_base_client.py", line 1000, in request\n    return self._request(options)\n';
  const stack = `Traceback (most recent call last):\n  File "/home/me/app/bot.py", line 42, in answer\n    reply = client.chat.completions.create()\n${library.repeat(30)}openai.APIError: boom\n`;
  assert.ok(Buffer.byteLength(stack) > 2048);
  const span = { ...protoSpan(), events: [{ timeUnixNano: '1700000000123456789', name: 'exception', attributes: [{ key: 'exception.stacktrace', value: { stringValue: stack } }] }] };
  await pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject([span])));
  const [{ traceId }] = store.listTraces().traces;
  const [indexed] = store.getTraceIndex(traceId)!.spans;
  assert.equal(indexed.shape.source, true);
  assert.equal(indexed.shape.exception, true);
  assert.equal((await store.getTrace(traceId))!.spans[0].source?.path, '/home/me/app/bot.py');
  await assertIndexRows(store);
});

test('index lines from before shapes: no tree from the index, the trace is read from its records instead', async (t) => {
  const first = await engineLike(t);
  await first.pipeline.acceptTracesProtobuf(buildRequest(11));
  await first.store.close();
  const segments = join(first.dir, 'segments');
  // Rewritten as the JSON lines of that version: 13 fields, no shape.
  for (const f of readdirSync(segments).filter((name) => name.endsWith('.idx'))) {
    const { entries } = decodeIndexFile(readFileSync(join(segments, f)), 0);
    const lines = entries.map((e) => legacyIndexLine(e, false));
    writeFileSync(join(segments, f), lines.map((l) => `${l}\n`).join(''));
  }
  const again = await engineLike(t, first.dir);
  const [{ traceId }] = again.store.listTraces().traces;
  assert.equal(again.store.getTraceIndex(traceId), undefined);
  assert.ok((await again.store.getTrace(traceId))!.spans.length > 0);
  assert.deepEqual(again.errors, []);
});

test('an OTLP/JSON export takes the protobuf path on the worker: stored as OTLP spans, the same traces as the export in protobuf', async (t) => {
  const fromJson = await engineLike(t);
  const fromProtobuf = await engineLike(t);
  const payload = buildRequest(7);
  const json = otlpJsonOf(payload) as { resourceSpans: { scopeSpans: { spans: object[] }[] }[] };
  // One span the JSON decoder rejects, answered in partial_success as before.
  json.resourceSpans[0].scopeSpans[0].spans.push({ name: 'no ids' });
  let answered: ExportResult | undefined;
  await fromJson.pipeline.acceptTracesJson(Buffer.from(JSON.stringify(json)), (result) => (answered = result));
  await fromProtobuf.pipeline.acceptTracesProtobuf(payload);
  assert.equal(answered?.rejected, 1);
  assert.match(answered?.errors[0] ?? '', /no ids.*traceId/);
  // Indexed off the main thread: the export is far over the inline limit.
  assert.equal(fromJson.indexer.mode, 'worker');
  const [first] = decodeTracesProtobuf(payload).spans;
  const source = await fromJson.store.getSpanSource(first.traceId, first.spanId);
  assert.equal(source?.kind, 'otlp', 'stored as the span in protobuf, normalized when read');
  assert.deepEqual(await everything(fromJson.store), await everything(fromProtobuf.store));
  await assertIndexRows(fromJson.store);
  assert.deepEqual([...fromJson.errors, ...fromProtobuf.errors], []);
});

test('a small OTLP/JSON export is indexed inline the same way, and unreadable JSON is an OtlpDecodeError', async (t) => {
  const { store, pipeline, indexer } = await engineLike(t);
  await pipeline.acceptTracesJson(Buffer.from(JSON.stringify(jsonTraceRequest([jsonSpan()]))));
  assert.equal(indexer.mode, 'idle');
  assert.equal((await store.getSpanSource(TRACE_ID_HEX, SPAN_ID_HEX))?.kind, 'otlp');
  assert.equal((await store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.llm?.requestModel, 'gpt-4o-mini');
  await assert.rejects(pipeline.acceptTracesJson(Buffer.from('{"resourceSpans": [')), OtlpDecodeError);
});

test('one disk write mixes worker-encoded records, contract lines and records encoded by the store; all read back after a restart', async (t) => {
  const { store, errors, dir, pipeline } = await engineLike(t);
  const bigA = buildRequest(11);
  const bigB = buildRequest(12);
  const expected = [...decodeTracesProtobuf(bigA).spans, ...decodeTracesProtobuf(bigB).spans].map((s) => `${s.traceId}/${s.spanId}`);
  // Both big requests on the worker, a contract span and a small (inline) export in between: one flush.
  const both = Promise.all([pipeline.acceptTracesProtobuf(bigA), pipeline.acceptTracesProtobuf(bigB)]);
  pipeline.acceptTraces(decodeTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan({ name: 'contract form' })]))));
  await both;
  await store.flush();
  const before = await everything(store);
  assert.equal(before.details.reduce((n, d) => n + (d?.spans.length ?? 0), 0), expected.length + 1);
  await store.close();
  const reopened = await engineLike(t, dir);
  const after = await everything(reopened.store);
  assert.deepEqual(after, before);
  const stored = after.details.flatMap((d) => d?.spans.map((s) => `${s.traceId}/${s.spanId}`) ?? []);
  for (const id of expected) assert.ok(stored.includes(id), id);
  assert.deepEqual([...errors, ...reopened.errors], []);
});

test("an evaluation arriving after its span (an evaluator runs later) is stored with it, and shows after a restart", async (t) => {
  const engine = await engineLike(t);
  await engine.pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan()])));
  const [traceId, spanId] = [TRACE_ID_HEX, SPAN_ID_HEX];
  await engine.pipeline.acceptLogs({
    records: [
      logRecord('gen_ai.evaluation.result', null, {
        spanId,
        attributes: { 'gen_ai.evaluation.name': 'Relevance', 'gen_ai.evaluation.score.value': 4, 'gen_ai.evaluation.score.label': 'relevant' },
      }),
    ].map((r) => ({ ...r, traceId })),
    rejected: 0,
    errors: [],
  });
  await engine.store.flush();
  const expected = [{ name: 'Relevance', score: 4, label: 'relevant' }];
  assert.deepEqual((await engine.store.getSpan(traceId, spanId))?.llm?.evaluations, expected);
  await engine.store.close();
  const reopened = await engineLike(t, engine.dir);
  assert.deepEqual((await reopened.store.getSpan(traceId, spanId))?.llm?.evaluations, expected);
  assert.deepEqual([...engine.errors, ...reopened.errors], []);
});

/** An evaluator's verdict sent apart from the app: no span context, only the response it judged. */
function detachedEvaluation(responseId: string, name: string) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { traceId, spanId, ...record } = logRecord('gen_ai.evaluation.result', null, {
    attributes: { 'gen_ai.evaluation.name': name, 'gen_ai.evaluation.score.value': 0.5, 'gen_ai.response.id': responseId },
  });
  return { records: [record], rejected: 0, errors: [] };
}

/** An export of one model call (TRACE_ID_HEX / SPAN_ID_HEX) that answered with `responseId`. */
function chatAnswering(responseId: string): Buffer {
  const attributes = [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'gen_ai.response.id', value: { stringValue: responseId } },
  ];
  return encodeTraceRequest(traceRequestObject([protoSpan({ attributes })]));
}

test('an evaluation that names only the response it judged (no span context) is stored with the model call that answered it, and after a restart', async (t) => {
  const engine = await engineLike(t);
  await engine.pipeline.acceptTracesProtobuf(chatAnswering('chatcmpl-42'));
  await engine.pipeline.acceptLogs(detachedEvaluation('chatcmpl-42', 'Faithfulness'));
  // One for a response Spanlight never saw: nothing to tie it to, and nothing goes wrong.
  await engine.pipeline.acceptLogs(detachedEvaluation('chatcmpl-unknown', 'Relevance'));
  await engine.store.flush();
  const expected = [{ name: 'Faithfulness', score: 0.5 }];
  assert.deepEqual((await engine.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.llm?.evaluations, expected);
  await engine.store.close();
  const reopened = await engineLike(t, engine.dir);
  assert.deepEqual((await reopened.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.llm?.evaluations, expected);
  assert.deepEqual([...engine.errors, ...reopened.errors], []);
});

test('an evaluation naming only its response, sent after a restart (an evaluator run the next morning), finds the call', async (t) => {
  const engine = await engineLike(t);
  await engine.pipeline.acceptTracesProtobuf(chatAnswering('chatcmpl-before-restart'));
  engine.pipeline.dispose();
  await engine.store.close();
  const reopened = await engineLike(t, engine.dir);
  await reopened.pipeline.acceptLogs(detachedEvaluation('chatcmpl-before-restart', 'Faithfulness'));
  await reopened.store.flush();
  assert.deepEqual((await reopened.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.llm?.evaluations, [{ name: 'Faithfulness', score: 0.5 }]);
  assert.deepEqual([...engine.errors, ...reopened.errors], []);
});

test('damaged saved response ids are reported once and forgotten; the pipeline works on', async (t) => {
  const dir = tempStoreDir(t);
  writeFileSync(join(dir, 'response-ids.json'), '[["chatcmpl-1", {"traceId": "a"');
  const engine = await engineLike(t, dir);
  assert.equal(engine.errors.length, 1);
  assert.match(engine.errors[0].message, /response ids saved in .*response-ids\.json could not be read/);
  await engine.pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan()])));
  engine.pipeline.dispose();
  assert.ok(Array.isArray(JSON.parse(readFileSync(join(dir, 'response-ids.json'), 'utf8'))), 'saved again whole');
});

test('response ids of a big export indexed on the worker (protobuf or JSON) reach the evaluations that name them', async (t) => {
  for (const format of ['protobuf', 'json'] as const) {
    const { store, pipeline, errors } = await engineLike(t);
    const payload = buildRequest(13);
    if (format === 'json') await pipeline.acceptTracesJson(Buffer.from(JSON.stringify(otlpJsonOf(payload))));
    else await pipeline.acceptTracesProtobuf(payload);
    const calls = decodeTracesProtobuf(payload).spans.filter((s) => typeof s.attributes['gen_ai.response.id'] === 'string');
    const judged = calls[calls.length - 1];
    await pipeline.acceptLogs(detachedEvaluation(judged.attributes['gen_ai.response.id'] as string, 'Relevance'));
    await store.flush();
    assert.deepEqual((await store.getSpan(judged.traceId, judged.spanId))?.llm?.evaluations, [{ name: 'Relevance', score: 0.5 }], format);
    assert.deepEqual(errors, []);
  }
});

/** The model calls of the real GenAI capture (instrumentation-openai: messages in log records), by span. */
async function callsOf(store: TraceStore) {
  await store.flush();
  const calls = new Map<string, { input: unknown; output: unknown }>();
  for (const { traceId } of store.listTraces({ limit: 1000 }).traces) {
    for (const span of (await store.getTrace(traceId))!.spans) {
      if (span.llm?.inputMessages.length) calls.set(span.spanId, { input: span.llm.inputMessages, output: span.llm.outputMessages });
    }
  }
  return calls;
}

test("an exporter's retry changes nothing: log records sent again are not added twice, a span sent again keeps its messages, also after a restart", async (t) => {
  const traces = fixture('otel-genai-http-protobuf-traces-1.bin');
  const logs = () => decodeLogsProtobuf(fixture('otel-genai-http-protobuf-logs-1.bin'));
  const engine = await engineLike(t);
  await engine.pipeline.acceptTracesProtobuf(traces);
  await engine.pipeline.acceptLogs(logs());
  const once = await callsOf(engine.store);
  assert.ok(once.size > 0, 'the capture has model calls with messages from log records');
  const segments = join(engine.dir, 'segments');
  const indexFiles = () => readdirSync(segments).filter((f) => f.endsWith('.idx'));
  const versions = () => indexFiles().reduce((n, f) => n + decodeIndexFile(readFileSync(join(segments, f)), Number.parseInt(f, 10)).entries.length, 0);
  await engine.store.flush();
  const stored = versions();

  // The same exports again (the correlator released the records once their spans were stored with them).
  await engine.pipeline.acceptLogs(logs());
  await engine.pipeline.acceptTracesProtobuf(traces);
  assert.deepEqual(await callsOf(engine.store), once);
  assert.equal(versions(), stored, 'nothing stored again');

  // And after a restart, when only the store has them.
  engine.pipeline.dispose();
  await engine.store.close();
  const reopened = await engineLike(t, engine.dir);
  await reopened.pipeline.acceptTracesProtobuf(traces);
  assert.deepEqual(await callsOf(reopened.store), once, 'the span sent again kept its messages');
  await reopened.pipeline.acceptLogs(logs());
  assert.deepEqual(await callsOf(reopened.store), once, 'the records sent again were not added twice');
  assert.deepEqual([...engine.errors, ...reopened.errors], []);
});

test('held log records are released once their span is stored with them; a record that comes later still joins them', async (t) => {
  const engine = await engineLike(t);
  const held = () => (engine.pipeline as unknown as { correlator: LogCorrelator }).correlator.size;
  const user = (content: string) => ({ ...logRecord('gen_ai.user.message', { content }, { spanId: SPAN_ID_HEX }), traceId: TRACE_ID_HEX });
  await engine.pipeline.acceptLogs({ records: [user('first')], rejected: 0, errors: [] });
  assert.equal(held(), 1, 'held until its span comes');
  await engine.pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject([{ ...protoSpan(), events: [] }])));
  assert.equal(held(), 0, 'the store has it now, with its span');
  await engine.pipeline.acceptLogs({ records: [{ ...user('second'), timeUnixNano: '1732368000200000000' }], rejected: 0, errors: [] });
  assert.equal(held(), 0);
  const span = await engine.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX);
  assert.deepEqual(span?.llm?.inputMessages.map((m) => m.content), ['first', 'second']);
  assert.deepEqual(engine.errors, []);
});

test('two equal log records in one export are two messages; a changed span sent again keeps its stored records', async (t) => {
  const engine = await engineLike(t);
  // Its messages only in log records (no prompt event of its own).
  const call = { ...protoSpan(), events: [] };
  await engine.pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject([call])));
  const user = logRecord('gen_ai.user.message', { content: 'again?' }, { spanId: SPAN_ID_HEX });
  await engine.pipeline.acceptLogs({ records: [user, user].map((r) => ({ ...r, traceId: TRACE_ID_HEX })), rejected: 0, errors: [] });
  const inputs = async (store: TraceStore) => (await store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.llm?.inputMessages.map((m) => m.content);
  const before = await inputs(engine.store);
  assert.deepEqual(before, ['again?', 'again?']);
  engine.pipeline.dispose();
  await engine.store.close();
  const reopened = await engineLike(t, engine.dir);
  // The span again, now with another status: stored, with the records its first version had.
  await reopened.pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject([{ ...call, status: { code: 1 } }])));
  await reopened.store.flush();
  assert.equal((await reopened.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.status.code, 'OK');
  assert.deepEqual(await inputs(reopened.store), before);
});
