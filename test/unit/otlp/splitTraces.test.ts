// The ingest hot path's decoder: every stored span must decode back to exactly what a full decode of
// the original request gives, and the preview must differ from it only by the long strings left out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { frameSpans, previewTracesProtobuf, PREVIEW_STRING_BYTES, SpanRecordReader, splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { OtlpDecodeError, type RawSpan } from '../../../src/otlp/types';
import { PREVIEW_KEPT_WHOLE } from '../../../src/ingest/indexTraces';
import { buildRequest } from '../../../bench/ingestPayloads';
import { deeplyNestedProtobufTraceRequest, encodeTraceRequest, protoSpan, traceRequestObject } from './otlpPayloads';

const FIXTURES = join(__dirname, '../../fixtures/otlp');

/** Real captures (every convention) plus the benchmark's agent traces with multi-KB messages. */
const payloads: [string, Buffer][] = [
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith('-traces-1.bin') || /vercel.*traces-\d\.bin$/.test(f))
    .map((f): [string, Buffer] => [f, readFileSync(join(FIXTURES, f))]),
  ['bench request 0', buildRequest(0)],
];

function withoutLongStrings(span: RawSpan): RawSpan {
  const trim = (attrs: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(attrs).map(([k, v]) => [
        k,
        typeof v === 'string' && Buffer.byteLength(v) > PREVIEW_STRING_BYTES && !PREVIEW_KEPT_WHOLE.has(k) ? '' : v,
      ]),
    );
  return {
    ...span,
    attributes: trim(span.attributes) as RawSpan['attributes'],
    events: span.events.map((e) => ({ ...e, attributes: trim(e.attributes) as RawSpan['attributes'] })),
  };
}

for (const [name, payload] of payloads) {
  test(`${name}: each stored span decodes to the full decode's span; the preview lacks only long strings`, () => {
    const full = decodeTracesProtobuf(payload);
    const split = splitTracesProtobuf(payload, { keptWhole: PREVIEW_KEPT_WHOLE });
    assert.equal(split.records.length, full.spans.length);
    assert.equal(split.rejected, full.rejected);
    const reader = new SpanRecordReader();
    split.records.forEach((record, i) => {
      const alone = decodeTracesProtobuf(record.otlp);
      assert.deepEqual(alone.spans, [full.spans[i]]);
      // …and so does the store's reader, which decodes each resource and scope once.
      assert.deepEqual(reader.read(record.otlp), full.spans[i]);
      assert.deepEqual(record.preview, withoutLongStrings(full.spans[i]));
    });
  });
}

test('records cut from a layout out of a copy of the bytes (as the main thread does) equal the split; absent resource and scope stay absent', () => {
  const payload = encodeTraceRequest({
    resourceSpans: [
      { scopeSpans: [{ spans: [protoSpan({ name: 'bare' })] }] },
      ...(traceRequestObject([protoSpan({ name: 'dressed' })]) as { resourceSpans: object[] }).resourceSpans,
    ],
  });
  const { layout } = previewTracesProtobuf(payload, () => undefined);
  assert.deepEqual([...layout.subarray(0, 4)], [-1, -1, -1, -1]);
  const room = { head: 3, tail: 1 };
  const copy = Buffer.from(payload);
  const records = frameSpans(copy, layout, room);
  assert.deepEqual(
    records.map((r) => Buffer.from(r)),
    splitTracesProtobuf(payload, { room }).records.map((r) => Buffer.from(r.otlp)),
  );
  assert.deepEqual(
    records.map((r) => decodeTracesProtobuf(r).spans),
    decodeTracesProtobuf(payload).spans.map((s) => [s]),
  );
  assert.equal(records[1].byteOffset - records[0].byteOffset, records[0].length + room.head + room.tail);
});

