// The gRPC port (4317 by default): OTLP TraceService/Export and LogsService/Export.
// The service definition is built by hand: requests stay Buffers until our decoder reads them, so a bad
// payload becomes INVALID_ARGUMENT with our message (a throwing deserializer would surface as INTERNAL).
import * as grpc from '@grpc/grpc-js';
import net from 'node:net';
import { LOGS_EXPORT_PATH, TRACE_EXPORT_PATH } from '../otlp/otlpSchema';
import { encodeExportResponse, type OtlpSignal } from '../otlp/responses';
import { OtlpDecodeError } from '../otlp/types';
import { bearerTokenMatches } from './auth';
import { DEFAULT_BODY_LIMIT_BYTES } from './body';
import { receiveExport } from './receiveExport';
import { assertSafeBind, hostForUrl, normalizeHost } from './bindAddress';
import { PortInUseError } from './errors';
import type { ExportResult, OtlpSink } from './sink';

export interface GrpcReceiverOptions {
  sink: OtlpSink;
  /** Default 127.0.0.1; anything non-loopback requires `authToken`. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Max message size after decompression (default 16 MiB), like the HTTP body limit. */
  bodyLimitBytes?: number;
  /** When set, calls need metadata `authorization: Bearer <token>` (OTEL_EXPORTER_OTLP_HEADERS). */
  authToken?: string;
  onError?: (err: Error) => void;
}

export interface GrpcReceiverHandle {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const identity = (b: Buffer): Buffer => b;

function exportMethod(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

const traceServiceDefinition: grpc.ServiceDefinition = { Export: exportMethod(TRACE_EXPORT_PATH) };
const logsServiceDefinition: grpc.ServiceDefinition = { Export: exportMethod(LOGS_EXPORT_PATH) };
// Acknowledged, not read: see metricsAcknowledger in otlpHttpRoutes.ts for why metrics are accepted at all.
const metricsServiceDefinition: grpc.ServiceDefinition = {
  Export: exportMethod('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'),
};

/** Answers UNAUTHENTICATED and returns false when a token is required and the call lacks it. */
function authorized(call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>, options: GrpcReceiverOptions): boolean {
  if (!options.authToken) return true;
  const header = call.metadata.get('authorization')[0];
  if (bearerTokenMatches(typeof header === 'string' ? header : undefined, options.authToken)) return true;
  callback({ code: grpc.status.UNAUTHENTICATED, details: 'Missing or wrong bearer token in the "authorization" metadata' });
  return false;
}

function metricsAcknowledger(options: GrpcReceiverOptions): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    if (!authorized(call, callback, options)) return;
    // An empty ExportMetricsServiceResponse; the metrics themselves only go on to a forwarding sink.
    callback(null, Buffer.alloc(0));
    options.sink.exportAccepted?.('metrics', 'protobuf', call.request);
  };
}

function exportHandler(signal: OtlpSignal, options: GrpcReceiverOptions): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    if (!authorized(call, callback, options)) return;
    let answered = false;
    const answer = (result: ExportResult) => {
      answered = true;
      callback(null, encodeExportResponse(signal, 'protobuf', result.rejected, result.errors));
    };
    receiveExport(options.sink, signal, 'protobuf', call.request, answer).then(
      () => undefined,
      (err: unknown) => {
        if (answered) {
          // The export was answered (it was readable) and then failed to store: only the log can tell.
          options.onError?.(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        if (err instanceof OtlpDecodeError) {
          callback({ code: grpc.status.INVALID_ARGUMENT, details: err.message });
          return;
        }
        const error = err instanceof Error ? err : new Error(String(err));
        options.onError?.(error);
        callback({ code: grpc.status.INTERNAL, details: `Spanlight could not store the ${signal}: ${error.message}` });
      },
    );
  };
}

/**
 * Fails fast with PortInUseError before grpc-js tries: its own bind failure also prints
 * "E No address added…" on stderr, which would read like a crash in the extension host log.
 * The bind below still maps EADDRINUSE, for the race where the port is taken in between.
 */
function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, 'grpc', host) : err);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Binds both services; rejects with PortInUseError when the port is taken, ReceiverConfigError on an unsafe bind. */
export async function startGrpcReceiver(options: GrpcReceiverOptions): Promise<GrpcReceiverHandle> {
  const host = normalizeHost(options.host ?? '127.0.0.1');
  assertSafeBind(host, options.authToken, 'grpc');
  await assertPortFree(host, options.port);
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  // grpc-js inflates gzip/deflate messages (grpc-encoding) itself and applies this limit to the inflated size.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': limit });
  server.addService(traceServiceDefinition, { Export: exportHandler('traces', options) });
  server.addService(logsServiceDefinition, { Export: exportHandler('logs', options) });
  server.addService(metricsServiceDefinition, { Export: metricsAcknowledger(options) });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${hostForUrl(host)}:${options.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (!err) {
        resolve(bound);
        return;
      }
      server.forceShutdown();
      // grpc-js folds the listen error into its message: "No address added … errors: [… EADDRINUSE …]".
      reject(/EADDRINUSE/.test(err.message) ? new PortInUseError(options.port, 'grpc', host) : err);
    });
  });
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Give in-flight exports a moment, then cut idle exporter connections that would hold shutdown open.
        const timer = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
