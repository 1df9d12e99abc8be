// Reading a file of OTLP/JSON for Import Traces: Spanlight's own exports, a collector's file exporter
// output (one request per line, metrics among them), a single request pretty-printed, and files that
// are none of these, each refused with where and why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTracesJson } from '../../../src/otlp/decodeJson';
import { OtlpFileError, otlpJsonLines, readOtlpJsonFile } from '../../../src/otlp/otlpJsonFile';
import { buildSampleTrace } from '../../../src/views/sampleTrace';

const TRACE = '5b8efff798038103d269b633813fc60c';
const traces = (traceId = TRACE, spans = 2) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 's' }, spans: Array.from({ length: spans }, (_, i) => ({ traceId, spanId: `eee19b7ec3c1b17${i}`, name: 'x' })) }] }],
});
const logs = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'a' } }, { body: { stringValue: 'b' } }, {}] }] }] };
const metrics = { resourceMetrics: [] };

test("Spanlight's own file reads back as its traces request, then its logs request", () => {
  const spans = buildSampleTrace(Date.now());
  const record = { timeUnixNano: '1', observedTimeUnixNano: '1', severityNumber: 9, body: 'hi', attributes: {}, traceId: spans[0].traceId, spanId: spans[0].spanId, resource: {}, scope: { name: 'x' } };
  const text = otlpJsonLines(spans, [record]);
  assert.equal(text.split('\n').length, 3, 'two lines, each ending in a newline');
  const file = readOtlpJsonFile(text);
  assert.deepEqual(file.requests.map((r) => [r.signal, r.items, r.traceIds, r.line]), [['traces', spans.length, [spans[0].traceId], 1], ['logs', 1, [], 2]]);
  assert.equal(file.skipped, 0);
  // Without log records, the file is one line: also a plain OTLP/JSON request.
  assert.deepEqual(JSON.parse(otlpJsonLines(spans, [])).resourceSpans.length, 1);
});

test('a trace bigger than a line may be is written over several lines, each within it, that read back to all of it', () => {
  const spans = buildSampleTrace(Date.now()).map((span, i) => ({ ...span, attributes: { ...span.attributes, 'input.value': `é${i}`.repeat(3000) } }));
  const record = (i: number) => ({ timeUnixNano: '1', observedTimeUnixNano: '1', severityNumber: 9, body: 'ü'.repeat(5000), attributes: { i }, resource: {}, scope: { name: 'x' } });
  const lineBytes = 20_000;
  const text = otlpJsonLines(spans, [record(0), record(1), record(2)], lineBytes);
  const lines = text.trimEnd().split('\n');
  assert.ok(lines.length > 4, `${lines.length} lines`);
  for (const line of lines) assert.ok(Buffer.byteLength(line) <= lineBytes, `a line of ${Buffer.byteLength(line)} bytes`);
  const file = readOtlpJsonFile(text);
  const signals = file.requests.map((r) => r.signal);
  assert.deepEqual(signals, [...signals].sort().reverse(), 'spans first, then log records');
  assert.equal(file.requests.filter((r) => r.signal === 'traces').reduce((n, r) => n + r.items, 0), spans.length);
  assert.equal(file.requests.filter((r) => r.signal === 'logs').reduce((n, r) => n + r.items, 0), 3);
  const back = file.requests.filter((r) => r.signal === 'traces').flatMap((r) => decodeTracesJson(r.json).spans);
  assert.deepEqual(back.map((s) => s.attributes['input.value']), spans.map((s) => s.attributes['input.value']));
});

test("a collector's file exporter output: requests per line, blank lines and metrics skipped, ids of any case or base64", () => {
  const base64Id = Buffer.from('aa'.repeat(16), 'hex').toString('base64');
  const lines = [JSON.stringify(traces()), '', JSON.stringify(metrics), JSON.stringify(logs), JSON.stringify(traces(TRACE.toUpperCase(), 1)), JSON.stringify({ resource_spans: traces(base64Id).resourceSpans.map((r) => ({ scope_spans: r.scopeSpans })) })];
  const file = readOtlpJsonFile(`\uFEFF${lines.join('\r\n')}\r\n`);
  assert.deepEqual(
    file.requests.map((r) => [r.signal, r.items, r.traceIds, r.line]),
    [['traces', 2, [TRACE], 1], ['logs', 3, [], 4], ['traces', 1, [TRACE], 5], ['traces', 2, ['aa'.repeat(16)], 6]],
  );
  assert.equal(file.skipped, 1);
  assert.equal(file.requests[1].json, JSON.stringify(logs), 'each request is sent as its line');
});

test('a single request, pretty-printed over many lines, is one request', () => {
  const text = JSON.stringify(traces(), null, 2);
  const file = readOtlpJsonFile(text);
  assert.deepEqual(file.requests.map((r) => [r.signal, r.items, r.json]), [['traces', 2, text]]);
});

test('what is not OTLP/JSON is refused with the line and the reason', () => {
  const refused = (text: string, message: RegExp) => assert.throws(() => readOtlpJsonFile(text), (err: Error) => err instanceof OtlpFileError && message.test(err.message));
  refused(`${JSON.stringify(traces())}\n{"resourceSpans": [`, /^line 2 is not JSON/);
  refused(`${JSON.stringify(traces())}\n${JSON.stringify({ hello: 'world' })}`, /^line 2 is not an OTLP traces or logs export request/);
  refused(JSON.stringify({ spans: [] }), /^the file is not an OTLP traces or logs export request/);
  refused(JSON.stringify([traces()]), /^the file is not an OTLP/);
  refused(' \n\n', /^the file is empty/);
  refused(JSON.stringify(metrics), /holds no traces or logs \(only metrics\)/);
  refused('\u0000\u0001binary', /^line 1 is not JSON/);
});

test('requests whose lists are not lists count no items and are left for the receiver to judge', () => {
  const file = readOtlpJsonFile(JSON.stringify({ resourceSpans: [{ scopeSpans: 5 }, null, { scopeSpans: [{ spans: 'x' }, { spans: [null, 7] }] }] }));
  assert.deepEqual(file.requests.map((r) => [r.items, r.traceIds]), [[2, []]]);
});
