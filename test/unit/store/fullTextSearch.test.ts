// The search of all stored text: what the trace list's filter cannot find (the middle of a long
// prompt) is found in the records, as received over OTLP protobuf and after a restart; escaped JSON,
// letter case and ß spellings match; the format's own words do not; the search stops at its limit and
// when cancelled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IngestPipeline } from '../../../src/ingest/ingestPipeline';
import { SpanNormalizer } from '../../../src/ingest/normalizeSpan';
import type { Span } from '../../../src/protocol/model';
import { findTextInSpan, recordMayHold, snippetAt, textNeedle, type TextNeedle } from '../../../src/store/fullTextMatch';
import { encodeOtlpRecord, encodeRecord, lineWithNewline } from '../../../src/store/recordFormat';
import { encodeTraceRequest, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';
import { chat, openStore, span, tempStoreDir, text } from './storeFixtures';

function needle(typed: string): TextNeedle {
  const found = textNeedle(typed);
  assert.ok(found, typed);
  return found;
}

/** Python's json.dumps: every non-ASCII character as a \u escape. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function protobufExport(traceId: string, attributes: Record<string, string>): Buffer {
  return encodeTraceRequest(
    traceRequestObject([
      protoSpan({
        traceId: Buffer.from(traceId, 'hex'),
        attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } })),
      }),
    ]),
  );
}

test('a needle is tested against record bytes by its longest run that no JSON encoder escapes', () => {
  assert.equal(textNeedle('   '), undefined);
  assert.deepEqual(needle('  Refund Policy ').probes, ['refund policy']);
  assert.deepEqual(needle('Crème brûlée').probes, ['me br']);
  assert.deepEqual(needle('say "hi" to Ada').probes, [' to ada']);
  // No letter case: as UTF-8, or as \u escapes.
  assert.deepEqual(needle('東京').probes, [Buffer.from('東京').toString('latin1'), '\\u6771\\u4eac']);
  // Short runs between cased letters that may be escaped: no test of the bytes, every record is read.
  assert.equal(needle('Ünï').probes, undefined);
  assert.deepEqual(needle('Straße').spellings, ['straße', 'strasse']);
});

test('record bytes may hold the needle in any case, escaped as Python writes JSON, or in a base64 record', () => {
  const otlp = Buffer.from(`\n\x0fWeather in LISBON today`);
  const record = encodeOtlpRecord(1, otlp, []);
  assert.equal(recordMayHold(record, needle('lisbon')), true);
  assert.equal(recordMayHold(record, needle('porto')), false);
  const escaped = encodeOtlpRecord(2, Buffer.from(asciiJson([{ role: 'user', content: 'Une crème brûlée, 東京' }])), []);
  assert.equal(recordMayHold(escaped, needle('CRÈME BRÛLÉE')), true);
  assert.equal(recordMayHold(escaped, needle('東京')), true);
  const base64 = lineWithNewline(`{"seq":3,"otlp":"${otlp.toString('base64')}","logs":[]}`);
  assert.equal(recordMayHold(base64, needle('porto')), true, 'its text is not in its bytes: it is read back');
  const contract = lineWithNewline(encodeRecord(4, span({ traceId: 't', spanId: 's', name: 'say "hi" to Ada' })));
  assert.equal(recordMayHold(contract, needle('say "hi" to ada')), true);
});

test('a span holds the text in its messages, tool calls, attributes, events and resource, said where', () => {
  const call = chat({ traceId: 't', spanId: 'c', prompt: 'Is the Lisbon office open?', answer: 'Yes, until six.' });
  call.llm!.outputMessages[0].toolCalls = [{ name: 'office_hours', arguments: '{"city":"Porto"}' }];
  call.attributes = { 'app.ticket': 'TICKET-4471', 'app.attempt': 3 };
  call.events = [{ name: 'exception', timeUnixNano: '1', attributes: { 'exception.message': 'Quota exceeded for Acme' } }];
  call.resource = { 'service.name': 'front-desk' };
  const where = (typed: string) => findTextInSpan(call, needle(typed))?.where;
  assert.equal(where('lisbon office'), 'user message');
  assert.equal(where('UNTIL SIX'), 'answer');
  assert.equal(where('porto'), 'tool call office_hours');
  assert.equal(where('office_hours'), 'tool call');
  assert.equal(where('ticket-4471'), 'app.ticket');
  assert.equal(where('quota exceeded'), 'event exception');
  assert.equal(where('front-desk'), 'service.name');
  assert.equal(where('nowhere'), undefined);
});

test("the message formats' keys and fixed words are not text, nor is inline data", () => {
  const call = span({
    traceId: 't',
    spanId: 's',
    name: 'chat',
    attributes: {
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hello there' }] }]),
      'gen_ai.image': `data:image/png;base64,${'QUJD'.repeat(200)}userABC`,
      'app.token': `${'x'.repeat(300)}parts`,
    },
  });
  assert.equal(findTextInSpan(call, needle('user')), undefined, 'a role');
  assert.equal(findTextInSpan(call, needle('parts')), undefined, 'a key, and a long run without a space');
  assert.equal(findTextInSpan(call, needle('text')), undefined, 'a type');
  assert.equal(findTextInSpan(call, needle('hello there'))?.where, 'gen_ai.input.messages');
});

test('JSON nested deeper than the call stack goes is read without overflowing it', () => {
  const deep = `${'['.repeat(200_000)}"buried"${']'.repeat(200_000)}`;
  const call = span({ traceId: 't', spanId: 's', attributes: { 'app.deep': deep } });
  // JSON.parse itself may refuse that depth: then the string is matched as it is.
  assert.equal(findTextInSpan(call, needle('buried'))?.where, 'app.deep');
});

test('a snippet is the match with the words around it, on one line, cut with ellipses', () => {
  const long = `${'a '.repeat(50)}the\nNEEDLE\there${' b'.repeat(60)}`;
  const at = long.toLowerCase().indexOf('needle');
  const snippet = snippetAt(long, at, 6);
  assert.match(snippet, /^…a a .* the NEEDLE here b b .*…$/);
  assert.ok(snippet.length <= 40 + 6 + 80 + 2);
  assert.equal(snippetAt('short needle', 6, 6), 'short needle');
  // Not cut between the halves of an emoji.
  const emoji = `${'🙂'.repeat(30)}needle`;
  assert.ok(!/^…[\udc00-\udfff]/.test(snippetAt(emoji, emoji.indexOf('needle'), 6)));
});

test('the store finds text in the middle of a long prompt received as OTLP protobuf, which the list filter cannot', async (t) => {
  const dir = tempStoreDir(t);
  const normalizer = new SpanNormalizer();
  const options = { dir, deriveSpan: normalizer.normalize };
  const { store, errors } = await openStore(t, options);
  const pipeline = new IngestPipeline(store, normalizer);
  const traceId = 'ab'.repeat(16);
  const prompt = `Context: ${text(10_000)} The customer asked about a Crème Brûlée refund. ${text(10_000, 3)} Answer briefly.`;
  await pipeline.acceptTracesProtobuf(protobufExport(traceId, { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': asciiJson([{ role: 'user', content: prompt }]) }));
  assert.equal(store.listTraces({ q: 'crème brûlée' }).total, 0, 'the list filter indexes the edges of a long text only');

  const result = await store.searchText('CRÈME brûlée refund');
  assert.deepEqual(
    result.matches.map(({ traceId: id, where }) => [id, where]),
    [[traceId, 'user message']],
  );
  assert.match(result.matches[0].snippet, /^….* asked about a Crème Brûlée refund\. .*…$/);
  assert.equal(result.matches[0].spanName, 'chat gpt-4o-mini');
  assert.deepEqual([result.scannedSpans, result.totalSpans, result.stopped], [1, 1, undefined]);
  assert.equal((await store.searchText('Brûlée cake')).matches.length, 0);

  // Read from the segment file after a restart.
  await store.close();
  const { store: again } = await openStore(t, options);
  assert.equal((await again.searchText('crème brûlée')).matches.length, 1);
  assert.deepEqual(errors, []);
});

test('matches come newest trace first, up to the limit; a deleted trace is not searched', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  for (let i = 0; i < 6; i++) store.upsertSpans([chat({ traceId: `trace-${i}`, spanId: 'c', startMs: i * 10, prompt: `Refund order ${i}` })]);
  store.deleteTrace('trace-5');
  const result = await store.searchText('refund order', { limit: 3 });
  assert.deepEqual(
    result.matches.map((m) => m.traceId),
    ['trace-4', 'trace-3', 'trace-2'],
  );
  assert.equal(result.stopped, 'limit');
  const all = await store.searchText('refund order');
  assert.equal(all.matches.length, 5);
  assert.equal(all.stopped, undefined);
});

test('a search reports progress between batches, hands over each match as found, and stops when cancelled', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const spans: Span[] = [];
  for (let i = 0; i < 1200; i++) spans.push(chat({ traceId: `t${i}`, spanId: 'c', startMs: i, prompt: i % 100 === 0 ? 'needle here' : 'hay' }));
  store.upsertSpans(spans);
  await store.flush();
  const progress: [number, number][] = [];
  const found: string[] = [];
  const all = await store.searchText('needle', { onProgress: (scanned, total) => progress.push([scanned, total]), onMatch: (m) => found.push(m.traceId) });
  assert.equal(all.matches.length, 12);
  assert.deepEqual(found, all.matches.map((m) => m.traceId));
  assert.deepEqual(progress, [[512, 1200], [1024, 1200], [1200, 1200]]);

  const cancel = new AbortController();
  const cancelled = await store.searchText('needle', { signal: cancel.signal, onProgress: () => cancel.abort() });
  assert.equal(cancelled.stopped, 'cancelled');
  assert.equal(cancelled.scannedSpans, 512);
});
