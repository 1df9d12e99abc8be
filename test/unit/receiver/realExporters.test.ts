// The official OpenTelemetry JS exporters, pointed at our receivers over loopback: proof that each
// transport (http/protobuf, http/json, gRPC; with and without gzip) works with what users actually run.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { startGrpcReceiver, type GrpcReceiverHandle } from '../../../src/receiver/grpcReceiver';
import { createReceiverApp } from '../../../src/receiver/httpReceiver';
import { RecordingSink } from './receiverKit';

const resource = resourceFromAttributes({ 'service.name': 'exporter-test' });

/** Exporters read OTEL_EXPORTER_OTLP_COMPRESSION when constructed, as in a user's app. */
function withCompression<T>(compression: 'gzip' | undefined, create: () => T): T {
  const previous = process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
  if (compression) process.env.OTEL_EXPORTER_OTLP_COMPRESSION = compression;
  else delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
  try {
    return create();
  } finally {
    if (previous === undefined) delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
    else process.env.OTEL_EXPORTER_OTLP_COMPRESSION = previous;
  }
}

async function exportOneSpanAndLog(sink: RecordingSink, traceExporter: SpanExporter, logExporter: LogRecordExporter, label: string) {
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(traceExporter)] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
  try {
    const span = tracerProvider.getTracer('exporter-test', '9.9.9').startSpan(`chat ${label}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 12, 'gen_ai.request.stop': ['\n', 'END'] },
    });
    span.addEvent('gen_ai.content.prompt', { 'gen_ai.prompt': 'hello' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
    loggerProvider.getLogger('genai').emit({
      eventName: 'gen_ai.user.message',
      severityNumber: SeverityNumber.INFO,
      body: { content: `hi from ${label}` },
      context: trace.setSpan(context.active(), span),
    });
    span.end();
    await tracerProvider.forceFlush();
    await loggerProvider.forceFlush();
    // SimpleLogRecordProcessor.forceFlush only waits for exports blocked on async resource
    // attributes, not for the one already in flight; the exporter's own flush waits for its sends.
    await traceExporter.forceFlush?.();
    await logExporter.forceFlush?.();

    const received = sink.spans.find((s) => s.name === `chat ${label}`);
    assert.ok(received, `span over ${label} did not arrive`);
    const sent = span.spanContext();
    assert.equal(received.traceId, sent.traceId);
    assert.equal(received.spanId, sent.spanId);
    assert.equal(received.kind, 'CLIENT');
    assert.deepEqual(received.status, { code: 'ERROR', message: 'boom' });
    assert.deepEqual(received.attributes, { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 12, 'gen_ai.request.stop': ['\n', 'END'] });
    assert.equal(received.events[0].name, 'gen_ai.content.prompt');
    assert.equal(received.resource['service.name'], 'exporter-test');
    assert.deepEqual(received.scope, { name: 'exporter-test', version: '9.9.9' });
    assert.ok(received.durationMs >= 0);
    assert.match(received.startTimeUnixNano, /^1\d{18}$/);

    const record = sink.records.find((r) => JSON.stringify(r.body).includes(label));
    assert.ok(record, `log record over ${label} did not arrive`);
    assert.equal(record.eventName, 'gen_ai.user.message');
    assert.equal(record.severityNumber, SeverityNumber.INFO);
    assert.deepEqual(record.body, { content: `hi from ${label}` });
    assert.equal(record.traceId, sent.traceId);
    assert.equal(record.spanId, sent.spanId);
  } finally {
    await tracerProvider.shutdown();
    await loggerProvider.shutdown();
  }
}

describe('real OpenTelemetry exporters', () => {
  const sink = new RecordingSink();
  /** Content-Encoding of each HTTP export, to prove the gzip runs really were compressed. */
  const encodings: string[] = [];
  let httpServer: Server;
  let http: { url: string };
  let grpc: GrpcReceiverHandle;

  before(async () => {
    const app = createReceiverApp({ sink });
    httpServer = createServer((req, res) => {
      encodings.push(req.headers['content-encoding'] ?? 'identity');
      app(req, res);
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    http = { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
    grpc = await startGrpcReceiver({ sink, port: 0 });
  });
  after(async () => {
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
    await grpc.close();
  });


  for (const compression of [undefined, 'gzip'] as const) {
    const suffix = compression ? ' with gzip' : '';

    /** Both HTTP exports of one run carried the expected Content-Encoding. */
    async function overHttp(run: () => Promise<void>): Promise<void> {
      const first = encodings.length;
      await run();
      assert.deepEqual(encodings.slice(first), [compression ?? 'identity', compression ?? 'identity']);
    }

    test(`http/protobuf exporters${suffix}`, () =>
      overHttp(() =>
        withCompression(compression, () =>
          exportOneSpanAndLog(
            sink,
            new ProtoTraceExporter({ url: `${http.url}/v1/traces` }),
            new ProtoLogExporter({ url: `${http.url}/v1/logs` }),
            `http/protobuf${suffix}`,
          ),
        ),
      ));

    test(`http/json exporters${suffix}`, () =>
      overHttp(() =>
        withCompression(compression, () =>
          exportOneSpanAndLog(
            sink,
            new JsonTraceExporter({ url: `${http.url}/v1/traces` }),
            new JsonLogExporter({ url: `${http.url}/v1/logs` }),
            `http/json${suffix}`,
          ),
        ),
      ));

    test(`gRPC exporters${suffix}`, () =>
      withCompression(compression, () =>
        exportOneSpanAndLog(
          sink,
          new GrpcTraceExporter({ url: `http://127.0.0.1:${grpc.port}` }),
          new GrpcLogExporter({ url: `http://127.0.0.1:${grpc.port}` }),
          `grpc${suffix}`,
        ),
      ));
  }
});
