// The hot path's wire walk against protobufjs' generated decoder on bytes no SDK writes but the
// protobuf spec allows (fields out of order, repeated singular fields) or forbids (wrong wire types,
// nesting past the limit): it must accept exactly what the full decoder accepts, and read it the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { OtlpDecodeError } from '../../../src/otlp/types';
import { DEPTH_LIMIT_MARKER } from '../../../src/otlp/values';
import { SPAN_ID_HEX, TRACE_ID_HEX } from './otlpPayloads';

// A tiny protobuf writer: enough to put fields in any order and any wire type.
const cat = (...parts: Buffer[]) => Buffer.concat(parts);
function varint(n: bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}
const tag = (field: number, wire: number) => varint(BigInt((field << 3) | wire));
const ld = (field: number, ...payload: Buffer[]) => {
  const body = cat(...payload);
  return cat(tag(field, 2), varint(BigInt(body.length)), body);
};
const str = (field: number, text: string) => ld(field, Buffer.from(text, 'utf8'));
const int = (field: number, n: bigint) => cat(tag(field, 0), varint(n));
const fixed64 = (field: number, n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return cat(tag(field, 1), b);
};
const double = (field: number, d: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(d);
  return cat(tag(field, 1), b);
};

// OTLP messages, by field number.
const anyString = (s: string) => str(1, s);
const keyValue = (key: string, value: Buffer) => cat(str(1, key), ld(2, value));
const ids = cat(ld(1, Buffer.from(TRACE_ID_HEX, 'hex')), ld(2, Buffer.from(SPAN_ID_HEX, 'hex')));
const times = cat(fixed64(7, 1700000000123456789n), fixed64(8, 1700000001623456789n));
const span = (...fields: Buffer[]) => cat(ids, str(5, 'chat'), times, ...fields);
const request = (spanBytes: Buffer, resourceLast = false) => {
  const resource = ld(1, ld(1, keyValue('service.name', anyString('svc'))));
  const scopeSpans = ld(2, ld(1, str(1, 'scope'), str(2, '1.0')), ld(2, spanBytes));
  return ld(1, ...(resourceLast ? [scopeSpans, resource] : [resource, scopeSpans]));
};

/** The walk's preview, and the stored record, against the full decoder (no long strings involved). */
function assertSameAsFullDecode(bytes: Buffer): void {
  const full = decodeTracesProtobuf(bytes);
  const split = splitTracesProtobuf(bytes);
  assert.equal(split.records.length, full.spans.length);
  split.records.forEach((record, i) => {
    assert.deepEqual(record.preview, full.spans[i]);
    assert.deepEqual(decodeTracesProtobuf(record.otlp).spans, [full.spans[i]]);
  });
}

test('fields in any order: a value before its key, the resource after the spans, a span id before the name', () => {
  const valueFirst = cat(ld(2, anyString('gpt-4o')), str(1, 'gen_ai.request.model'));
  const bytes = request(cat(str(5, 'late name'), span(ld(9, valueFirst))), true);
  assertSameAsFullDecode(bytes);
  const [record] = splitTracesProtobuf(bytes).records;
  assert.equal(record.preview.attributes['gen_ai.request.model'], 'gpt-4o');
  assert.equal(record.preview.resource['service.name'], 'svc');
});

test('trace ids of interleaved traces, with invalid ones between them, read as the full decoder reads them', () => {
  const spanWith = (traceHex: string, spanHex: string) =>
    ld(2, ld(1, Buffer.from(traceHex, 'hex')), ld(2, Buffer.from(spanHex, 'hex')), str(5, `span ${spanHex}`), times);
  const [a, b] = ['0af7651916cd43dd8448eb211c80319c', '4bf92f3577b34da6a3ce929d0e0e4736'];
  const zero = '0'.repeat(32);
  const short = a.slice(0, 30);
  // The same bytes as `a` but the last: a trace id that reuses the previous one must match all 16.
  const nearA = `${a.slice(0, 30)}9d`;
  const spans = [[a, '01'], [a, '02'], [b, '03'], [zero, '04'], [a, '05'], [short, '06'], [nearA, '07'], [a, '08']];
  const bytes = ld(1, ld(2, ld(1, str(1, 'scope')), ...spans.map(([t, s]) => spanWith(t, s.repeat(8)))));
  assertSameAsFullDecode(bytes);
  const split = splitTracesProtobuf(bytes);
  assert.deepEqual(split.records.map((r) => r.preview.traceId), [a, a, b, a, nearA, a]);
  assert.equal(split.rejected, 2);
});

