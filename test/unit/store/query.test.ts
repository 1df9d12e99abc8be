import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutText, NO_TEXT, SEARCH_BYTES_PER_TRACE } from '../../../src/store/spanMeta';
import { chat, openStore, span, tempStoreDir, text } from './storeFixtures';

const ids = (list: { traceId: string }[]) => list.map((s) => s.traceId);

async function sampleStore(t: Parameters<typeof openStore>[0]) {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    span({ traceId: 'checkout-ok', spanId: 'r', name: 'POST /checkout', startMs: 100, service: 'shop', status: { code: 'OK' } }),
    chat({ traceId: 'checkout-ok', spanId: 'c', parentSpanId: 'r', startMs: 101, model: 'gpt-4o', prompt: 'Summarize the ORDER for Ada' }),
    span({ traceId: 'weather-err', spanId: 'r', name: 'agent', startMs: 200, service: 'bot', status: { code: 'ERROR' } }),
    chat({ traceId: 'weather-err', spanId: 'c', parentSpanId: 'r', startMs: 201, model: 'claude-sonnet-4', answer: 'It is sunny in Lisbon' }),
    span({ traceId: 'plain', spanId: 'r', name: 'cron cleanup', startMs: 300, service: 'shop' }),
  ]);
  return store;
}

test('traces are listed newest first by start time, ties by arrival', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([span({ traceId: 'late-arrival-old', spanId: 'a', startMs: 10 })]);
  store.upsertSpans([span({ traceId: 'first', spanId: 'a', startMs: 50 }), span({ traceId: 'second', spanId: 'a', startMs: 50 })]);
  store.upsertSpans([span({ traceId: 'newest', spanId: 'a', startMs: 90 })]);
  assert.deepEqual(ids(store.listTraces({}).traces), ['newest', 'second', 'first', 'late-arrival-old']);
  // A child that arrives first sets the start; its earlier parent moves the trace down the list.
  store.upsertSpans([span({ traceId: 'newest', spanId: 'root', startMs: 5 })]);
  assert.deepEqual(ids(store.listTraces({}).traces), ['second', 'first', 'late-arrival-old', 'newest']);
});

test('service, model and status filters match exactly', async (t) => {
  const store = await sampleStore(t);
  assert.deepEqual(ids(store.listTraces({ service: 'shop' }).traces), ['plain', 'checkout-ok']);
  assert.deepEqual(ids(store.listTraces({ service: 'sho' }).traces), []);
  assert.deepEqual(ids(store.listTraces({ model: 'claude-sonnet-4' }).traces), ['weather-err']);
  assert.deepEqual(ids(store.listTraces({ status: 'ERROR' }).traces), ['weather-err']);
  assert.deepEqual(ids(store.listTraces({ status: 'UNSET' }).traces), ['plain']);
  assert.deepEqual(store.listTraces({ service: 'shop', status: 'OK' }).total, 1);
});

test('model filter also matches the requested model when the response names a snapshot', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', llm: { requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06' } })]);
  assert.deepEqual(ids(store.listTraces({ model: 'gpt-4o' }).traces), ['a']);
  assert.deepEqual(ids(store.listTraces({ model: 'gpt-4o-2024-08-06' }).traces), ['a']);
});

test('text search is case-insensitive over span names, message content and models', async (t) => {
  const store = await sampleStore(t);
  assert.deepEqual(ids(store.listTraces({ q: 'post /checkout' }).traces), ['checkout-ok'], 'span name');
  assert.deepEqual(ids(store.listTraces({ q: 'order for ada' }).traces), ['checkout-ok'], 'user message');
  assert.deepEqual(ids(store.listTraces({ q: 'LISBON' }).traces), ['weather-err'], 'assistant answer');
  assert.deepEqual(ids(store.listTraces({ q: 'sonnet' }).traces), ['weather-err'], 'model');
  assert.deepEqual(ids(store.listTraces({ q: 'nothing like this' }).traces), []);
});

test('text search finds ß written as SS, and ss written as ß', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    chat({ traceId: 'sharp', spanId: 'c', startMs: 100, model: 'gpt-4o', prompt: 'Wie komme ich zur Hauptstraße?' }),
    chat({ traceId: 'upper', spanId: 'c', startMs: 200, model: 'gpt-4o', prompt: 'ADRESSE: HAUPTSTRASSE 5' }),
  ]);
  assert.deepEqual(ids(store.listTraces({ q: 'HAUPTSTRASSE' }).traces), ['upper', 'sharp']);
  assert.deepEqual(ids(store.listTraces({ q: 'hauptstraße' }).traces), ['upper', 'sharp']);
  assert.deepEqual(ids(store.listTraces({ q: 'adresse' }).traces), ['upper'], 'a word with ss that is not ß still matches as typed');
});

