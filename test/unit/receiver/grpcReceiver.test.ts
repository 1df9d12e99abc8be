import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';
import net from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { LOGS_EXPORT_PATH, otlpTypes, TRACE_EXPORT_PATH } from '../../../src/otlp/otlpSchema';
import { RejectedExportError } from '../../../src/receiver/errors';
import { startGrpcReceiver, type GrpcReceiverHandle } from '../../../src/receiver/grpcReceiver';
import {
  deeplyNestedProtobufTraceRequest,
  encodeLogsRequest,
  encodeTraceRequest,
  logsRequestObject,
  protoSpan,
  traceRequestObject,
} from '../otlp/otlpPayloads';
import { RecordingSink } from './receiverKit';

const LIMIT = 64 * 1024;
const identity = (b: Buffer): Buffer => b;

function exportCall(
  client: grpc.Client,
  path: string,
  body: Buffer,
  metadata = new grpc.Metadata(),
): Promise<{ error: grpc.ServiceError | null; response?: Buffer }> {
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, identity, identity, body, metadata, (error, response) => resolve({ error, response }));
  });
}

describe('OTLP/gRPC receiver', () => {
  const sink = new RecordingSink();
  const sinkErrors: Error[] = [];
  let server: GrpcReceiverHandle;
  let client: grpc.Client;
  let gzipClient: grpc.Client;

  before(async () => {
    server = await startGrpcReceiver({ sink, port: 0, bodyLimitBytes: LIMIT, onError: (e) => sinkErrors.push(e) });
    const address = `127.0.0.1:${server.port}`;
    client = new grpc.Client(address, grpc.credentials.createInsecure());
    // 2 = gzip in grpc-js' compression algorithm enum: what OTEL_EXPORTER_OTLP_COMPRESSION=gzip selects.
    gzipClient = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.default_compression_algorithm': 2 });
  });
  after(async () => {
    client.close();
    gzipClient.close();
    await server.close();
  });

  test('TraceService/Export accepts a request and answers an empty response', async () => {
    const { error, response } = await exportCall(client, TRACE_EXPORT_PATH, encodeTraceRequest(traceRequestObject([protoSpan()])));
    assert.equal(error, null);
    assert.deepEqual(otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(response ?? Buffer.alloc(0))), {});
    assert.equal(sink.spans.at(-1)?.name, 'chat gpt-4o-mini');
  });

  test('MetricsService/Export is acknowledged so SDKs exporting every signal log no errors', async () => {
    const { error } = await exportCall(client, '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', Buffer.from([0x0a, 0x00]));
    assert.equal(error, null);
  });

  test('LogsService/Export accepts log records', async () => {
    const { error } = await exportCall(client, LOGS_EXPORT_PATH, encodeLogsRequest(logsRequestObject([{ eventName: 'gen_ai.choice' }])));
    assert.equal(error, null);
    assert.equal(sink.records.at(-1)?.eventName, 'gen_ai.choice');
  });

  test('gzip-compressed messages are inflated', async () => {
    const { error } = await exportCall(gzipClient, TRACE_EXPORT_PATH, encodeTraceRequest(traceRequestObject([protoSpan({ name: 'zipped' })])));
    assert.equal(error, null);
    assert.equal(sink.spans.at(-1)?.name, 'zipped');
  });

  test('rejected spans are reported in partial_success', async () => {
    const body = encodeTraceRequest(traceRequestObject([protoSpan({ spanId: Buffer.alloc(0) }), protoSpan()]));
    const { response } = await exportCall(client, TRACE_EXPORT_PATH, body);
    const decoded = otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(response ?? Buffer.alloc(0)), {
      longs: Number,
    });
    assert.equal(decoded.partialSuccess.rejectedSpans, 1);
    assert.match(decoded.partialSuccess.errorMessage, /span_id/);
  });

  test('a message of zero bytes is INVALID_ARGUMENT, traces and logs alike (field number 0)', async () => {
    for (const path of [TRACE_EXPORT_PATH, LOGS_EXPORT_PATH]) {
      const { error } = await exportCall(client, path, Buffer.alloc(64));
      assert.equal(error?.code, grpc.status.INVALID_ARGUMENT, path);
      assert.match(error?.details ?? '', /field number 0/);
    }
  });

  test('undecodable bytes are INVALID_ARGUMENT with the decoder message', async () => {
    const { error } = await exportCall(client, TRACE_EXPORT_PATH, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]));
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error?.details ?? '', /Invalid OTLP protobuf/);
  });

  test('a span with 100k nested kvlists is rejected alone (partial success) and the server keeps serving', async () => {
    const big = await startGrpcReceiver({ sink, port: 0 });
    const bigClient = new grpc.Client(`127.0.0.1:${big.port}`, grpc.credentials.createInsecure());
    try {
      const { error, response } = await exportCall(bigClient, TRACE_EXPORT_PATH, deeplyNestedProtobufTraceRequest(100_000));
      assert.equal(error, null);
      const decoded = otlpTypes.ExportTraceServiceResponse.toObject(otlpTypes.ExportTraceServiceResponse.decode(response ?? Buffer.alloc(0)), { longs: Number });
      assert.equal(decoded.partialSuccess?.rejectedSpans, 1);
      const next = await exportCall(bigClient, TRACE_EXPORT_PATH, encodeTraceRequest(traceRequestObject([protoSpan()])));
      assert.equal(next.error, null);
    } finally {
      bigClient.close();
      await big.close();
    }
  });

  test('messages over the limit, plain or inflating past it, are RESOURCE_EXHAUSTED, and reported', async () => {
    const reported = sinkErrors.length;
    const big = encodeTraceRequest(traceRequestObject([protoSpan({ name: 'x'.repeat(LIMIT) })]));
    const plain = await exportCall(client, TRACE_EXPORT_PATH, big);
    assert.equal(plain.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    const bomb = encodeTraceRequest(traceRequestObject([protoSpan({ name: 'a'.repeat(LIMIT * 4) })]));
    const zipped = await exportCall(gzipClient, TRACE_EXPORT_PATH, bomb);
    assert.equal(zipped.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    // Proves the small gzip frame got through and was stopped while inflating.
    assert.match(zipped.error?.details ?? '', /decompresses to a size larger/);
    // grpc-js refuses them before any handler runs; the receiver still tells the user (the app's
    // exporter logs RESOURCE_EXHAUSTED in the app's console, which the user may never look at).
    await setTimeout(100);
    const refusals = sinkErrors.slice(reported);
    assert.equal(refusals.length, 2);
    for (const refusal of refusals) assert.ok(refusal instanceof RejectedExportError && refusal.status === 413, refusal.message);
    assert.match(refusals[0].message, /OTLP\/gRPC export \(413\): a traces message over the 65536-byte limit of this receiver .*maxBodyMB.*\(OTEL_BSP_MAX_EXPORT_BATCH_SIZE\)\.$/);
    const logs = await exportCall(client, LOGS_EXPORT_PATH, encodeLogsRequest(logsRequestObject([{ body: { stringValue: 'x'.repeat(LIMIT) } }])));
    assert.equal(logs.error?.code, grpc.status.RESOURCE_EXHAUSTED);
    await setTimeout(100);
    assert.match(sinkErrors.at(-1)?.message ?? '', /a logs message over.*\(OTEL_BLRP_MAX_EXPORT_BATCH_SIZE\)\.$/, 'the logs SDK\'s batch setting');
  });

  test('a call the exporter gave up on before sending its message is not reported: deadline passed, call cancelled, connection closed', async () => {
    const before = sinkErrors.length;
    const timedOut = http2.connect(`http://127.0.0.1:${server.port}`);
    // A gRPC call whose message never comes, with a 50 ms deadline (grpc-timeout): grpc-js ends it.
    const late = timedOut.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '50m' });
    // Ended without a message: a trailers-only answer, which Node reports as the response's headers.
    const status = await new Promise((resolve) => late.on('response', (headers) => resolve(headers['grpc-status'])));
    assert.equal(status, String(grpc.status.DEADLINE_EXCEEDED));
    late.close();
    // A call the exporter cancels (RST_STREAM) before its message is whole.
    const cancelled = timedOut.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
    cancelled.write(Buffer.from([0, 0, 0, 1, 0]));
    await setTimeout(50);
    cancelled.close(http2.constants.NGHTTP2_CANCEL);
    // A call in progress when the app exits: its connection goes with it (the socket closes, no HTTP/2 goodbye).
    const socket = net.connect(server.port, '127.0.0.1');
    const exiting = http2.connect(`http://127.0.0.1:${server.port}`, { createConnection: () => socket });
    exiting.on('error', () => undefined);
    const cut = exiting.request({ ':method': 'POST', ':path': TRACE_EXPORT_PATH, 'content-type': 'application/grpc', te: 'trailers' });
    cut.on('error', () => undefined);
    cut.write(Buffer.from([0, 0, 0, 1, 0]));
    await setTimeout(50);
    socket.destroy();
    timedOut.close();
    await setTimeout(100);
    assert.deepEqual(sinkErrors.slice(before), []);
  });

  test('a failing sink is INTERNAL with its message, and the next call succeeds', async () => {
    sink.failNext = new Error('store closed');
    const failed = await exportCall(client, TRACE_EXPORT_PATH, encodeTraceRequest(traceRequestObject([protoSpan()])));
    assert.equal(failed.error?.code, grpc.status.INTERNAL);
    assert.match(failed.error?.details ?? '', /store closed/);
    sink.failNext = new Error('async store closed');
    const failedLogs = await exportCall(client, LOGS_EXPORT_PATH, encodeLogsRequest(logsRequestObject([{}])));
    assert.equal(failedLogs.error?.code, grpc.status.INTERNAL);
    const ok = await exportCall(client, TRACE_EXPORT_PATH, encodeTraceRequest(traceRequestObject([protoSpan()])));
    assert.equal(ok.error, null);
  });

  test('a sink failing after it answered is reported, not answered twice, and the next call succeeds', async () => {
    const body = encodeTraceRequest(traceRequestObject([protoSpan()]));
    sink.failAfterAnswer = new Error('store closed meanwhile');
    const answered = await exportCall(client, TRACE_EXPORT_PATH, body);
    assert.equal(answered.error, null);
    assert.equal(sinkErrors.at(-1)?.message, 'store closed meanwhile');
    const next = await exportCall(client, TRACE_EXPORT_PATH, body);
    assert.equal(next.error, null);
  });
});

test('with an auth token, gRPC calls need the bearer token in metadata', async () => {
  const sink = new RecordingSink();
  const server = await startGrpcReceiver({ sink, port: 0, authToken: 's3cret' });
  const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  try {
    const body = encodeTraceRequest(traceRequestObject([protoSpan()]));
    const anonymous = await exportCall(client, TRACE_EXPORT_PATH, body);
    assert.equal(anonymous.error?.code, grpc.status.UNAUTHENTICATED);
    const metadata = new grpc.Metadata();
    metadata.set('authorization', 'Bearer s3cret');
    const authorized = await exportCall(client, TRACE_EXPORT_PATH, body, metadata);
    assert.equal(authorized.error, null);
    assert.equal(sink.spans.length, 1);
    // Metrics too: they are passed on to a forwarding sink, so they must not get in without the token.
    const METRICS_EXPORT_PATH = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';
    assert.equal((await exportCall(client, METRICS_EXPORT_PATH, Buffer.alloc(0))).error?.code, grpc.status.UNAUTHENTICATED);
    assert.equal((await exportCall(client, METRICS_EXPORT_PATH, Buffer.alloc(0), metadata)).error, null);
  } finally {
    client.close();
    await server.close();
  }
});
