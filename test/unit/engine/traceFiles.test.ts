// A trace exported to a file and imported into another store is the same trace: its spans, their GenAI
// messages (which a Python app sends as log records), what Spanlight reads from them and its summary.
// Real captured exports go in over HTTP; the file comes from the JSON API (what Export Trace writes)
// and goes out as Import Traces sends it, request by request, to the other engine's receiver.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readOtlpJsonFile } from '../../../src/otlp/otlpJsonFile';
import { readOtlpProtoFile } from '../../../src/otlp/otlpProtoFile';
import { UNREADABLE_SPANS_HEADER } from '../../../src/receiver/apiRoutes';
import { postOtlpJson } from '../../../src/views/postToReceiver';
import { lengthPrefixed } from '../otlp/otlpPayloads';
import { allTraces, postExport, startEngine, type RunningEngine } from './engineKit';

const FIXTURES = join(__dirname, '../../fixtures/otlp');
/** GenAI spans with their messages in log records (sent before and after them), agent events that become spans, and other conventions. */
const CAPTURED = [
  'otel-genai-http-protobuf-logs-1.bin',
  'otel-genai-http-protobuf-traces-1.bin',
  'error-http-protobuf-traces-1.bin',
  'error-http-protobuf-logs-1.bin',
  'claude-code-http-protobuf-traces-1.bin',
  'claude-code-http-protobuf-logs-1.bin',
  'vercel-ai-http-protobuf-traces-1.bin',
  'openinference-http-protobuf-traces-1.bin',
  'genkit-http-json-traces-1.json',
];

let from: RunningEngine;
let to: RunningEngine;

before(async () => {
  [from, to] = await Promise.all([startEngine(), startEngine()]);
  for (const name of CAPTURED) {
    const json = name.endsWith('.json');
    await postExport(from, name.includes('-logs-') ? 'logs' : 'traces', readFileSync(join(FIXTURES, name)), json ? 'application/json' : 'application/x-protobuf');
  }
});

after(async () => {
  await Promise.all([from.close(), to.close()]);
});

test('every trace exported and imported elsewhere reads back the same, messages and all', async () => {
  const exported = await allTraces(from);
  assert.ok(exported.length >= 6, 'the captured traces');
  for (const trace of exported) {
    const res = await fetch(`${from.url}/api/traces/${trace.summary.traceId}/otlp`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get(UNREADABLE_SPANS_HEADER), '0');
    const file = readOtlpJsonFile(await res.text());
    assert.deepEqual(file.requests.flatMap((r) => r.traceIds), [trace.summary.traceId]);
    assert.equal(file.requests[0].items, trace.spans.length);
    for (const request of file.requests) assert.deepEqual(await postOtlpJson(to.url, request.signal, request.json), { rejected: 0 });
  }
  const imported = new Map((await allTraces(to)).map((t) => [t.summary.traceId, t]));
  assert.equal(imported.size, exported.length);
  for (const trace of exported) {
    const back = imported.get(trace.summary.traceId);
    assert.ok(back, trace.summary.rootName);
    assert.deepEqual(back.spans, trace.spans, trace.summary.rootName);
    assert.deepEqual(back.summary, trace.summary, trace.summary.rootName);
  }
  // Imported again where it is stored already, a trace stays itself: its spans replaced, its log records not doubled.
  for (const trace of exported) {
    const file = readOtlpJsonFile(await (await fetch(`${from.url}/api/traces/${trace.summary.traceId}/otlp`)).text());
    for (const request of file.requests) await postOtlpJson(to.url, request.signal, request.json);
  }
  const again = new Map((await allTraces(to)).map((t) => [t.summary.traceId, t]));
  for (const trace of exported) assert.deepEqual(again.get(trace.summary.traceId)?.spans, trace.spans, `${trace.summary.rootName}, imported twice`);
  // The GenAI messages came in log records, and went out and back in as log records.
  const withLogs = exported.filter((t) => t.spans.some((s) => s.llm?.convention.includes('genai-logs')));
  assert.ok(withLogs.length > 0, 'a trace whose messages are log records');
});

test("a Collector's binary file of the same exports (file exporter, format: proto) imports the same traces", async () => {
  const binary = CAPTURED.filter((name) => name.endsWith('.bin'));
  const file = readOtlpProtoFile(lengthPrefixed(...binary.map((name) => readFileSync(join(FIXTURES, name)))));
  assert.deepEqual(file.requests.map((r) => r.signal), binary.map((name) => (name.includes('-logs-') ? 'logs' : 'traces')));
  const collector = await startEngine();
  try {
    for (const request of file.requests) assert.deepEqual(await postOtlpJson(collector.url, request.signal, request.json), { rejected: 0 });
    const imported = await allTraces(collector);
    const original = new Map((await allTraces(from)).map((t) => [t.summary.traceId, t]));
    assert.equal(imported.length, original.size - 1, 'all but the one sent as JSON');
    for (const trace of imported) {
      assert.deepEqual(trace.spans, original.get(trace.summary.traceId)?.spans, trace.summary.rootName);
      assert.deepEqual(trace.summary, original.get(trace.summary.traceId)?.summary, trace.summary.rootName);
    }
  } finally {
    await collector.close();
  }
});