test('every AnyValue kind reads as the full decoder reads it, repeated fields and oneofs included', () => {
  const values = [
    keyValue('negative', int(3, -5n)),
    keyValue('huge', int(3, 2n ** 62n)),
    keyValue('nan', double(4, NaN)),
    keyValue('flag', int(2, 1n)),
    keyValue('bytes', ld(7, Buffer.from([0, 1, 255]))),
    keyValue('empty', Buffer.alloc(0)),
    keyValue('list', ld(5, ld(1, anyString('a')), ld(1, int(3, 2n)))),
    keyValue('map', ld(6, ld(1, keyValue('k', anyString('v'))))),
    // Two members of the oneof: the string wins, as in anyValueFromPb.
    keyValue('both', cat(int(3, 7n), anyString('s'))),
    keyValue('dup', anyString('first')),
    keyValue('dup', anyString('second')),
  ];
  assertSameAsFullDecode(request(span(...values.map((v) => ld(9, v)), ld(15, int(3, 2n), str(2, 'boom')), str(5, 'renamed'))));
});

test('nesting: arrays past the value depth limit become the marker; past protobufjs\' message limit, the full decoder rejects the export and the walk the span', () => {
  const nested = (levels: number) => {
    let value = anyString('leaf');
    for (let i = 0; i < levels; i++) value = ld(5, ld(1, value));
    return request(span(ld(9, keyValue('deep', value))));
  };
  const deep = nested(40);
  assertSameAsFullDecode(deep);
  assert.match(JSON.stringify(splitTracesProtobuf(deep).records[0].preview.attributes.deep), new RegExp(DEPTH_LIMIT_MARKER.replace(/[[\]]/g, '\\$&')));
  const tooDeep = nested(60);
  assert.throws(() => decodeTracesProtobuf(tooDeep), OtlpDecodeError);
  // Its stored record would not read back: that span is left out and counted, the export's others kept.
  const split = splitTracesProtobuf(Buffer.concat([tooDeep, request(span(str(5, 'shallow')))]));
  assert.deepEqual(split.records.map((r) => r.preview.name), ['shallow']);
  assert.equal(split.rejected, 1);
  assert.match(split.errors[0], /nests values deeper than protobuf allows \(100 messages\)/);
});

test('a known field with the wrong wire type, or a length past its message, is rejected as malformed', () => {
  assert.throws(() => splitTracesProtobuf(request(span(int(7, 5n)))), OtlpDecodeError);
  assert.throws(() => splitTracesProtobuf(request(span(ld(9, cat(str(1, 'k'), int(2, 1n)))))), OtlpDecodeError);
  const truncated = request(span());
  assert.throws(() => splitTracesProtobuf(truncated.subarray(0, truncated.length - 3)), OtlpDecodeError);
});

