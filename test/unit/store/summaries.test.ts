import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSpanRows, parseNano, spanRowFromIndex } from '../../../src/views/spanRows';
import { chat, openStore, span, tempStoreDir } from './storeFixtures';

test('root is the earliest span without a parent, even when the parent arrives after its child', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([span({ traceId: 'a', spanId: 'child', parentSpanId: 'root', name: 'llm call', startMs: 5, endMs: 20 })]);
  assert.equal(store.getSummary('a')?.rootName, 'llm call', 'an orphan stands in for the root until it arrives');
  store.upsertSpans([span({ traceId: 'a', spanId: 'root', name: 'POST /chat', startMs: 0, endMs: 30, service: 'api' })]);
  const summary = store.getSummary('a');
  assert.equal(summary?.rootName, 'POST /chat');
  assert.equal(summary?.serviceName, 'api');
  assert.equal(summary?.spanCount, 2);
  assert.equal(summary?.durationMs, 30);
  assert.equal(summary?.startTimeUnixNano, span({ traceId: 'a', spanId: 'x', startMs: 0 }).startTimeUnixNano);
});

test('spans arriving in any order over many batches give the same summary', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const spans = [
    span({ traceId: 'a', spanId: 'r', name: 'agent run', startMs: 0, endMs: 100 }),
    chat({ traceId: 'a', spanId: 'c1', parentSpanId: 'r', startMs: 10, endMs: 40, input: 100, output: 10 }),
    span({ traceId: 'a', spanId: 't1', parentSpanId: 'r', name: 'get_weather', startMs: 41, endMs: 50, llm: { operation: 'tool' } }),
    chat({ traceId: 'a', spanId: 'c2', parentSpanId: 'r', startMs: 51, endMs: 99, input: 150, output: 20 }),
  ];
  for (const s of [...spans].reverse()) store.upsertSpans([s]);
  const summary = store.getSummary('a');
  assert.equal(summary?.rootName, 'agent run');
  assert.equal(summary?.llmCallCount, 2, 'the tool span is not a model call');
  assert.equal(summary?.inputTokens, 250);
  assert.equal(summary?.outputTokens, 30);
});

test('a re-sent span replaces the earlier version and is counted once', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', input: 10, output: 1, answer: 'first' })]);
  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', input: 12, output: 3, answer: 'second', status: { code: 'ERROR' } })]);
  const summary = store.getSummary('a');
  assert.equal(summary?.spanCount, 1);
  assert.equal(summary?.llmCallCount, 1);
  assert.equal(summary?.inputTokens, 12);
  assert.equal(summary?.outputTokens, 3);
  assert.equal(summary?.status, 'ERROR');
  const stored = await store.getSpan('a', 'c');
  assert.equal(stored?.llm?.outputMessages[0].content, 'second');
  assert.equal(store.stats().spans, 1);
});

test('Vercel AI outer and doGenerate spans count the call and its tokens once', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // The inner span ends first, so it arrives first: the outer must learn it has a counted call below.
  store.upsertSpans([
    chat({ traceId: 'v', spanId: 'inner', parentSpanId: 'outer', name: 'ai.generateText.doGenerate', input: 40, output: 8, cost: 0.002 }),
  ]);
  store.upsertSpans([chat({ traceId: 'v', spanId: 'outer', name: 'ai.generateText', input: 40, output: 8, cost: 0.002 })]);
  const summary = store.getSummary('v');
  assert.equal(summary?.llmCallCount, 1);
  assert.equal(summary?.inputTokens, 40);
  assert.equal(summary?.outputTokens, 8);
  assert.equal(summary?.costUsd, 0.002);
});

test('a multi-step outer span counts each step, not its total', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([chat({ traceId: 'v', spanId: 'outer', name: 'ai.generateText', input: 70, output: 15 })]);
  store.upsertSpans([
    chat({ traceId: 'v', spanId: 'step1', parentSpanId: 'outer', name: 'ai.generateText.doGenerate', input: 30, output: 5 }),
    chat({ traceId: 'v', spanId: 'step2', parentSpanId: 'outer', name: 'ai.generateText.doGenerate', input: 40, output: 10 }),
  ]);
  const summary = store.getSummary('v');
  assert.equal(summary?.llmCallCount, 2);
  assert.equal(summary?.inputTokens, 70);
  assert.equal(summary?.outputTokens, 15);
});

