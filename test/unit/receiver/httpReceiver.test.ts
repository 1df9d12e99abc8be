import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import http from 'node:http';
import { otlpTypes } from '../../../src/otlp/otlpSchema';
import { RejectedExportError } from '../../../src/receiver/errors';
import { startHttpReceiver, type HttpReceiverHandle } from '../../../src/receiver/httpReceiver';
import {
  deeplyNestedJsonTraceRequest,
  deeplyNestedProtobufTraceRequest,
  encodeLogsRequest,
  encodeTraceRequest,
  jsonSpan,
  jsonTraceRequest,
  logsRequestObject,
  protoSpan,
  SPAN_ID_HEX,
  traceRequestObject,
} from '../otlp/otlpPayloads';
import { json, RecordingSink, request } from './receiverKit';

const PROTOBUF = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const LIMIT = 64 * 1024;

describe('OTLP/HTTP receiver', () => {
  const sink = new RecordingSink();
  const sinkErrors: Error[] = [];
  let server: HttpReceiverHandle;
  let traces: string;
  let logs: string;

  before(async () => {
    server = await startHttpReceiver({ sink, port: 0, bodyLimitBytes: LIMIT, onError: (e) => sinkErrors.push(e) });
    traces = `${server.url}/v1/traces`;
    logs = `${server.url}/v1/logs`;
  });
  after(() => server.close());

  test('protobuf traces are accepted and answered with an empty protobuf ExportTraceServiceResponse', async () => {
    const before = sink.spans.length;
    const res = await request(traces, { headers: PROTOBUF, body: encodeTraceRequest(traceRequestObject([protoSpan()])) });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-protobuf/);
    assert.deepEqual(otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(res.body)), {});
    assert.equal(sink.spans.length, before + 1);
    assert.equal(sink.spans.at(-1)?.spanId, SPAN_ID_HEX);
  });

  test('metrics are acknowledged (and dropped) in protobuf and JSON so exporters of every signal log no errors', async () => {
    const metrics = traces.replace('/v1/traces', '/v1/metrics');
    const pb = await request(metrics, { headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from([0x0a, 0x00]) });
    assert.equal(pb.status, 200);
    const js = await request(metrics, { headers: { 'content-type': 'application/json' }, body: '{"resourceMetrics":[]}' });
    assert.equal(js.status, 200);
    assert.equal(js.body.toString(), '{}');
    // Not OTLP: refused as traces and logs are, so a sender set up wrong hears it.
    const text = await request(metrics, { headers: { 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(text.status, 415);
  });

  test('application/protobuf is accepted as well as application/x-protobuf, and answered under the same type', async () => {
    const res = await request(traces, {
      headers: { 'Content-Type': 'application/protobuf' },
      body: encodeTraceRequest(traceRequestObject([protoSpan()])),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/protobuf');
    const bad = await request(traces, { headers: { 'Content-Type': 'application/protobuf' }, body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]) });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['content-type'], 'application/protobuf');
  });

  test('JSON traces with a charset are accepted and answered in JSON', async () => {
    const res = await request(traces, { headers: JSON_TYPE, body: JSON.stringify(jsonTraceRequest([jsonSpan({ name: 'json span' })])) });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(json(res), {});
    assert.equal(sink.spans.at(-1)?.name, 'json span');
  });

  test('gzip and deflate bodies are inflated', async () => {
    const body = encodeTraceRequest(traceRequestObject([protoSpan({ name: 'compressed' })]));
    for (const [encoding, compressed] of [
      ['gzip', zlib.gzipSync(body)],
      ['deflate', zlib.deflateSync(body)],
      ['deflate', zlib.deflateRawSync(body)],
    ] as const) {
      const res = await request(traces, { headers: { ...PROTOBUF, 'Content-Encoding': encoding }, body: compressed });
      assert.equal(res.status, 200, `${encoding}: ${res.body.toString()}`);
      assert.equal(sink.spans.at(-1)?.name, 'compressed');
    }
  });

  test('logs arrive through /v1/logs in protobuf and JSON', async () => {
    const record = { timeUnixNano: '1700000000000000000', eventName: 'gen_ai.user.message', body: { stringValue: 'hi' } };
    const a = await request(logs, { headers: PROTOBUF, body: encodeLogsRequest(logsRequestObject([record])) });
    const b = await request(logs, { headers: JSON_TYPE, body: JSON.stringify(logsRequestObject([record])) });
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.deepEqual(json(b), {});
    assert.deepEqual(sink.records.slice(-2).map((r) => r.eventName), ['gen_ai.user.message', 'gen_ai.user.message']);
  });

  test('spans without ids come back as partial_success with the rejected count, in both encodings', async () => {
    const bad = protoSpan({ name: 'no ids', traceId: Buffer.alloc(0) });
    const res = await request(traces, { headers: PROTOBUF, body: encodeTraceRequest(traceRequestObject([bad, protoSpan()])) });
    assert.equal(res.status, 200);
    const decoded = otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(res.body), {
      longs: Number,
    });
    assert.equal(decoded.partialSuccess.rejectedSpans, 1);
    assert.match(decoded.partialSuccess.errorMessage, /no ids/);

    const jsonRes = await request(traces, {
      headers: JSON_TYPE,
      body: JSON.stringify(jsonTraceRequest([jsonSpan({ spanId: '' }), jsonSpan()])),
    });
    // int64 counts as OTLP/JSON writes them: decimal strings.
    assert.deepEqual(json(jsonRes), {
      partialSuccess: { rejectedSpans: '1', errorMessage: 'span "chat gpt-4o-mini" has an invalid or missing spanId' },
    });
  });

  test("a rejected span's name is cut short in the answer: long names do not make the answer as big as the request", async () => {
    const name = 'n'.repeat(10_000);
    const spans = Array.from({ length: 5 }, () => jsonSpan({ name, spanId: '' }));
    const res = await request(traces, { headers: JSON_TYPE, body: JSON.stringify(jsonTraceRequest(spans)) });
    assert.equal(res.status, 200);
    const { partialSuccess } = json(res) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    assert.equal(partialSuccess.rejectedSpans, '5');
    assert.ok(res.body.length < 2000, `${res.body.length} bytes`);
    assert.match(partialSuccess.errorMessage, /^span "n{120}…" has an invalid or missing spanId/);
  });

  test('unreadable log records come back as partial_success with rejectedLogRecords', async () => {
    const body = JSON.stringify(logsRequestObject([{ body: { stringValue: 'ok' } }, 'not a record' as unknown as object]));
    const res = await request(logs, { headers: JSON_TYPE, body });
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), { partialSuccess: { rejectedLogRecords: '1', errorMessage: 'a log record is not a JSON object' } });
  });

  test('malformed protobuf is a 400 with a google.rpc.Status body in protobuf', async () => {
    const res = await request(traces, { headers: PROTOBUF, body: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]) });
    assert.equal(res.status, 400);
    const status = otlpTypes.RpcStatus.toObject(otlpTypes.RpcStatus.decode(res.body)) as { code: number; message: string };
    assert.equal(status.code, 3);
    assert.match(status.message, /Invalid OTLP protobuf ExportTraceServiceRequest/);
  });

  test('a body of zero bytes is a 400, traces and logs alike: field number 0 is no field (protobufjs read it as an empty export)', async () => {
    for (const path of [traces, logs]) {
      const res = await request(path, { headers: PROTOBUF, body: Buffer.alloc(64) });
      assert.equal(res.status, 400, path);
      const status = otlpTypes.RpcStatus.toObject(otlpTypes.RpcStatus.decode(res.body)) as { code: number; message: string };
      assert.match(status.message, /Invalid OTLP protobuf Export(Trace|Logs)ServiceRequest: field number 0/);
    }
  });

  test('malformed JSON is a 400 with a JSON {code, message} body', async () => {
    const res = await request(traces, { headers: JSON_TYPE, body: '{"resourceSpans": [' });
    assert.equal(res.status, 400);
    const body = json(res) as { code: number; message: string };
    assert.equal(body.code, 3);
    assert.match(body.message, /Invalid OTLP\/JSON/);
  });

  test('an unsupported content type is a 415', async () => {
    const res = await request(traces, { headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    assert.equal(res.status, 415);
    assert.match((json(res) as { message: string }).message, /application\/x-protobuf or application\/json/);
    const missing = await request(traces, { body: 'hello' });
    assert.equal(missing.status, 415);
  });

  test('an unsupported content encoding is a 415', async () => {
    const res = await request(traces, { headers: { ...PROTOBUF, 'Content-Encoding': 'br' }, body: Buffer.from([1]) });
    assert.equal(res.status, 415);
  });

  test('a body over the limit is a 413, with or without Content-Length', async () => {
    const big = encodeTraceRequest(traceRequestObject([protoSpan({ name: 'x'.repeat(LIMIT) })]));
    const declared = await request(traces, { headers: PROTOBUF, body: big });
    assert.equal(declared.status, 413);
    assert.match(otlpTypes.RpcStatus.decode(declared.body).toJSON().message, /limit/);
    const chunked = await request(traces, { headers: PROTOBUF, chunks: [big.subarray(0, 40_000), big.subarray(40_000)] });
    assert.equal(chunked.status, 413);
  });

  test('a client still sending a body refused by its Content-Length gets the 413, not a reset or a broken pipe', async () => {
    // As an exporter writes a big export: in pieces, while the answer may already be on its way.
    // More than loopback's socket buffers hold, so that the client is still writing when the answer comes.
    const piece = Buffer.alloc(256 * 1024, 1);
    const pieces = Array.from({ length: 64 }, () => piece);
    const length = piece.length * pieces.length;
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await slowUpload(traces, { ...PROTOBUF, 'Content-Length': String(length) }, pieces);
      assert.equal(answer, 413, `attempt ${attempt}`);
    }
  });

  test('refused exports are reported with their reason, a 413 with the setting to raise: the sender alone would know', async () => {
    const seen = sinkErrors.length;
    await request(traces, { headers: PROTOBUF, body: Buffer.alloc(LIMIT + 1, 1) });
    await request(traces, { headers: PROTOBUF, body: Buffer.from([0xff, 0xff]) });
    await request(logs, { headers: { 'content-type': 'text/plain' }, body: 'hello' });
    await request(logs, { headers: PROTOBUF, body: Buffer.alloc(LIMIT + 1, 1) });
    const reported = sinkErrors.slice(seen).filter((e) => e instanceof RejectedExportError) as RejectedExportError[];
    assert.deepEqual(reported.map((e) => e.status), [413, 400, 415, 413]);
    assert.match(reported[0].message, /^Spanlight refused an OTLP\/HTTP export \(413\): .*limit[^.]*\. Raise spanlight\.receiver\.maxBodyMB.*\(OTEL_BSP_MAX_EXPORT_BATCH_SIZE\)\.$/);
    // The SDK's setting for the signal refused: logs are batched by another one.
    assert.match(reported[3].message, /\(OTEL_BLRP_MAX_EXPORT_BATCH_SIZE\)\.$/);
  });

  test('a gzip bomb (small body inflating past the limit) is a 413', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(LIMIT * 64));
    assert.ok(bomb.length < LIMIT);
    const res = await request(traces, { headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' }, body: bomb });
    assert.equal(res.status, 413);
    assert.match((json(res) as { message: string }).message, /after decompression/);
  });

  test('corrupt gzip is a 400', async () => {
    const res = await request(traces, { headers: { ...PROTOBUF, 'Content-Encoding': 'gzip' }, body: Buffer.from('not gzip') });
    assert.equal(res.status, 400);
  });

  test('100k nested kvlists: in protobuf the span is rejected alone (partial success), in JSON kept up to the depth limit', async () => {
    const server2 = await startHttpReceiver({ sink, port: 0 });
    try {
      const proto = await request(`${server2.url}/v1/traces`, { headers: PROTOBUF, body: deeplyNestedProtobufTraceRequest(100_000) });
      assert.equal(proto.status, 200);
      const answer = otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(proto.body), { longs: Number });
      assert.equal(answer.partialSuccess.rejectedSpans, 1);
      assert.match(answer.partialSuccess.errorMessage, /span "deep span" nests values deeper/);
      const jsonRes = await request(`${server2.url}/v1/traces`, { headers: JSON_TYPE, body: deeplyNestedJsonTraceRequest(100_000) });
      assert.equal(jsonRes.status, 200);
      assert.ok('deep' in (sink.spans.at(-1)?.attributes ?? {}));
    } finally {
      await server2.close();
    }
  });

  test('a failing sink is a 500 with its message, and the next request is served', async () => {
    sink.failNext = new Error('disk full');
    const failed = await request(traces, { headers: JSON_TYPE, body: JSON.stringify(jsonTraceRequest([jsonSpan()])) });
    assert.equal(failed.status, 500);
    assert.match((json(failed) as { message: string }).message, /disk full/);
    assert.equal(sinkErrors.at(-1)?.message, 'disk full');

    sink.failNext = new Error('async failure');
    const failedLogs = await request(logs, { headers: PROTOBUF, body: encodeLogsRequest(logsRequestObject([{}])) });
    assert.equal(failedLogs.status, 500);

    const ok = await request(traces, { headers: JSON_TYPE, body: JSON.stringify(jsonTraceRequest([jsonSpan()])) });
    assert.equal(ok.status, 200);
  });

  test('a sink failing after it answered is reported, not answered twice, and the next request is served', async () => {
    const body = encodeTraceRequest(traceRequestObject([protoSpan()]));
    sink.failAfterAnswer = new Error('store closed meanwhile');
    const answered = await request(traces, { headers: PROTOBUF, body });
    assert.equal(answered.status, 200);
    assert.equal(sinkErrors.at(-1)?.message, 'store closed meanwhile');
    const next = await request(traces, { headers: PROTOBUF, body });
    assert.equal(next.status, 200);
  });

  test('GET on an export endpoint is a 405 and unknown paths are a JSON 404', async () => {
    const get = await request(traces, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    const unknown = await request(`${server.url}/v1/profiles`, { headers: PROTOBUF, body: Buffer.alloc(0) });
    assert.equal(unknown.status, 404);
    assert.ok((json(unknown) as { error: string }).error);
  });

  test('CORS is off by default: no Access-Control headers, even for a preflight', async () => {
    const res = await request(traces, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});

/** Writes `pieces` a tick apart; the status the server answered, or the client's error code. */
function slowUpload(url: string, headers: Record<string, string>, pieces: Buffer[]): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    let i = 0;
    const next = (): void => {
      if (i === pieces.length) req.end();
      else req.write(pieces[i++], () => setImmediate(next));
    };
    next();
  });
}
