// An exporter pointed at the other transport's port (OTLP/HTTP at 4317, gRPC at 4318), the most common
// reason a user sees no traces: the official JS exporters, over loopback, must get an answer that names
// the fix, the receiver must report it (the extension shows it once), and both ports keep serving.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { MisdirectedExportError } from '../../../src/receiver/errors';
import { startGrpcReceiver, type GrpcReceiverHandle } from '../../../src/receiver/grpcReceiver';
import { startHttpReceiver, type HttpReceiverHandle } from '../../../src/receiver/httpReceiver';
import { encodeTraceRequest, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';
import { RecordingSink } from './receiverKit';

/** One finished span, exported directly: the exporter's result is what its app would log. */
function exportOne(exporter: SpanExporter): Promise<ExportResult> {
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'misdirected' }) });
  const span = provider.getTracer('misdirected').startSpan('chat gpt-4o-mini');
  span.end();
  return new Promise((resolve) => exporter.export([span as unknown as ReadableSpan], resolve));
}

/** What the port answers to raw bytes, up to the connection's end. */
function rawAnswer(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

describe('an exporter on the other transport’s port, or speaking TLS', () => {
  const sink = new RecordingSink();
  const errors: Error[] = [];
  let http: HttpReceiverHandle;
  let grpc: GrpcReceiverHandle;

  before(async () => {
    // The ports each names are the other's, as the engine passes them.
    grpc = await startGrpcReceiver({ sink, port: 0, httpPort: 4318, onError: (e) => errors.push(e) });
    http = await startHttpReceiver({ sink, port: 0, grpcPort: 4317, onError: (e) => errors.push(e) });
  });
  after(async () => {
    await http.close();
    await grpc.close();
  });

  test('OTLP/HTTP at the gRPC port: a 400 whose message names the HTTP port and the protocol setting, reported once per connection', async () => {
    const exporter = new ProtoTraceExporter({ url: `http://127.0.0.1:${grpc.port}/v1/traces` });
    const result = await exportOne(exporter);
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(String(result.error?.message), /400|Bad Request/);
    const reported = errors.find((e) => e instanceof MisdirectedExportError && e.transport === 'grpc');
    assert.ok(reported, 'reported to onError');
    assert.equal(
      reported.message,
      `An OTLP/HTTP exporter is sending to 127.0.0.1:${grpc.port}, Spanlight's OTLP/gRPC port: point it at port 4318 ` +
        '(OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318), or make it send OTLP/gRPC with OTEL_EXPORTER_OTLP_PROTOCOL=grpc.',
    );
    // What a user's HTTP client sees: the same sentence as the body.
    const answer = await fetch(`http://127.0.0.1:${grpc.port}/v1/traces`, { method: 'POST', body: encodeTraceRequest(traceRequestObject([protoSpan()])) });
    assert.equal(answer.status, 400);
    assert.match(await answer.text(), /point it at port 4318/);
  });

  test('gRPC at the HTTP port: reported with the gRPC port to use, and the HTTP port still answers', async () => {
    const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${http.port}` });
    const result = await exportOne(exporter);
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.FAILED);
    const reported = errors.find((e) => e instanceof MisdirectedExportError && e.transport === 'http');
    assert.ok(reported, 'reported to onError');
    assert.match(
      reported.message,
      /^An OTLP\/gRPC \(HTTP\/2\) exporter is sending to 127\.0\.0\.1:\d+, Spanlight's OTLP\/HTTP port: point it at port 4317 .*OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf\. An OTLP\/HTTP client must use HTTP\/1\.1 here\.$/,
    );
    // A request HTTP/1 cannot parse still gets the 400 Node gives it.
    assert.match(await rawAnswer(http.port, 'NOT HTTP AT ALL\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request\r\n/);
    const good = await fetch(`${http.url}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: encodeTraceRequest(traceRequestObject([protoSpan()])) });
    assert.equal(good.status, 200);
  });

  test('TLS on either port (an https:// endpoint, or Python gRPC without a scheme): reported with the plain endpoint to use', async () => {
    const exporter = new GrpcTraceExporter({ url: `https://127.0.0.1:${grpc.port}` });
    const result = await exportOne(exporter);
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.FAILED);
    const onGrpc = errors.find((e) => e instanceof MisdirectedExportError && e.mismatch === 'tls' && e.transport === 'grpc');
    assert.equal(
      onGrpc?.message,
      `An exporter is connecting to 127.0.0.1:${grpc.port} with TLS, but Spanlight's receiver takes plain connections on this machine: ` +
        `use http://localhost:${grpc.port} as its endpoint (Python's gRPC exporter: or OTEL_EXPORTER_OTLP_INSECURE=true).`,
    );
    const https = new ProtoTraceExporter({ url: `https://127.0.0.1:${http.port}/v1/traces` });
    assert.equal((await exportOne(https)).code, ExportResultCode.FAILED);
    await https.shutdown();
    const onHttp = errors.find((e) => e instanceof MisdirectedExportError && e.mismatch === 'tls' && e.transport === 'http');
    assert.match(String(onHttp?.message), new RegExp(`use http://localhost:${http.port} as its endpoint\\.$`));
  });

  test('the real exporter given OTEL_EXPORTER_OTLP_TRACES_ENDPOINT without its path: a 404 naming the variables, reported; the API and other paths answer as before', async () => {
    const exporter = new ProtoTraceExporter({ url: `http://127.0.0.1:${http.port}` });
    assert.equal((await exportOne(exporter)).code, ExportResultCode.FAILED);
    await exporter.shutdown();
    const reported = errors.find((e) => e instanceof MisdirectedExportError && e.mismatch === 'path');
    assert.equal(
      reported?.message,
      `An OTLP/HTTP exporter posted to / on 127.0.0.1:${http.port}; exports go to /v1/traces and /v1/logs. ` +
        `OTEL_EXPORTER_OTLP_ENDPOINT takes the base URL (http://localhost:${http.port}: the exporter adds the path), ` +
        `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and OTEL_EXPORTER_OTLP_LOGS_ENDPOINT the whole URL (http://localhost:${http.port}/v1/traces).`,
    );
    const count = errors.length;
    for (const [method, path, type] of [['GET', '/', 'application/json'], ['POST', '/api/traces', 'application/json'], ['POST', '/upload', 'text/plain']]) {
      const res = await fetch(`http://127.0.0.1:${http.port}${path}`, { method, headers: { 'content-type': type }, body: method === 'POST' ? '{}' : undefined });
      assert.equal(res.status, 404);
      assert.match(await res.text(), /No route for/);
    }
    assert.equal(errors.length, count, 'nothing else reported');
  });

  test('after both mistakes, gRPC exports to the gRPC port are received as before', async () => {
    const before = sink.spans.length;
    const exporter = new GrpcTraceExporter({ url: `http://127.0.0.1:${grpc.port}` });
    const result = await exportOne(exporter);
    await exporter.shutdown();
    assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
    assert.equal(sink.spans.length, before + 1);
  });
});