test("text search also finds a trace by a service it passed through, not only its root's", async (t) => {
  const store = await sampleStore(t);
  store.upsertSpans([span({ traceId: 'weather-err', spanId: 'g', parentSpanId: 'r', name: 'GET /forecast', startMs: 202, service: 'Geo-API' })]);
  assert.deepEqual(ids(store.listTraces({ q: 'SHO' }).traces), ['plain', 'checkout-ok']);
  assert.deepEqual(ids(store.listTraces({ q: 'geo-api' }).traces), ['weather-err']);
  assert.deepEqual(ids(store.listTraces({ q: 'bot' }).traces), ['weather-err']);
});

test('search matches non-ASCII text in any case, also once the store reopened', async (t) => {
  const dir = tempStoreDir(t);
  const first = await openStore(t, { dir });
  first.store.upsertSpans([chat({ traceId: 'fr', spanId: 'c', prompt: 'Mon RÉSUMÉ, le 注文 🙂 und die Größe' })]);
  first.store.upsertSpans([chat({ traceId: 'en', spanId: 'c', prompt: 'my resume' })]);
  await first.store.close();
  const { store } = await openStore(t, { dir });
  for (const q of ['résumé', 'RÉSUMÉ', '注文', '🙂', 'GRÖSSE'.toLowerCase().replace('ss', 'ß'), 'größe']) {
    assert.deepEqual(ids(store.listTraces({ q }).traces), ['fr'], q);
  }
  assert.deepEqual(ids(store.listTraces({ q: 'resume' }).traces), ['en'], 'bytes match bytes: no accent folding');
});

test('the per-trace search budget counts UTF-8 bytes', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // Each span's search text is its model, its prompt (150 three-byte characters and a marker) and its answer.
  const cjk = '注'.repeat(150);
  const perSpan = Buffer.byteLength(`gpt-4o-mini\n${cjk} m0x\nhi there`);
  const spans = Math.ceil((SEARCH_BYTES_PER_TRACE / 160) * 1.2);
  store.upsertSpans(Array.from({ length: spans }, (_, i) => chat({ traceId: 'cjk', spanId: `c${i}`, startMs: i, prompt: `${cjk} m${i}x` })));
  const found = Array.from({ length: spans }, (_, i) => i).filter((i) => store.listTraces({ q: `m${i}x` }).total === 1);
  // Counted in characters, all of them (160 characters each) would fit.
  assert.ok(spans * 160 < SEARCH_BYTES_PER_TRACE * 1.25 && spans * perSpan > SEARCH_BYTES_PER_TRACE);
  assert.deepEqual(found, Array.from({ length: Math.floor(SEARCH_BYTES_PER_TRACE / perSpan) }, (_, i) => i));
});

test('search text is cut between UTF-8 characters, never inside one', () => {
  const text = Buffer.from('a注🙂');
  assert.deepEqual([1, 2, 3, 4, 5, 7, 8, 9].map((budget) => cutText(text, budget).toString()), ['a', 'a', 'a', 'a注', 'a注', 'a注', 'a注🙂', 'a注🙂']);
  assert.equal(cutText(text, 0), NO_TEXT);
  assert.equal(cutText(text, -5), NO_TEXT);
});

test("search text per trace is bounded: a long message's start and end are indexed, not its middle", async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([chat({ traceId: 'long', spanId: 'c', prompt: `needle-at-start ${text(10_000)} needle-in-middle ${text(10_000)} needle-at-end` })]);
  assert.equal(store.listTraces({ q: 'needle-at-start' }).total, 1);
  // A RAG prompt asks its question after the context.
  assert.equal(store.listTraces({ q: 'needle-at-end' }).total, 1);
  assert.equal(store.listTraces({ q: 'needle-in-middle' }).total, 0);
});

test('offset and limit page through the list; total counts every match', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  for (let i = 0; i < 250; i++) store.upsertSpans([span({ traceId: `t${String(i).padStart(3, '0')}`, spanId: 'a', startMs: i })]);
  const first = store.listTraces({});
  assert.equal(first.traces.length, 100, 'default limit');
  assert.equal(first.total, 250);
  assert.equal(first.traces[0].traceId, 't249');
  const page = store.listTraces({ offset: 240, limit: 20 });
  assert.deepEqual(ids(page.traces), ['t009', 't008', 't007', 't006', 't005', 't004', 't003', 't002', 't001', 't000']);
  assert.equal(store.listTraces({ limit: 5000 }).traces.length, 250, 'limit is capped at 1000, not an error');
  const filtered = store.listTraces({ q: 'span a', offset: 10, limit: 5 });
  assert.equal(filtered.total, 250);
  assert.equal(filtered.traces[0].traceId, 't239');
});

