import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLogsProtobuf, decodeTracesProtobuf, decodeTracesProtobufBare } from '../../../src/otlp/decodeProtobuf';
import { OtlpDecodeError } from '../../../src/otlp/types';
import { ANY_VALUE_DEPTH_LIMIT, DEPTH_LIMIT_MARKER } from '../../../src/otlp/values';
import {
  deeplyNestedProtobufTraceRequest,
  encodeLogsRequest,
  encodeTraceRequest,
  END_NANOS,
  logsRequestObject,
  PARENT_ID_HEX,
  protoSpan,
  SPAN_ID_HEX,
  START_NANOS,
  TRACE_ID_HEX,
  traceRequestObject,
} from './otlpPayloads';

test('protobuf span decodes to hex ids, exact nanosecond strings, enum names and flat attributes', () => {
  const decoded = decodeTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan()])));
  assert.equal(decoded.rejected, 0);
  assert.deepEqual(decoded.spans, [
    {
      traceId: TRACE_ID_HEX,
      spanId: SPAN_ID_HEX,
      parentSpanId: PARENT_ID_HEX,
      name: 'chat gpt-4o-mini',
      kind: 'CLIENT',
      startTimeUnixNano: START_NANOS,
      endTimeUnixNano: END_NANOS,
      durationMs: 1500,
      status: { code: 'ERROR', message: 'rate limited' },
      attributes: {
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 42,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.request.stream': false,
      },
      events: [{ name: 'gen_ai.content.prompt', timeUnixNano: START_NANOS, attributes: { 'gen_ai.prompt': 'hi' } }],
      links: [],
      resource: { 'service.name': 'checkout' },
      scope: { name: 'openai-instrumentation', version: '1.2.3' },
    },
  ]);
});

test('AnyValue kinds flatten to JSON: arrays, kvlists, bytes as base64, big int64 as string', () => {
  const attributes = [
    { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }] } } },
    { key: 'map', value: { kvlistValue: { values: [{ key: 'role', value: { stringValue: 'user' } }] } } },
    { key: 'bytes', value: { bytesValue: Buffer.from('hello') } },
    { key: 'big', value: { intValue: '9223372036854775807' } },
    { key: 'negative', value: { intValue: -5 } },
    { key: 'empty', value: {} },
    { key: '__proto__', value: { stringValue: 'not a prototype' } },
  ];
  const [span] = decodeTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan({ attributes })]))).spans;
  assert.deepEqual(span.attributes.list, ['a', 1]);
  assert.deepEqual(span.attributes.map, { role: 'user' });
  assert.equal(span.attributes.bytes, Buffer.from('hello').toString('base64'));
  assert.equal(span.attributes.big, '9223372036854775807');
  assert.equal(span.attributes.negative, -5);
  assert.equal(span.attributes.empty, null);
  assert.equal(Object.getPrototypeOf(span.attributes), Object.prototype);
  assert.equal(Object.getOwnPropertyDescriptor(span.attributes, '__proto__')?.value, 'not a prototype');
});

test('a root span sent with eight zero bytes as parent has no parentSpanId', () => {
  const [span] = decodeTracesProtobuf(
    encodeTraceRequest(traceRequestObject([protoSpan({ parentSpanId: Buffer.alloc(8) })])),
  ).spans;
  assert.equal(span.parentSpanId, undefined);
});

test('spans without valid ids are rejected with a reason while the rest of the batch decodes', () => {
  const decoded = decodeTracesProtobuf(
    encodeTraceRequest(
      traceRequestObject([
        protoSpan({ name: 'no trace id', traceId: Buffer.alloc(0) }),
        protoSpan({ name: 'zero span id', spanId: Buffer.alloc(8) }),
        protoSpan({ name: 'good' }),
      ]),
    ),
  );
  assert.deepEqual(decoded.spans.map((s) => s.name), ['good']);
  assert.equal(decoded.rejected, 2);
  assert.match(decoded.errors[0], /no trace id.*trace_id/);
  assert.match(decoded.errors[1], /zero span id.*span_id/);
});

