// The gRPC port (4317 by default): OTLP TraceService/Export and LogsService/Export.
// The service definition is built by hand: requests stay Buffers until our decoder reads them, so a bad
// payload becomes INVALID_ARGUMENT with our message (a throwing deserializer would surface as INTERNAL).
import * as grpc from '@grpc/grpc-js';
import net from 'node:net';
import { LOGS_EXPORT_PATH, TRACE_EXPORT_PATH } from '../otlp/otlpSchema';
import { encodeExportResponse, type OtlpSignal } from '../otlp/responses';
import { OtlpDecodeError } from '../otlp/types';
import { bearerTokenMatches } from './auth';
import { DEFAULT_BODY_LIMIT_BYTES, sizeLimitText } from './body';
import { receiveExport } from './receiveExport';
import { assertSafeBind, normalizeHost } from './bindAddress';
import { startsLikeHttp1, startsLikeTls } from './connectionStart';
import { MisdirectedExportError, PortInUseError, RejectedExportError } from './errors';
import type { ExportResult, OtlpSink } from './sink';
import { unreadCallWatcher } from './unreadCalls';

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
  /** The OTLP/HTTP port, named to an HTTP exporter that connects here by mistake. */
  httpPort?: number;
  /** Also gets MisdirectedExportError, once per connection of an HTTP exporter. */
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

/** TraceService/Export with requests and responses as raw bytes (also the bench's transport floor). */
export const traceServiceDefinition: grpc.ServiceDefinition = { Export: exportMethod(TRACE_EXPORT_PATH) };
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
          options.onError?.(new RejectedExportError('grpc', 400, err.message, signal));
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
 * Binds both services; rejects with PortInUseError when the port is taken, ReceiverConfigError on an unsafe bind.
 * The port is Spanlight's own TCP listener, which reads how each connection starts: HTTP/2 goes to grpc-js
 * (its connection injector); an HTTP/1.x request gets a 400 that says which port and protocol to use, and a
 * TLS handshake is reported, since an exporter set up so is the most common reason a user sees nothing.
 */
export async function startGrpcReceiver(options: GrpcReceiverOptions): Promise<GrpcReceiverHandle> {
  const host = normalizeHost(options.host ?? '127.0.0.1');
  assertSafeBind(host, options.authToken, 'grpc');
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  // What grpc-js ends unread (unreadCalls.ts) is, in practice, a message over the limit.
  const refused = (path: string) => {
    const signal = path === TRACE_EXPORT_PATH ? 'traces' : path === LOGS_EXPORT_PATH ? 'logs' : 'metrics';
    options.onError?.(new RejectedExportError('grpc', 413, `a ${signal} message over the ${sizeLimitText(limit)} limit of this receiver (after decompression), answered RESOURCE_EXHAUSTED before it was read.`, signal));
  };
  // grpc-js inflates gzip/deflate messages (grpc-encoding) itself and applies this limit to the inflated
  // size, refusing bigger ones before the handlers: unreadCallWatcher reports those.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': limit, interceptors: [unreadCallWatcher(refused)] });
  server.addService(traceServiceDefinition, { Export: exportHandler('traces', options) });
  server.addService(logsServiceDefinition, { Export: exportHandler('logs', options) });
  server.addService(metricsServiceDefinition, { Export: metricsAcknowledger(options) });
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  // Connections that have not said what they are yet: grpc-js knows nothing of them, so close() ends them.
  const unread = new Set<net.Socket>();
  const boundPort = () => (listener.address() as net.AddressInfo).port;
  const listener = net.createServer((socket) => {
    unread.add(socket);
    socket.once('close', () => unread.delete(socket));
    socket.once('data', (first: Buffer) => {
      unread.delete(socket);
      // Nothing more is read here: grpc-js takes the rest from the socket, and this chunk back from its buffer.
      socket.pause();
      if (startsLikeTls(first)) {
        // Nothing can be said to it in plain text: the user hears it from Spanlight.
        options.onError?.(new MisdirectedExportError('grpc', host, boundPort(), options.httpPort, 'tls'));
        socket.destroy();
      } else if (startsLikeHttp1(first)) {
        const error = new MisdirectedExportError('grpc', host, boundPort(), options.httpPort);
        options.onError?.(error);
        answerHttp1(socket, error.message);
      } else {
        socket.unshift(first);
        injector.injectConnection(socket);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await listen(listener, host, options.port);
  // Later listener errors (out of file descriptors, say) must not crash the extension host.
  listener.on('error', (err) => options.onError?.(err));
  return {
    host,
    port: boundPort(),
    close: () =>
      new Promise<void>((resolve) => {
        listener.close();
        for (const socket of unread) socket.destroy();
        injector.drain(2000);
        // Give in-flight exports a moment, then cut idle exporter connections that would hold shutdown open.
        const timer = setTimeout(() => server.forceShutdown(), 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          injector.destroy();
          resolve();
        });
      }),
  };
}

function listen(listener: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    listener.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new PortInUseError(port, 'grpc', host) : err));
    listener.listen({ host, port, exclusive: true }, () => resolve());
  });
}

/** The exporter logs the status and the body: the fix reaches the app's console too. */
function answerHttp1(socket: net.Socket, message: string): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  socket.end(
    Buffer.concat([
      Buffer.from(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, 'latin1'),
      body,
    ]),
  );
}