test('getTrace returns spans in tree order: parents first, siblings by start, orphans as roots', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans([
    span({ traceId: 'a', spanId: 'tool', parentSpanId: 'agent', startMs: 30 }),
    span({ traceId: 'a', spanId: 'llm2', parentSpanId: 'agent', startMs: 40 }),
    span({ traceId: 'a', spanId: 'llm1', parentSpanId: 'agent', startMs: 10 }),
    span({ traceId: 'a', spanId: 'http', parentSpanId: 'llm1', startMs: 11 }),
    span({ traceId: 'a', spanId: 'orphan', parentSpanId: 'never-arrived', startMs: 5 }),
    span({ traceId: 'a', spanId: 'agent', startMs: 0 }),
  ]);
  const trace = await store.getTrace('a');
  assert.deepEqual(trace?.spans.map((s) => s.spanId), ['agent', 'llm1', 'http', 'tool', 'llm2', 'orphan']);
  assert.equal(trace?.summary.rootName, 'span agent');
  assert.equal(await store.getTrace('missing'), undefined);
  assert.equal(await store.getSpan('a', 'missing'), undefined);
});

test('siblings that start in the same millisecond: the one that ended first comes first (a quick tool before the call that read it)', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  // As the JavaScript SDK records them: starts in whole milliseconds; ids that sort the other way.
  store.upsertSpans([
    span({ traceId: 'a', spanId: 'root', startMs: 0, endMs: 30 }),
    span({ traceId: 'a', spanId: 'a-chat', parentSpanId: 'root', startMs: 20, endMs: 29 }),
    span({ traceId: 'a', spanId: 'z-tool', parentSpanId: 'root', startMs: 20, endMs: 20.08 }),
  ]);
  assert.deepEqual((await store.getTrace('a'))?.spans.map((s) => s.spanId), ['root', 'z-tool', 'a-chat']);
});

test('getTrace with a head hands over the first spans before reading the rest; together they are the whole trace', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertSpans(Array.from({ length: 50 }, (_, i) => span({ traceId: 'a', spanId: `s${i}`, parentSpanId: i ? 's0' : undefined, startMs: i })));
  store.upsertSpans([span({ traceId: 'small', spanId: 'x' })]);
  const heads: string[][] = [];
  let resolved = false;
  const pending = store.getTrace('a', {
    spans: 10,
    deliver: (head) => {
      assert.equal(resolved, false, 'the head comes before the whole trace');
      heads.push(head.spans.map((s) => s.spanId));
    },
  });
  const whole = await pending.then((d) => ((resolved = true), d));
  assert.deepEqual(heads, [whole!.spans.slice(0, 10).map((s) => s.spanId)]);
  assert.deepEqual(whole, await store.getTrace('a'));
  // A trace that is not big enough comes in one piece.
  await store.getTrace('small', { spans: 10, deliver: () => assert.fail('no head for a small trace') });
});

test('getTrace reads spans back from disk once they left the cache', async (t) => {
  const dir = tempStoreDir(t);
  const { store } = await openStore(t, { dir, cacheBytes: 1 });
  store.upsertSpans([chat({ traceId: 'a', spanId: 'c', prompt: 'from disk' }), span({ traceId: 'a', spanId: 'r' })]);
  await store.flush();
  const trace = await store.getTrace('a');
  assert.equal(trace?.spans.length, 2);
  assert.equal((await store.getSpan('a', 'c'))?.llm?.inputMessages[0].content, 'from disk');
});

test('health and stats report the counts', async (t) => {
  const store = await sampleStore(t);
  assert.deepEqual(store.health('1.2.3'), { ok: true, version: '1.2.3', spans: 5, traces: 3 });
  const stats = store.stats();
  assert.equal(stats.spans, 5);
  assert.ok(stats.bytes > 0);
});

test("an agent's trace is found by its final answer after ten model calls and their tools, and a tool span by its arguments and result", async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const steps = Array.from({ length: 10 }, (_, i) => [
    chat({ traceId: 'agent', spanId: `c${i}`, startMs: 2 * i, prompt: `${text(2000)} step ${i}`, answer: i === 9 ? 'FINALANSWER: Marseille is larger' : `${text(600)} call the search tool` }),
    span({
      traceId: 'agent',
      spanId: `t${i}`,
      startMs: 2 * i + 1,
      name: 'execute_tool web_search',
      llm: { operation: 'tool', tool: { name: 'web_search', arguments: `{"query":"population of city ${i}"}`, result: `${text(800)} result ${i}` }, inputMessages: [], outputMessages: [] },
    }),
  ]).flat();
  store.upsertSpans(steps);
  assert.equal(store.listTraces({ q: 'finalanswer: marseille' }).total, 1, 'the last model call still had budget');
  assert.equal(store.listTraces({ q: 'population of city 7' }).total, 1, "a tool span's arguments");
  assert.equal(store.listTraces({ q: 'result 3' }).total, 1, "a tool span's result (its end)");
});