test('a nested call two levels down (through a non-llm span) still shadows the outer call', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    chat({ traceId: 'n', spanId: 'leaf', parentSpanId: 'mid', input: 5, output: 5 }),
    chat({ traceId: 'n', spanId: 'top', input: 5, output: 5 }),
  ]);
  assert.equal(store.getSummary('n')?.inputTokens, 10, 'until "mid" arrives the two look independent');
  store.upsertSpans([span({ traceId: 'n', spanId: 'mid', parentSpanId: 'top', name: 'retry wrapper' })]);
  const summary = store.getSummary('n');
  assert.equal(summary?.llmCallCount, 1);
  assert.equal(summary?.inputTokens, 5);
});

test('a re-sent span that loses its usage gives the count back to its parent', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    chat({ traceId: 'a', spanId: 'outer', input: 9, output: 9 }),
    chat({ traceId: 'a', spanId: 'inner', parentSpanId: 'outer', input: 4, output: 4 }),
  ]);
  assert.equal(store.getSummary('a')?.inputTokens, 4);
  store.upsertSpans([chat({ traceId: 'a', spanId: 'inner', parentSpanId: 'outer' })]);
  assert.equal(store.getSummary('a')?.inputTokens, 9);
});

test('cost is absent when no call has a known price, and sums the known ones otherwise', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([chat({ traceId: 'unknown', spanId: 'c', model: 'my-local-model', input: 10, output: 10 })]);
  const unknown = store.getSummary('unknown');
  assert.ok(unknown && !('costUsd' in unknown), 'no misleading zero');
  store.upsertSpans([
    chat({ traceId: 'known', spanId: 'a', input: 10, output: 10, cost: 0.1 }),
    chat({ traceId: 'known', spanId: 'b', input: 10, output: 10, cost: 0.2 }),
    chat({ traceId: 'known', spanId: 'c', model: 'my-local-model', input: 10, output: 10 }),
  ]);
  assert.equal(store.getSummary('known')?.costUsd, 0.3);
});

test('calls left out of the cost are counted: with tokens and no price; a call without tokens (it failed) costs nothing', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    chat({ traceId: 'mixed', spanId: 'a', input: 10, output: 10, cost: 0.1 }),
    chat({ traceId: 'mixed', spanId: 'b', model: 'my-finetune-v2', input: 10, output: 10 }),
    chat({ traceId: 'mixed', spanId: 'c', model: 'my-finetune-v2' }),
  ]);
  assert.equal(store.getSummary('mixed')?.unpricedCallCount, 1);
  // Priced after all (an override): the count goes.
  store.upsertSpans([chat({ traceId: 'mixed', spanId: 'b', model: 'my-finetune-v2', input: 10, output: 10, cost: 0.05 })]);
  assert.ok(!('unpricedCallCount' in store.getSummary('mixed')!));
  assert.equal(store.getSummary('mixed')?.costUsd, 0.15);
});

test('status is ERROR if any span failed, else OK if any span is OK, else UNSET', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    span({ traceId: 'unset', spanId: 'a' }),
    span({ traceId: 'ok', spanId: 'a' }),
    span({ traceId: 'ok', spanId: 'b', status: { code: 'OK' } }),
    span({ traceId: 'err', spanId: 'a', status: { code: 'OK' } }),
    span({ traceId: 'err', spanId: 'b', status: { code: 'ERROR', message: 'rate limited' } }),
  ]);
  assert.equal(store.getSummary('unset')?.status, 'UNSET');
  assert.equal(store.getSummary('ok')?.status, 'OK');
  assert.equal(store.getSummary('err')?.status, 'ERROR');
});