test('a value replaced by a later one is still checked: a malformed first value rejects the request, as in the full decoder', () => {
  const brokenList = Buffer.from([0x0a, 0x7f]); // a KeyValueList whose first KeyValue claims 127 bytes
  const goodList = ld(1, keyValue('a', anyString('b')));
  const replacedValue = cat(str(1, 'k'), ld(2, ld(6, brokenList)), ld(2, anyString('fine')));
  const replacedList = cat(str(1, 'k'), ld(2, ld(6, brokenList), ld(6, goodList)));
  for (const attribute of [replacedValue, replacedList]) {
    const bytes = request(span(ld(9, attribute)));
    assert.throws(() => decodeTracesProtobuf(bytes), OtlpDecodeError);
    assert.throws(() => splitTracesProtobuf(bytes), OtlpDecodeError);
  }
  // Well-formed replaced values read as the full decoder reads them (the last wins).
  assertSameAsFullDecode(request(span(ld(9, cat(str(1, 'k'), ld(2, ld(6, ld(1, keyValue('x', anyString('y'))))), ld(2, int(3, 5n)))))));
});

test('a declared field the walk skips unread, sent with another wire type, is rejected: its stored span would not read back', () => {
  const fixed32 = (field: number, n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return cat(tag(field, 5), b);
  };
  const event = (...fields: Buffer[]) => ld(11, fixed64(1, 1700000000123456789n), str(2, 'e'), ...fields);
  const link = (...fields: Buffer[]) => ld(13, ld(1, Buffer.from(TRACE_ID_HEX, 'hex')), ld(2, Buffer.from(SPAN_ID_HEX, 'hex')), ...fields);
  const withResource = (resource: Buffer) => ld(1, ld(1, resource), ld(2, ld(1, str(1, 'scope')), ld(2, span())));
  const withScope = (scope: Buffer) => ld(1, ld(2, ld(1, scope), ld(2, span())));
  // [declared as sent by SDKs, the same field with another wire type]
  const cases: [string, Buffer, Buffer][] = [
    ['Span.trace_state', request(span(str(3, 'k=v'))), request(span(int(3, 5n)))],
    ['Span.dropped_attributes_count', request(span(int(10, 2n))), request(span(fixed64(10, 2n)))],
    ['Span.dropped_events_count', request(span(int(12, 2n))), request(span(ld(12, Buffer.from('xy'))))],
    ['Span.dropped_links_count', request(span(int(14, 2n))), request(span(fixed32(14, 2)))],
    ['Span.flags', request(span(fixed32(16, 1))), request(span(int(16, 1n)))],
    ['Event.dropped_attributes_count', request(span(event(int(4, 1n)))), request(span(event(fixed64(4, 1n))))],
    ['Link.trace_state', request(span(link(str(3, 'k=v')))), request(span(link(int(3, 1n))))],
    ['Link.flags', request(span(link(fixed32(6, 1)))), request(span(link(int(6, 1n))))],
    ['Resource.dropped_attributes_count', withResource(int(2, 1n)), withResource(ld(2, Buffer.from('x')))],
    ['InstrumentationScope.dropped_attributes_count', withScope(cat(str(1, 's'), int(4, 1n))), withScope(cat(str(1, 's'), fixed32(4, 1)))],
    ['ResourceSpans.schema_url', ld(1, ld(2, ld(1, str(1, 's')), ld(2, span())), str(3, 'https://x')), ld(1, ld(2, ld(1, str(1, 's')), ld(2, span())), int(3, 1n))],
  ];
  for (const [field, declared, other] of cases) {
    assertSameAsFullDecode(declared);
    assert.throws(() => splitTracesProtobuf(other), OtlpDecodeError, field);
  }
  // The sender's 400 says which field and what the schema expects.
  assert.throws(() => splitTracesProtobuf(cases[0][2]), /ExportTraceServiceRequest: field 3 has wire type 0 where the schema declares 2/);
});

test('a varint cut off at the end of its message is rejected: the full decoder would read on into the next field', () => {
  // server.port = int_value whose varint (0xe5 0x88 0xa9 …) has lost its last byte, then another attribute.
  const cutPort = cat(str(1, 'server.port'), ld(2, tag(3, 0), Buffer.from([0xe5, 0x88, 0xa9])));
  const bytes = request(span(ld(9, cutPort), ld(9, keyValue('error.type', anyString('InternalServerError')))));
  assert.throws(() => splitTracesProtobuf(bytes), OtlpDecodeError);
});
