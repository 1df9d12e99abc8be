import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildRequest, otlpJsonOf } from '../../../bench/ingestPayloads';
import { decodeTracesJson } from '../../../src/otlp/decodeJson';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { transcodeTracesJson } from '../../../src/otlp/transcodeJson';
import { OtlpDecodeError } from '../../../src/otlp/types';
import { ANY_VALUE_DEPTH_LIMIT, DEPTH_LIMIT_MARKER } from '../../../src/otlp/values';
import type { JsonValue } from '../../../src/protocol/model';
import { deeplyNestedJsonTraceRequest, jsonSpan, jsonTraceRequest, SPAN_ID_HEX, TRACE_ID_HEX } from './otlpPayloads';

const FIXTURES = join(__dirname, '../../fixtures/otlp');

/** What the protobuf decoder reads from the transcoded export, against what the JSON decoder reads. */
function assertSameAsJsonDecoder(input: string | object, message?: string): void {
  const transcoded = transcodeTracesJson(input);
  const fromProtobuf = decodeTracesProtobuf(transcoded.protobuf);
  const fromJson = decodeTracesJson(input);
  assert.deepEqual(fromProtobuf.spans, fromJson.spans, message);
  assert.equal(fromProtobuf.rejected, 0, message);
  assert.equal(transcoded.rejected, fromJson.rejected, message);
  assert.deepEqual(transcoded.errors, fromJson.errors, message);
}

test('every captured trace fixture, in OTLP/JSON, transcodes to spans equal to both decoders', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.includes('-traces-'));
  assert.ok(files.length >= 20);
  for (const file of files) {
    const bytes = readFileSync(join(FIXTURES, file));
    const json = file.endsWith('.json') ? bytes.toString('utf8') : JSON.stringify(otlpJsonOf(bytes));
    assertSameAsJsonDecoder(json, file);
    if (file.endsWith('.bin')) assert.deepEqual(decodeTracesProtobuf(transcodeTracesJson(json).protobuf).spans, decodeTracesProtobuf(bytes).spans, file);
  }
});

test("the benchmark's agent exports (512 spans, 2–8 KB of messages each), in OTLP/JSON, transcode exactly", () => {
  for (const seed of [0, 1, 2]) {
    const original = buildRequest(seed);
    const json = JSON.stringify(otlpJsonOf(original));
    assertSameAsJsonDecoder(json, `seed ${seed}`);
    // The hot path's own walk reads it too (it is what ingests it).
    assert.equal(splitTracesProtobuf(transcodeTracesJson(json).protobuf).records.length, 512);
  }
});

test('the protobuf JSON mapping senders use (base64 ids, enum names, snake_case, numeric times) reads back the same', () => {
  const span = {
    trace_id: Buffer.from(TRACE_ID_HEX, 'hex').toString('base64'),
    span_id: Buffer.from(SPAN_ID_HEX, 'hex').toString('base64'),
    parent_span_id: '0000000000000000',
    name: 'embeddings',
    kind: 'SPAN_KIND_SERVER',
    start_time_unix_nano: 1_700_000_000_000_000_000,
    end_time_unix_nano: '1700000000250000000',
    status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
    attributes: [{ key: 'n', value: { int_value: 7 } }],
    events: [{ name: 'exception', time_unix_nano: '1700000000100000000', attributes: [{ key: 'exception.type', value: { string_value: 'E' } }] }],
    links: [{ trace_id: TRACE_ID_HEX.toUpperCase(), span_id: SPAN_ID_HEX }, { trace_id: 'nowhere' }],
  };
  assertSameAsJsonDecoder({ resource_spans: [{ resource: { attributes: [] }, scope_spans: [{ scope: { name: 's', version: '1' }, spans: [span] }] }] });
});

test('values at the edges of their types read back as the JSON decoder reads them', () => {
  const attributes = [
    { key: 'big', value: { intValue: '9223372036854775807' } },
    { key: 'negative', value: { intValue: '-9223372036854775808' } },
    { key: 'beyond int64', value: { intValue: '18446744073709551615' } },
    { key: 'float as int', value: { intValue: 2.9 } },
    { key: 'not an int', value: { intValue: 'seven' } },
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'inf', value: { doubleValue: '-Infinity' } },
    { key: 'not a double', value: { doubleValue: 'x' } },
    { key: 'bytes', value: { bytesValue: 'aGVsbG8=' } },
    { key: 'loose bytes', value: { bytesValue: 'aGVsbG8' } },
    { key: 'number as string', value: { stringValue: 5 } },
    { key: 'null string', value: { stringValue: null } },
    { key: 'bool text', value: { boolValue: 'true' } },
    { key: 'empty', value: {} },
    { key: 'missing' },
    { key: 'empty string', value: { stringValue: '' } },
    { key: 'zero', value: { intValue: 0 } },
    { key: 'false', value: { boolValue: false } },
    { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, {}, { arrayValue: {} }, { kvlistValue: 'x' }] } } },
    { key: 'kvlist', value: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 1.5 } }, { key: 7 }] } } },
    { key: 'dup', value: { stringValue: 'first' } },
    { key: 'dup', value: { stringValue: 'second' } },
    { value: { stringValue: 'no key' } },
    'not a key value',
    { key: 'unicode', value: { stringValue: 'café 配送 🙂 \u0000 "quoted"' } },
  ];
  assertSameAsJsonDecoder(jsonTraceRequest([jsonSpan({ attributes, kind: 99, status: { code: 7 } })]));
  assertSameAsJsonDecoder(jsonTraceRequest([jsonSpan({ attributes: 'nope', events: 'nope', links: {}, status: 'nope', startTimeUnixNano: -1, endTimeUnixNano: 'soon' })]));
});