test('array nesting beyond the depth limit becomes a marker instead of recursing', () => {
  let value: object = { stringValue: 'leaf' };
  for (let i = 0; i < ANY_VALUE_DEPTH_LIMIT + 5; i++) value = { arrayValue: { values: [value] } };
  const [span] = decodeTracesProtobuf(
    encodeTraceRequest(traceRequestObject([protoSpan({ attributes: [{ key: 'deep', value }] })])),
  ).spans;
  let cursor = span.attributes.deep;
  let depth = 0;
  while (Array.isArray(cursor)) {
    cursor = cursor[0];
    depth++;
  }
  assert.equal(depth, ANY_VALUE_DEPTH_LIMIT);
  assert.equal(cursor, DEPTH_LIMIT_MARKER);
});

test('100k nested kvlists in protobuf fail as a decode error, not a stack overflow', () => {
  const bytes = deeplyNestedProtobufTraceRequest(100_000);
  assert.throws(() => decodeTracesProtobuf(bytes), (err: unknown) => {
    assert.ok(err instanceof OtlpDecodeError);
    assert.match(err.message, /nesting depth/);
    return true;
  });
});

test('moderately nested kvlists in protobuf decode fully', () => {
  const [span] = decodeTracesProtobuf(deeplyNestedProtobufTraceRequest(10)).spans;
  let cursor = span.attributes.deep;
  for (let i = 0; i < 10; i++) cursor = (cursor as Record<string, typeof cursor>).k;
  assert.equal(cursor, 'leaf');
});

test('garbage bytes raise OtlpDecodeError with a readable message', () => {
  assert.throws(() => decodeTracesProtobuf(Buffer.from([0x0a, 0xff, 0xff, 0x01])), OtlpDecodeError);
  assert.throws(() => decodeLogsProtobuf(Buffer.from('not protobuf at all, just text')), /Invalid OTLP protobuf ExportLogsServiceRequest/);
});

test('an empty request is valid and decodes to nothing', () => {
  assert.deepEqual(decodeTracesProtobuf(new Uint8Array(0)), { spans: [], rejected: 0, errors: [] });
});

test('a plain Uint8Array (not a Buffer) decodes the same', () => {
  const bytes = encodeTraceRequest(traceRequestObject([protoSpan()]));
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  assert.deepEqual(decodeTracesProtobuf(copy), decodeTracesProtobuf(bytes));
  assert.ok(decodeTracesProtobufBare(copy));
});

test('log records keep body, severity, span correlation and the event name field', () => {
  const decoded = decodeLogsProtobuf(
    encodeLogsRequest(
      logsRequestObject([
        {
          timeUnixNano: START_NANOS,
          observedTimeUnixNano: END_NANOS,
          severityNumber: 9,
          severityText: 'INFO',
          eventName: 'gen_ai.user.message',
          body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'hello' } }] } },
          attributes: [{ key: 'gen_ai.system', value: { stringValue: 'openai' } }],
          traceId: Buffer.from(TRACE_ID_HEX, 'hex'),
          spanId: Buffer.from(SPAN_ID_HEX, 'hex'),
        },
        {
          // Older SDKs: the event name only as an attribute; no span context.
          timeUnixNano: START_NANOS,
          attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.choice' } }],
          body: { stringValue: 'plain' },
        },
      ]),
    ),
  );
  assert.equal(decoded.rejected, 0);
  assert.deepEqual(decoded.records[0], {
    timeUnixNano: START_NANOS,
    observedTimeUnixNano: END_NANOS,
    severityNumber: 9,
    severityText: 'INFO',
    eventName: 'gen_ai.user.message',
    body: { content: 'hello' },
    attributes: { 'gen_ai.system': 'openai' },
    traceId: TRACE_ID_HEX,
    spanId: SPAN_ID_HEX,
    resource: { 'service.name': 'checkout' },
    scope: { name: 'openai-instrumentation' },
  });
  assert.equal(decoded.records[1].eventName, 'gen_ai.choice');
  assert.equal(decoded.records[1].traceId, undefined);
  assert.equal(decoded.records[1].body, 'plain');
  assert.equal(decoded.records[1].observedTimeUnixNano, '0');
});