test('models lists each distinct response model (else request model) once', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    chat({ traceId: 'm', spanId: 'a', llm: { requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' } }),
    chat({ traceId: 'm', spanId: 'b', llm: { requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' } }),
    chat({ traceId: 'm', spanId: 'c', llm: { requestModel: 'claude-sonnet-4', responseModel: undefined } }),
    span({ traceId: 'm', spanId: 'd', llm: { operation: 'embeddings', requestModel: 'text-embedding-3-small' } }),
  ]);
  assert.deepEqual(store.getSummary('m')?.models, ['gpt-4o-2024-08-06', 'claude-sonnet-4', 'text-embedding-3-small']);
  assert.equal(store.getSummary('m')?.llmCallCount, 4, 'embeddings are model calls too');
});

test("an agent run's or a step's model (the one asked for) is listed only where no model call below says what answered", async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // The Vercel AI SDK 7's OpenTelemetry integration: invoke_agent (gpt-4o-mini, the run's usage) →
  // agent_step → chat, each answered by gpt-4o-mini-2024-07-18. The calls arrive before their run.
  const run = { requestModel: 'gpt-4o-mini', responseModel: undefined };
  const call = { requestModel: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18' };
  store.upsertSpans([
    span({ traceId: 'v7', spanId: 'step1', parentSpanId: 'agent', llm: { operation: 'workflow' } }),
    chat({ traceId: 'v7', spanId: 'c1', parentSpanId: 'step1', input: 20, output: 8, llm: call }),
  ]);
  store.upsertSpans([chat({ traceId: 'v7', spanId: 'agent', input: 60, output: 29, llm: { operation: 'agent', ...run } })]);
  store.upsertSpans([
    span({ traceId: 'v7', spanId: 'step2', parentSpanId: 'agent', llm: { operation: 'workflow' } }),
    chat({ traceId: 'v7', spanId: 'c2', parentSpanId: 'step2', input: 40, output: 21, llm: call }),
  ]);
  assert.deepEqual(store.getSummary('v7')?.models, ['gpt-4o-mini-2024-07-18']);
  // A run whose calls say nothing of their model (or have not arrived yet) is listed by its own.
  store.upsertSpans([chat({ traceId: 'alone', spanId: 'agent', input: 60, output: 29, llm: { operation: 'agent', ...run } })]);
  assert.deepEqual(store.getSummary('alone')?.models, ['gpt-4o-mini']);
  store.upsertSpans([chat({ traceId: 'alone', spanId: 'c1', parentSpanId: 'agent', input: 60, output: 29, llm: call })]);
  assert.deepEqual(store.getSummary('alone')?.models, ['gpt-4o-mini-2024-07-18'], 'its call, once it arrives, says what answered');
});

test("an AG2 conversation's comma-joined models are each a model of the trace", async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // AG2 records no model call spans: its conversation span names every model that answered, joined.
  store.upsertSpans([chat({ traceId: 'ag2', spanId: 'conv', input: 300, output: 90, llm: { operation: 'agent', requestModel: undefined, responseModel: 'gpt-4o-mini, claude-3-5-haiku-20241022' } })]);
  assert.deepEqual(store.getSummary('ag2')?.models, ['gpt-4o-mini', 'claude-3-5-haiku-20241022']);
  assert.deepEqual(store.listTraces({ model: 'claude-3-5-haiku-20241022' }).traces.map((s) => s.traceId), ['ag2']);
});

test('a 10k-span trace arriving one span at a time, children before parents, sums up right', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // Children end (and arrive) before their parent: the worst case for root tracking.
  for (let i = 9_999; i >= 0; i--) {
    const parentSpanId = i === 0 ? undefined : `s${Math.floor((i - 1) / 4)}`;
    store.upsertSpans([chat({ traceId: 'big', spanId: `s${i}`, parentSpanId, startMs: i, endMs: i + 1, input: 1, output: 1 })]);
    store.getSummary('big');
  }
  const summary = store.getSummary('big');
  assert.equal(summary?.spanCount, 10_000);
  assert.equal(summary?.rootName, 'span s0');
  // Only leaves (spans with no model call below them) count: in a 4-ary heap of 10k, 7500 leaves.
  assert.equal(summary?.llmCallCount, 7_500);
  assert.equal(summary?.inputTokens, 7_500);
});

test("an agent's reported total counts where its model calls report no usage, and only there", async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // Logfire's Claude Agent SDK integration: the run's usage on invoke_agent, none on its chat spans.
  const agent = (traceId: string) =>
    chat({ traceId, spanId: 'agent', name: 'invoke_agent', model: 'claude-sonnet-4', input: 900, output: 60, cost: 0.0036, llm: { operation: 'agent' } });
  store.upsertSpans([
    agent('claude'),
    chat({ traceId: 'claude', spanId: 'c1', parentSpanId: 'agent', model: 'claude-sonnet-4' }),
    chat({ traceId: 'claude', spanId: 'c2', parentSpanId: 'agent', model: 'claude-sonnet-4' }),
  ]);
  const claude = store.getSummary('claude');
  assert.deepEqual([claude?.llmCallCount, claude?.inputTokens, claude?.outputTokens, claude?.costUsd], [2, 900, 60, 0.0036]);

  // Strands: the run's total on invoke_agent and each call's own usage. The agent arrives first (spans
  // are exported as they end, but over several exports in any order), then its calls take over.
  store.upsertSpans([agent('strands')]);
  assert.equal(store.getSummary('strands')?.inputTokens, 900, 'until its calls arrive, the total is all there is');
  store.upsertSpans([
    chat({ traceId: 'strands', spanId: 'c1', parentSpanId: 'agent', model: 'claude-sonnet-4', input: 400, output: 20, cost: 0.0015 }),
    chat({ traceId: 'strands', spanId: 'c2', parentSpanId: 'agent', model: 'claude-sonnet-4', input: 500, output: 40, cost: 0.0021 }),
  ]);
  const strands = store.getSummary('strands');
  assert.deepEqual([strands?.llmCallCount, strands?.inputTokens, strands?.outputTokens], [2, 900, 60]);
  assert.ok(Math.abs(strands!.costUsd! - 0.0036) < 1e-12, 'counted once, from the calls');
});