test('spans the JSON decoder rejects are left out and counted with its messages', () => {
  const request = jsonTraceRequest([jsonSpan({ traceId: undefined, name: 'orphan' }), jsonSpan({ spanId: 'xyz' }), 42 as unknown as object, jsonSpan()]);
  const transcoded = transcodeTracesJson(request);
  assert.equal(transcoded.rejected, 3);
  assert.match(transcoded.errors[0], /orphan.*traceId/);
  assert.equal(decodeTracesProtobuf(transcoded.protobuf).spans.length, 1);
  assertSameAsJsonDecoder(request);
});

test('100k nested kvlists and arrays transcode without overflowing the stack, cut where protobuf can still read them', () => {
  const transcoded = transcodeTracesJson(deeplyNestedJsonTraceRequest(100_000));
  let cursor: JsonValue = decodeTracesProtobuf(transcoded.protobuf).spans[0].attributes.deep;
  let depth = 0;
  while (typeof cursor === 'object' && cursor !== null && !Array.isArray(cursor)) {
    cursor = cursor.k;
    depth++;
  }
  assert.equal(cursor, DEPTH_LIMIT_MARKER);
  // A kvlist level is three protobuf messages: the last levels the JSON decoder keeps exceed protobuf's 100.
  assert.ok(depth >= ANY_VALUE_DEPTH_LIMIT - 2 && depth <= ANY_VALUE_DEPTH_LIMIT, `cut at ${depth}`);
  assert.equal(splitTracesProtobuf(transcoded.protobuf).records.length, 1);
  // Arrays (two messages a level) are cut where the JSON decoder cuts them.
  const nestedArrays = '{"arrayValue":{"values":['.repeat(100_000) + '{"stringValue":"leaf"}' + ']}}'.repeat(100_000);
  const text = JSON.stringify(jsonTraceRequest([jsonSpan({ attributes: '__DEEP__' })])).replace('"__DEEP__"', `[{"key":"deep","value":${nestedArrays}}]`);
  assertSameAsJsonDecoder(text);
});

test('what the JSON decoder refuses, the transcoder refuses with the same OtlpDecodeError', () => {
  for (const bad of ['{"resourceSpans": [', '[1,2]', JSON.stringify({ resourceSpans: 'nope' }), JSON.stringify({ resourceSpans: [1] })]) {
    assert.throws(() => decodeTracesJson(bad), OtlpDecodeError);
    assert.throws(
      () => transcodeTracesJson(bad),
      (err: unknown) => err instanceof OtlpDecodeError && err.message === captureMessage(() => decodeTracesJson(bad)),
    );
  }
});

/** mulberry32: a seeded random integer below n. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const ODD_VALUES: unknown[] = [
  null, 0, -1, 1.5, 2 ** 64, '', 'x', '-7', '18446744073709551616', 'NaN', 'Infinity', true, 'true', [], {}, [1, 'a'],
  { stringValue: 's' }, { intValue: '12' }, { kvlistValue: { values: [{ key: 'k' }] } }, { arrayValue: { values: [null] } },
  { bytesValue: 'AA==' }, 'ZmFrZQ', 'SPAN_KIND_CLIENT', 'STATUS_CODE_ERROR', '0123456789abcdef', '0123456789abcdef0123456789abcdef',
];

/** Every value inside `value`, as its parent and the key that leads to it. */
function containers(value: unknown, out: { parent: Record<string | number, unknown>; key: string | number }[] = []) {
  if (!value || typeof value !== 'object') return out;
  for (const [key, child] of Object.entries(value)) {
    out.push({ parent: value as Record<string | number, unknown>, key: Array.isArray(value) ? Number(key) : key });
    containers(child, out);
  }
  return out;
}

test('3,000 seeded mutations of real exports (a field replaced by a value of another shape): the transcoder reads each as the JSON decoder does', () => {
  const sources = readdirSync(FIXTURES)
    .filter((f) => f.includes('-traces-'))
    .slice(0, 10)
    .map((f) => (f.endsWith('.json') ? readFileSync(join(FIXTURES, f), 'utf8') : JSON.stringify(otlpJsonOf(readFileSync(join(FIXTURES, f))))));
  let refused = 0;
  for (let m = 0; m < 3000; m++) {
    const random = rng(m + 1);
    const request = JSON.parse(sources[m % sources.length]) as unknown;
    const places = containers(request);
    for (let edits = 1 + random(3); edits > 0; edits--) {
      const { parent, key } = places[random(places.length)];
      parent[key] = ODD_VALUES[random(ODD_VALUES.length)];
    }
    const text = JSON.stringify(request);
    let expected: ReturnType<typeof decodeTracesJson> | Error;
    try {
      expected = decodeTracesJson(text);
    } catch (err) {
      expected = err as Error;
    }
    if (expected instanceof Error) {
      refused++;
      assert.ok(expected instanceof OtlpDecodeError, `mutation ${m}: ${expected.message}`);
      assert.throws(() => transcodeTracesJson(text), (err: unknown) => err instanceof OtlpDecodeError && err.message === expected.message, `mutation ${m}`);
      continue;
    }
    assertSameAsJsonDecoder(text, `mutation ${m}`);
    // What the store keeps of it is what the hot path cuts out: its walk reads every span.
    assert.equal(splitTracesProtobuf(transcodeTracesJson(text).protobuf).records.length, expected.spans.length, `mutation ${m}`);
  }
  assert.ok(refused > 0 && refused < 1500, `${refused} refused`);
});

function captureMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
}
