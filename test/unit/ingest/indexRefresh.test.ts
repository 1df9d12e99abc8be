// The stored index follows what derives it (the price overrides, the built-in table, INDEX_DERIVATION):
// after a change, the trace list (index) and the span (read) agree, for spans stored on both ingest
// paths, across restarts, and for a change made while the store was closed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { SpanlightEngine } from '../../../src/engine';
import { decodeLogsJson, decodeTracesJson } from '../../../src/otlp/decodeJson';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { INDEX_DERIVATION, PRICE_TABLE_DIGEST } from '../../../src/ingest/indexRefresh';
import { SpanNormalizer } from '../../../src/ingest/normalizeSpan';
import type { PriceOverrides } from '../../../src/pricing/cost';
import { indexFieldsOf, searchTextLeads, sessionSearchText } from '../../../src/store/spanMeta';
import { encodeTraceRequest, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';

const ACME: PriceOverrides = { 'acme-llm-7b': { input: 1, output: 2 } };
/** 1200 input tokens at $1/M and 300 output tokens at $2/M. */
const ACME_COST = 0.0018;

function modelCall(traceByte: number, model: string, inputTokens = 1200): Buffer {
  const int = (key: string, value: number) => ({ key, value: { intValue: value } });
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const span = protoSpan({
    traceId: Buffer.alloc(16, traceByte),
    spanId: Buffer.alloc(8, traceByte),
    parentSpanId: Buffer.alloc(0),
    name: `chat ${model}`,
    attributes: [
      str('gen_ai.operation.name', 'chat'),
      str('gen_ai.provider.name', 'openai'),
      str('gen_ai.request.model', model),
      int('gen_ai.usage.input_tokens', inputTokens),
      int('gen_ai.usage.output_tokens', 300),
    ],
  });
  return encodeTraceRequest(traceRequestObject([span]));
}

const traceIdOf = (byte: number) => Buffer.alloc(16, byte).toString('hex');
const spanIdOf = (byte: number) => Buffer.alloc(8, byte).toString('hex');

/** A store folder, and engines opened on it: all closed, and the folder removed, when the test ends. */
function storeDir(t: TestContext): { dir: string; open: (priceOverrides?: PriceOverrides) => Promise<SpanlightEngine> } {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-index-refresh-'));
  const engines: SpanlightEngine[] = [];
  const errors: Error[] = [];
  t.after(async () => {
    for (const engine of engines) await engine.close();
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(errors, []);
  });
  return {
    dir,
    open: async (priceOverrides) => {
      const engine = await SpanlightEngine.open({ storeDir: dir, version: 'test', priceOverrides, onError: (err) => errors.push(err) });
      engines.push(engine);
      return engine;
    },
  };
}

/** Rewrites the store's state as a build with other prices or indexing left it; returns what it wrote. */
function stateWith(dir: string, indexedWith: object): string {
  const path = join(dir, 'state.json');
  const state = JSON.parse(readFileSync(path, 'utf8')) as { indexedWith: object };
  const written = JSON.stringify({ ...state, indexedWith: { ...state.indexedWith, ...indexedWith } });
  writeFileSync(path, written);
  return written;
}

/** The cost the trace list shows, and the one the span shows when read. */
async function costs(engine: SpanlightEngine, byte: number): Promise<{ list: number | undefined; span: number | undefined }> {
  const list = engine.store.getSummary(traceIdOf(byte))?.costUsd;
  const span = (await engine.store.getSpan(traceIdOf(byte), spanIdOf(byte)))?.llm?.costUsd;
  return { list, span };
}

test('new price overrides re-price the stored model calls whose price changed, on both ingest paths, and the cost stays after a restart', async (t) => {
  const store = storeDir(t);
  const engine = await store.open();
  await engine.pipeline.acceptTracesProtobuf(modelCall(1, 'acme-llm-7b'));
  engine.pipeline.acceptTraces(decodeTracesProtobuf(modelCall(2, 'acme-llm-7b-2025-01-01')));
  await engine.pipeline.acceptTracesProtobuf(modelCall(3, 'gpt-4o-mini'));
  await engine.store.flush();
  assert.deepEqual(await costs(engine, 1), { list: undefined, span: undefined }, 'an unknown model has no cost');
  const tablePriced = await costs(engine, 3);
  assert.ok(tablePriced.list !== undefined && tablePriced.list > 0);
  const untouchedSeq = engine.store.spanSeq(traceIdOf(3), spanIdOf(3));

  const progress: [number, number][] = [];
  assert.equal(await engine.setPriceOverrides(ACME, (done, total) => progress.push([done, total])), 2);
  assert.deepEqual(progress, [[2, 2]]);
  assert.deepEqual(await costs(engine, 1), { list: ACME_COST, span: ACME_COST });
  assert.deepEqual(await costs(engine, 2), { list: ACME_COST, span: ACME_COST }, 'a dated id takes its family override');
  assert.deepEqual(await costs(engine, 3), tablePriced);
  assert.equal(engine.store.spanSeq(traceIdOf(3), spanIdOf(3)), untouchedSeq, 'a call whose price did not change is not stored again');
  assert.equal(await engine.setPriceOverrides(ACME), 0, 'the same overrides again: nothing to do');

  await engine.close();
  const reopened = await store.open(ACME);
  assert.equal(await reopened.refreshed, 0);
  assert.deepEqual(await costs(reopened, 1), { list: ACME_COST, span: ACME_COST });
  assert.deepEqual(await costs(reopened, 2), { list: ACME_COST, span: ACME_COST });
});

test('overrides changed while the store was closed are caught up when it opens; a removed override removes the cost', async (t) => {
  const store = storeDir(t);
  const first = await store.open(ACME);
  await first.pipeline.acceptTracesProtobuf(modelCall(1, 'acme-llm-7b'));
  await first.store.flush();
  assert.deepEqual(await costs(first, 1), { list: ACME_COST, span: ACME_COST });
  await first.close();

  const doubled = await store.open({ 'acme-llm-7b': { input: 2, output: 4 } });
  assert.equal(await doubled.refreshed, 1);
  assert.deepEqual(await costs(doubled, 1), { list: 2 * ACME_COST, span: 2 * ACME_COST });
  await doubled.close();

  const none = await store.open({});
  assert.equal(await none.refreshed, 1);
  assert.deepEqual(await costs(none, 1), { list: undefined, span: undefined });
});

test('a newer version of a span that arrives while it is re-priced is kept', async (t) => {
  const engine = await storeDir(t).open();
  await engine.pipeline.acceptTracesProtobuf(modelCall(1, 'acme-llm-7b'));
  await engine.store.flush();
  const refresh = engine.setPriceOverrides(ACME);
  // Stored while the re-pricing reads the old version's record (the sender re-sent the span).
  engine.pipeline.acceptTraces(decodeTracesProtobuf(modelCall(1, 'acme-llm-7b', 2400)));
  assert.equal(await refresh, 0);
  const span = await engine.store.getSpan(traceIdOf(1), spanIdOf(1));
  assert.equal(span?.llm?.usage.inputTokens, 2400);
  assert.deepEqual(await costs(engine, 1), { list: 0.003, span: 0.003 });
});

test('a newer change cancels a re-pricing in progress; the calls it had not reached are re-priced by the newer one', async (t) => {
  const engine = await storeDir(t).open();
  // More than one chunk of re-indexing, so the second change lands while the first is under way.
  for (let i = 1; i <= 3; i++) {
    const spans = Array.from({ length: 150 }, (_, k) =>
      protoSpan({
        traceId: Buffer.alloc(16, i),
        spanId: Buffer.from([i, 0, 0, 0, 0, 0, k >> 8, k & 255]),
        parentSpanId: Buffer.alloc(0),
        attributes: [
          { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
          { key: 'gen_ai.request.model', value: { stringValue: 'acme-llm-7b' } },
          { key: 'gen_ai.usage.input_tokens', value: { intValue: 1200 } },
          { key: 'gen_ai.usage.output_tokens', value: { intValue: 300 } },
        ],
      }),
    );
    await engine.pipeline.acceptTracesProtobuf(encodeTraceRequest(traceRequestObject(spans)));
  }
  await engine.store.flush();
  let second: Promise<number> | undefined;
  const first = engine.setPriceOverrides(ACME, (done) => {
    if (done === 200) second = engine.setPriceOverrides({ 'acme-llm-7b': { input: 2, output: 4 } });
  });
  assert.equal(await first, 200, 'cancelled after its first chunk');
  assert.equal(await second, 450);
  for (let i = 1; i <= 3; i++) assert.equal(engine.store.getSummary(traceIdOf(i))?.costUsd, Number((150 * 2 * ACME_COST).toPrecision(12)));
  assert.equal(engine.store.state.get('indexedWith')?.overrides['acme-llm-7b']?.input, 2);
});

test('a new built-in price table re-checks every stored call, and stores again only those whose cost changed', async (t) => {
  const store = storeDir(t);
  const tablePriced = await (async () => {
    const engine = await store.open();
    await engine.pipeline.acceptTracesProtobuf(modelCall(1, 'gpt-4o-mini'));
    await engine.pipeline.acceptTracesProtobuf(modelCall(2, 'gpt-4o-mini'));
    await engine.store.flush();
    const cost = await costs(engine, 1);
    await engine.close();
    return cost;
  })();
  // Both calls priced with an override, then a state file that says they follow the table of another
  // build and no overrides: what an update that changed the table finds, if its prices were the override's.
  const overridden = await store.open({ 'gpt-4o-mini': { input: 100, output: 100 } });
  assert.equal(await overridden.refreshed, 2);
  await overridden.close();
  const staleState = stateWith(store.dir, { overrides: {}, table: 'an older table' });

  const updated = await store.open();
  const before = updated.store.spanSeq(traceIdOf(2), spanIdOf(2));
  assert.equal(await updated.refreshed, 2, 'the overrides did not change: only the table check finds the stale costs');
  assert.deepEqual(await costs(updated, 1), tablePriced);
  assert.deepEqual(await costs(updated, 2), tablePriced);
  assert.notEqual(updated.store.spanSeq(traceIdOf(2), spanIdOf(2)), before);
  await updated.close();

  writeFileSync(join(store.dir, 'state.json'), staleState);
  const again = await store.open();
  const seq = again.store.spanSeq(traceIdOf(1), spanIdOf(1));
  assert.equal(await again.refreshed, 0, 'every cost is right already: none is stored again');
  assert.equal(again.store.spanSeq(traceIdOf(1), spanIdOf(1)), seq);
});

test('a store indexed by an older INDEX_DERIVATION is indexed again once: spans whose index changes are stored again, the others are not', async (t) => {
  const store = storeDir(t);
  const older = await store.open();
  // As an older build left it: a model call whose record holds its usage and whose index entry does
  // not (indexed without its LLM view), beside one indexed as this build does.
  const stale = modelCall(1, 'gpt-4o-mini');
  older.store.upsertOtlpSpans([{ otlp: splitTracesProtobuf(stale).records[0].otlp, fields: indexFieldsOf(decodeTracesProtobuf(stale).spans[0]) }]);
  await older.pipeline.acceptTracesProtobuf(modelCall(2, 'gpt-4o-mini'));
  await older.store.flush();
  assert.equal(older.store.getSummary(traceIdOf(1))?.inputTokens, 0);
  await older.close();
  stateWith(store.dir, { derivation: INDEX_DERIVATION - 1 });

  const updated = await store.open();
  const right = updated.store.spanSeq(traceIdOf(2), spanIdOf(2));
  assert.equal(await updated.refreshed, 1);
  assert.equal(updated.store.getSummary(traceIdOf(1))?.inputTokens, 1200);
  assert.deepEqual(await costs(updated, 1), await costs(updated, 2));
  assert.equal(updated.store.spanSeq(traceIdOf(2), spanIdOf(2)), right, 'a span whose index would not change is not stored again');
  await updated.close();

  const again = await store.open();
  assert.equal(await again.refreshed, 0, 'once');
});

test("INDEX_DERIVATION 11: a span stored before search text began with its session ids is found by them after the update; one without a session is not stored again", async (t) => {
  const store = storeDir(t);
  const older = await store.open();
  const turn = (byte: number, attributes: { key: string; value: { stringValue: string } }[]) =>
    encodeTraceRequest(traceRequestObject([protoSpan({ traceId: Buffer.alloc(16, byte), spanId: Buffer.alloc(8, byte), parentSpanId: Buffer.alloc(0), name: 'support turn', attributes })]));
  const conversation = [
    { key: 'session.id', value: { stringValue: 'Chat-1042' } },
    { key: 'user.id', value: { stringValue: 'cust-2207' } },
  ];
  // As the build before it indexed them: the same fields, without the ids in front of the search text
  // (a span other than a model call had none).
  for (const [byte, attributes] of [[1, conversation], [2, []]] as const) {
    const request = turn(byte, [...attributes]);
    const fields = indexFieldsOf(new SpanNormalizer().normalize(decodeTracesProtobuf(request).spans[0], []));
    older.store.upsertOtlpSpans([{ otlp: splitTracesProtobuf(request).records[0].otlp, fields: { ...fields, text: Buffer.alloc(0) } }]);
  }
  await older.store.flush();
  assert.equal(older.store.listTraces({ q: 'chat-1042' }).total, 0);
  await older.close();
  stateWith(store.dir, { derivation: 10 });

  const updated = await store.open();
  const without = updated.store.spanSeq(traceIdOf(2), spanIdOf(2));
  assert.equal(await updated.refreshed, 1, 'the span with a session, and only it, is stored again');
  assert.deepEqual(updated.store.listTraces({ q: 'chat-1042' }).traces.map((s) => s.traceId), [traceIdOf(1)]);
  assert.deepEqual(updated.store.listTraces({ q: 'CUST-2207' }).traces.map((s) => s.traceId), [traceIdOf(1)]);
  assert.equal(updated.store.spanSeq(traceIdOf(2), spanIdOf(2)), without);
  await updated.close();
});

test('a stored search text leads with the ids when it starts with them, or is all the trace budget left of them', () => {
  const ids = sessionSearchText({ id: 'Chat-1042', user: 'Zoë' });
  assert.equal(ids, 'Chat-1042\nZoë');
  assert.ok(searchTextLeads(Buffer.from('chat-1042\nzoë\ngpt-4o'), ids));
  assert.ok(searchTextLeads(Buffer.from('chat-1042\nzo'), ids), 'cut by the budget');
  assert.ok(!searchTextLeads(Buffer.alloc(0), ids), 'no text: as a span that is no model call was indexed before');
  assert.ok(!searchTextLeads(Buffer.from('gpt-4o\nhello'), ids), 'indexed before the ids led');
  assert.ok(!searchTextLeads(Buffer.from('chat-1042\nbob'), ids));
  assert.ok(searchTextLeads(Buffer.from('gpt-4o'), ''), 'a span without a session');
});

test('a record in state.json that is not well formed counts as none: every span is checked, and the record is written anew', async (t) => {
  const store = storeDir(t);
  const first = await store.open(ACME);
  await first.pipeline.acceptTracesProtobuf(modelCall(1, 'acme-llm-7b'));
  await first.store.flush();
  await first.close();
  // The last two match this build in all but their overrides, which alone would decide what to check.
  const current = { table: PRICE_TABLE_DIGEST, derivation: INDEX_DERIVATION };
  for (const garbage of ['not a record', { ...current, overrides: 'abc' }, { ...current, overrides: { 'acme-llm-7b': 'cheap' } }]) {
    const path = join(store.dir, 'state.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), indexedWith: garbage }));
    const engine = await store.open(ACME);
    assert.equal(await engine.refreshed, 0, JSON.stringify(garbage));
    assert.deepEqual(await costs(engine, 1), { list: ACME_COST, span: ACME_COST });
    assert.equal(engine.store.state.get('indexedWith')?.derivation, INDEX_DERIVATION);
    await engine.close();
  }
});

test('a span stored in contract form keeps the messages its log records gave it when it is priced again after a restart', async (t) => {
  const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/otlp', name), 'utf8');
  const store = storeDir(t);
  const first = await store.open();
  await first.pipeline.acceptLogs(decodeLogsJson(fixture('otel-genai-http-json-logs-1.json')));
  first.pipeline.acceptTraces(decodeTracesJson(fixture('otel-genai-http-json-traces-1.json')));
  await first.store.flush();
  const traceId = '427f80aefb52c61ab7a0ec1d08eb4888';
  const spanId = 'a13e1e65b453c629';
  const before = await first.store.getSpan(traceId, spanId);
  assert.ok(before?.llm?.inputMessages.length, 'the fixture gives the span its messages through log records');
  await first.close();

  // 26 input tokens at $1/M and 25 output tokens at $2/M.
  const reopened = await store.open({ 'gpt-4o-mini': { input: 1, output: 2 } });
  assert.ok((await reopened.refreshed) > 0);
  const after = await reopened.store.getSpan(traceId, spanId);
  assert.equal(after?.llm?.costUsd, 0.000076);
  assert.equal(reopened.store.getSummary(traceId)?.costUsd, 0.000076);
  assert.deepEqual([after?.llm?.inputMessages, after?.llm?.outputMessages], [before?.llm?.inputMessages, before?.llm?.outputMessages]);
});

