import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeLogsJson, decodeTracesJson } from '../../../src/otlp/decodeJson';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { OtlpDecodeError } from '../../../src/otlp/types';
import { ANY_VALUE_DEPTH_LIMIT, DEPTH_LIMIT_MARKER } from '../../../src/otlp/values';
import type { JsonValue } from '../../../src/protocol/model';
import {
  deeplyNestedJsonTraceRequest,
  encodeTraceRequest,
  jsonSpan,
  jsonTraceRequest,
  protoSpan,
  SPAN_ID_HEX,
  TRACE_ID_HEX,
  traceRequestObject,
} from './otlpPayloads';

test('OTLP/JSON span decodes to exactly what the same span decodes to from protobuf', () => {
  const fromJson = decodeTracesJson(JSON.stringify(jsonTraceRequest([jsonSpan()])));
  const fromProtobuf = decodeTracesProtobuf(encodeTraceRequest(traceRequestObject([protoSpan()])));
  assert.deepEqual(fromJson, fromProtobuf);
});

test('text, bytes and an already parsed object are all accepted', () => {
  const request = jsonTraceRequest([jsonSpan()]);
  const text = JSON.stringify(request);
  assert.deepEqual(decodeTracesJson(Buffer.from(text)), decodeTracesJson(request));
  assert.equal(decodeTracesJson(text).spans.length, 1);
});

test('senders using the protobuf JSON mapping (base64 ids, enum names, snake_case, numeric times) are understood', () => {
  const span = {
    trace_id: Buffer.from(TRACE_ID_HEX, 'hex').toString('base64'),
    span_id: Buffer.from(SPAN_ID_HEX, 'hex').toString('base64'),
    name: 'embeddings',
    kind: 'SPAN_KIND_SERVER',
    start_time_unix_nano: 1_700_000_000_000_000_000,
    end_time_unix_nano: '1700000000250000000',
    status: { code: 'STATUS_CODE_OK' },
    attributes: [{ key: 'n', value: { int_value: 7 } }],
  };
  const [decoded] = decodeTracesJson({ resource_spans: [{ scope_spans: [{ spans: [span] }] }] }).spans;
  assert.equal(decoded.traceId, TRACE_ID_HEX);
  assert.equal(decoded.spanId, SPAN_ID_HEX);
  assert.equal(decoded.kind, 'SERVER');
  assert.deepEqual(decoded.status, { code: 'OK' });
  assert.equal(decoded.startTimeUnixNano, '1700000000000000000');
  assert.equal(decoded.durationMs, 250);
  assert.deepEqual(decoded.attributes, { n: 7 });
  assert.deepEqual(decoded.scope, { name: '' });
  assert.deepEqual(decoded.resource, {});
});

test('uppercase hex ids are lowercased', () => {
  const [span] = decodeTracesJson(jsonTraceRequest([jsonSpan({ traceId: TRACE_ID_HEX.toUpperCase() })])).spans;
  assert.equal(span.traceId, TRACE_ID_HEX);
});

test('JSON int64 beyond 2^53 stays an exact string; NaN and Infinity doubles stay readable', () => {
  const attributes = [
    { key: 'big', value: { intValue: '18446744073709551615' } },
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'inf', value: { doubleValue: 'Infinity' } },
    { key: 'bytes', value: { bytesValue: 'aGVsbG8=' } },
  ];
  const [span] = decodeTracesJson(jsonTraceRequest([jsonSpan({ attributes })])).spans;
  assert.deepEqual(span.attributes, { big: '18446744073709551615', nan: 'NaN', inf: 'Infinity', bytes: 'aGVsbG8=' });
});

test('spans without ids are rejected and counted; non-object spans too', () => {
  const decoded = decodeTracesJson(
    jsonTraceRequest([jsonSpan({ traceId: undefined, name: 'orphan' }), jsonSpan({ spanId: 'xyz' }), 42 as unknown as object, jsonSpan()]),
  );
  assert.equal(decoded.spans.length, 1);
  assert.equal(decoded.rejected, 3);
  assert.match(decoded.errors[0], /orphan.*traceId/);
});

test('100k nested kvlists in JSON are cut at the depth limit without overflowing the stack', () => {
  const decoded = decodeTracesJson(deeplyNestedJsonTraceRequest(100_000));
  let cursor: JsonValue = decoded.spans[0].attributes.deep;
  let depth = 0;
  while (typeof cursor === 'object' && cursor !== null && !Array.isArray(cursor)) {
    cursor = cursor.k;
    depth++;
  }
  assert.equal(depth, ANY_VALUE_DEPTH_LIMIT);
  assert.equal(cursor, DEPTH_LIMIT_MARKER);
});

test('malformed JSON and wrong shapes raise OtlpDecodeError', () => {
  assert.throws(() => decodeTracesJson('{"resourceSpans": ['), (err: unknown) => {
    assert.ok(err instanceof OtlpDecodeError);
    assert.match(err.message, /Invalid OTLP\/JSON ExportTraceServiceRequest/);
    return true;
  });
  assert.throws(() => decodeTracesJson('[1,2]'), /must be a JSON object/);
  assert.throws(() => decodeTracesJson({ resourceSpans: 'nope' }), /must be an array/);
  assert.throws(() => decodeLogsJson('null'), OtlpDecodeError);
});

test('JSON log records: event_name field, event.name attribute fallback, enum names for severity', () => {
  const decoded = decodeLogsJson({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bot' } }] },
        scopeLogs: [
          {
            scope: { name: 'genai', version: '0.1' },
            logRecords: [
              {
                timeUnixNano: '1700000000000000000',
                severityNumber: 'SEVERITY_NUMBER_INFO',
                eventName: 'gen_ai.system.message',
                body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'be brief' } }] } },
                traceId: TRACE_ID_HEX,
                spanId: SPAN_ID_HEX,
              },
              { attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.choice' } }], traceId: 'not-an-id' },
              'junk',
            ],
          },
        ],
      },
    ],
  });
  assert.equal(decoded.records.length, 2);
  assert.equal(decoded.rejected, 1);
  assert.deepEqual(decoded.records[0], {
    timeUnixNano: '1700000000000000000',
    observedTimeUnixNano: '0',
    severityNumber: 9,
    eventName: 'gen_ai.system.message',
    body: { content: 'be brief' },
    attributes: {},
    traceId: TRACE_ID_HEX,
    spanId: SPAN_ID_HEX,
    resource: { 'service.name': 'bot' },
    scope: { name: 'genai', version: '0.1' },
  });
  assert.equal(decoded.records[1].eventName, 'gen_ai.choice');
  assert.equal(decoded.records[1].traceId, undefined);
  assert.equal(decoded.records[1].body, null);
});