test('a span without a start time (an exporter left it unset) neither starts its trace in 1970 nor stretches it', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const root = span({ traceId: 'a', spanId: 'r', name: 'POST /chat', startMs: 0, endMs: 30 });
  const unset = { ...span({ traceId: 'a', spanId: 'u', parentSpanId: 'r', name: 'no start', startMs: 10, endMs: 20 }), startTimeUnixNano: '0', durationMs: 0 };
  store.upsertSpans([unset]);
  assert.equal(store.getSummary('a')?.startTimeUnixNano, unset.endTimeUnixNano, 'alone, it sits at its end');
  store.upsertSpans([root]);
  let summary = store.getSummary('a');
  assert.equal(summary?.startTimeUnixNano, root.startTimeUnixNano);
  assert.equal(summary?.durationMs, 30);
  // Re-sent with a later end, it still does not move the trace's start.
  store.upsertSpans([{ ...unset, endTimeUnixNano: span({ traceId: 'a', spanId: 'x', endMs: 25 }).endTimeUnixNano }]);
  summary = store.getSummary('a');
  assert.equal(summary?.startTimeUnixNano, root.startTimeUnixNano);
  assert.equal(summary?.durationMs, 30);
  // The tree: the span sits at its end, with no duration, from the index as from the span.
  const indexed = store.getTraceIndex('a');
  const base = parseNano(root.startTimeUnixNano);
  const row = indexed?.spans.map((s) => spanRowFromIndex(s, base)).find((r) => r.spanId === 'u');
  assert.deepEqual([row?.startOffsetMs, row?.durationMs], [25, 0]);
  const detail = await store.getTrace('a');
  assert.deepEqual(buildSpanRows(detail!.spans, root.startTimeUnixNano).find((r) => r.spanId === 'u'), row);
});