test('long strings leave their start and end as search text, with JSON escapes undone', () => {
  const messages = JSON.stringify([{ role: 'user', content: `Caf\u00e9 "first" ${'x'.repeat(2000)} last question?` }])
    .replace('é', '\\u00e9');
  const span = protoSpan({ attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: messages } }] });
  const [record] = splitTracesProtobuf(encodeTraceRequest(traceRequestObject([span]))).records;
  assert.equal(record.preview.attributes['gen_ai.input.messages'], '');
  assert.equal(record.texts.length, 1);
  assert.match(record.texts[0], /^\[\{"role":"user","content":"Café "first" x+ … x+ last question\?"\}\]$/);
});

test("a long conversation's search text has its latest user turn, wherever it is, and 200 characters of escaped text at each end", () => {
  const system = 'You are the support desk of a train company. '.repeat(60);
  const question = 'Is the 9:12 to Lyon on time?';
  const toolResult = 'Delayed 14 minutes, platform 7. '.repeat(40);
  const conversation = [
    { role: 'system', parts: [{ type: 'text', content: system }] },
    { role: 'user', parts: [{ type: 'text', content: question }] },
    { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'timetable', arguments: { train: '9:12' } }] },
    { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: toolResult }] },
  ];
  const russian = 'Сколько стоит доставка в Новосибирск для заказа номер сорок два?';
  // Python's json.dumps, with its spaces and ensure_ascii: every Cyrillic letter is 6 bytes.
  const python = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/":/g, '": ');
  const texts = (attributes: Record<string, string>) => {
    const span = protoSpan({ attributes: Object.entries(attributes).map(([key, stringValue]) => ({ key, value: { stringValue } })) });
    return splitTracesProtobuf(encodeTraceRequest(traceRequestObject([span]))).records[0].texts;
  };
  const [agent] = texts({ 'gen_ai.input.messages': JSON.stringify(conversation) });
  assert.ok(agent.includes(question), agent.slice(0, 300));
  const [escaped] = texts({ 'gen_ai.input.messages': python([{ role: 'system', content: system }, { role: 'user', content: russian }]) });
  assert.ok(escaped.includes(russian), escaped.slice(-300));
});

test('each preview is handed over as the walk finds it, before the walk reads the next span', () => {
  const span = (i: number) => protoSpan({ spanId: Buffer.alloc(8, i), name: `span ${i}` });
  const resourceSpans = (spans: object[]) => (traceRequestObject(spans) as { resourceSpans: object[] }).resourceSpans;
  const bytes = encodeTraceRequest({ resourceSpans: [...resourceSpans([span(1), span(2)]), ...resourceSpans([span(3)])] });
  // Cut inside the second ResourceSpans: the walk throws there, after handing over the first one's spans.
  const cut = bytes.subarray(0, bytes.length - 20);
  const seen: string[] = [];
  assert.throws(() => previewTracesProtobuf(cut, ({ preview }) => seen.push(preview.name)), OtlpDecodeError);
  assert.deepEqual(seen, ['span 1', 'span 2']);
});

test('what the consumer of the previews throws comes out as it is, not as a malformed request', () => {
  const failure = new Error('the consumer failed');
  assert.throws(
    () =>
      previewTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan()])), () => {
        throw failure;
      }),
    (err) => err === failure,
  );
});

test('invalid ids are rejected per span, as by the full decoder', () => {
  const good = protoSpan();
  const bad = protoSpan({ spanId: new Uint8Array(8) });
  const split = splitTracesProtobuf(encodeTraceRequest(traceRequestObject([bad, good])));
  assert.equal(split.records.length, 1);
  assert.equal(split.rejected, 1);
  assert.match(split.errors[0], /span_id/);
});

test('malformed bytes throw OtlpDecodeError and hostile nesting rejects its span, never a RangeError or a stack overflow', () => {
  assert.throws(() => splitTracesProtobuf(Buffer.from([0x0a, 0xff, 0xff, 0x01])), OtlpDecodeError);
  const deep = splitTracesProtobuf(deeplyNestedProtobufTraceRequest(100_000));
  assert.deepEqual([deep.records.length, deep.rejected], [0, 1]);
});
