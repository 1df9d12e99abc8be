// The OpenTelemetry Collector's binary files (file exporter, `format: proto`): length-prefixed TracesData
// and LogsData messages, told apart by their first item, metrics skipped, and anything else refused with
// the message it stops at; and which form a file to import is read as (readOtlpFile.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { decodeLogsProtobuf, decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { OtlpFileError, readOtlpJsonFile } from '../../../src/otlp/otlpJsonFile';
import { readOtlpProtoFile } from '../../../src/otlp/otlpProtoFile';
import { readOtlpFile } from '../../../src/otlp/readOtlpFile';
import { encodeTraceRequest, lengthPrefixed, protoSpan, traceRequestObject } from './otlpPayloads';

const FIXTURES = join(__dirname, '../../fixtures/otlp');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** A length-delimited field holding `inner`. */
function field(number: number, inner: Uint8Array): Uint8Array {
  return protobuf.Writer.create().uint32((number << 3) | 2).bytes(inner).finish();
}

/** MetricsData with one counter: resource → scope → metric { name, sum { data point } }. */
function metricsData(): Uint8Array {
  const point = protobuf.Writer.create().uint32((6 << 3) | 1).sfixed64(42).finish();
  const metric = Buffer.concat([protobuf.Writer.create().uint32((1 << 3) | 2).string('http.server.requests').finish(), field(7, field(1, point))]);
  return field(1, field(2, field(2, metric)));
}

test('traces and log records, in one file as one exporter writes both pipelines, each become the OTLP/JSON request the receiver takes; metrics are skipped', () => {
  const traces = fixture('otel-genai-http-protobuf-traces-1.bin');
  const logs = fixture('otel-genai-http-protobuf-logs-1.bin');
  const file = readOtlpFile(lengthPrefixed(logs, metricsData(), traces));
  assert.equal(file.unit, 'message');
  assert.equal(file.skipped, 1);
  assert.deepEqual(file.requests.map((r) => [r.signal, r.line]), [['logs', 1], ['traces', 3]]);
  const spans = decodeTracesProtobuf(traces).spans;
  assert.equal(file.requests[1].items, spans.length);
  assert.deepEqual(file.requests[1].traceIds, [...new Set(spans.map((s) => s.traceId))]);
  assert.equal(file.requests[0].items, decodeLogsProtobuf(logs).records.length);
  // The same requests as OTLP/JSON: what the JSON reader makes of them.
  const asJson = readOtlpJsonFile(file.requests.map((r) => r.json).join('\n'));
  assert.deepEqual(asJson.requests.map((r) => [r.signal, r.items, r.traceIds]), file.requests.map((r) => [r.signal, r.items, r.traceIds]));
});

test('a span without times (left out when zero) is still told from a metric by its ids; a message of nothing is skipped', () => {
  const span = { ...protoSpan(), startTimeUnixNano: 0, endTimeUnixNano: 0 };
  const file = readOtlpProtoFile(lengthPrefixed(new Uint8Array(0), encodeTraceRequest(traceRequestObject([span]))));
  assert.deepEqual(file.requests.map((r) => [r.signal, r.items, r.line]), [['traces', 1, 2]]);
});

test('what is not such a file is refused with the message it stops at', () => {
  const traces = fixture('error-http-protobuf-traces-1.bin');
  const refused = (bytes: Uint8Array, message: RegExp) =>
    assert.throws(() => readOtlpProtoFile(bytes), (err: Error) => err instanceof OtlpFileError && message.test(err.message), String(message));
  refused(lengthPrefixed(traces).subarray(0, 20), /message 1 is cut short: its length says \d+ bytes, the file has 16 more/);
  refused(Buffer.concat([lengthPrefixed(traces), Buffer.from([0, 0])]), /message 2 is cut short: the file ends inside its length/);
  refused(lengthPrefixed(traces, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3])), /compressed with zstd/);
  refused(lengthPrefixed(Buffer.from([0x0a, 0x05, 1, 2])), /message 1 is not OTLP protobuf\./);
  refused(lengthPrefixed(field(1, field(2, field(2, field(3, new Uint8Array(2)))))), /message 1 holds neither OTLP spans nor log records/);
  refused(lengthPrefixed(metricsData()), /no traces or logs \(only metrics\)/);
});

test('a file to import is read as what it is: OTLP/JSON (a blank first line too), length-prefixed messages, or one request captured as sent; the error names the form it was taken for', () => {
  const traces = fixture('error-http-protobuf-traces-1.bin');
  const json = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'turn' }] }] }] });
  for (const text of [json, `\uFEFF${json}`, `\n\n${json}\n`, `  ${json}`]) {
    assert.deepEqual(readOtlpFile(Buffer.from(text)).requests.map((r) => [r.signal, r.items, r.line]), [['traces', 1, 1]], JSON.stringify(text));
  }
  assert.equal(readOtlpFile(lengthPrefixed(traces)).unit, 'message');
  const captured = readOtlpFile(traces);
  assert.deepEqual(captured.requests.map((r) => [r.signal, r.items]), [['traces', decodeTracesProtobuf(traces).spans.length]]);
  assert.deepEqual(readOtlpFile(fixture('error-http-protobuf-logs-1.bin')).requests.map((r) => r.signal), ['logs']);
  const refused = (bytes: Uint8Array, message: RegExp) =>
    assert.throws(() => readOtlpFile(bytes), (err: Error) => err instanceof OtlpFileError && message.test(err.message), String(message));
  refused(Buffer.from(`${json}\nnot json\n`), /^an OTLP\/JSON file: line 2 is not JSON/);
  refused(Buffer.from(''), /^an OTLP\/JSON file: the file is empty/);
  refused(traces.subarray(0, traces.length - 3), /^an OTLP protobuf export request: message 1 is not OTLP protobuf/);
  refused(lengthPrefixed(traces).subarray(0, 40), /^an OTLP protobuf file \(a Collector file exporter's `format: proto`\): message 1 is cut short/);
  refused(Buffer.from('\nnot json'), /^an OTLP protobuf export request: /);
});
