// The HTTP port (4318 by default): OTLP/HTTP export endpoints and the read-only JSON API on one express app.
import express, { type NextFunction, type Request, type Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createApiRouter, type TraceReader } from './apiRoutes';
import { bearerTokenMatches } from './auth';
import { answerFormatOf, DEFAULT_BODY_LIMIT_BYTES, JSON_ANSWER } from './body';
import { assertSafeBind, hostForUrl, normalizeHost } from './bindAddress';
import { startsLikeHttp2, startsLikeTls } from './connectionStart';
import { MisdirectedExportError, PortInUseError, type ExportMismatch } from './errors';
import { createOtlpRouter, sendOtlpError } from './otlpHttpRoutes';
import type { OtlpSink } from './sink';
import { createWindowSyncRouter, type TraceWriter } from './windowSyncRoutes';

export interface HttpReceiverOptions {
  sink: OtlpSink;
  /** Serves /api/* when given; without it those routes answer 404. */
  reader?: TraceReader;
  /** Serves the change stream and writes other Spanlight windows use (windowSyncRoutes.ts). */
  writer?: TraceWriter;
  /** Cap on the request body, compressed and inflated alike (default 16 MiB). */
  bodyLimitBytes?: number;
  /** When set, /v1/* and /api/* require `Authorization: Bearer <token>`. */
  authToken?: string;
  /** Browser origins allowed to call the receiver (e.g. a web app exporting spans); `*` allows any. Empty: CORS off. */
  corsOrigins?: readonly string[];
  /** Sink failures and unexpected errors, for the log. */
  onError?: (err: Error) => void;
}

export interface HttpReceiverStartOptions extends HttpReceiverOptions {
  /** Default 127.0.0.1; anything non-loopback requires `authToken`. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The OTLP/gRPC port, named to a gRPC exporter that connects here by mistake (it gets onError's MisdirectedExportError). */
  grpcPort?: number;
}

export interface HttpReceiverHandle {
  readonly host: string;
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:4318 (what OTEL_EXPORTER_OTLP_ENDPOINT should be). */
  readonly url: string;
  close(): Promise<void>;
}

function corsMiddleware(origins: readonly string[]) {
  const allowAny = origins.includes('*');
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (!origin || !(allowAny || allowed.has(origin))) {
      next();
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      // Preflight: browsers send no Authorization here, so answer before the auth check.
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader(
        'Access-Control-Allow-Headers',
        req.headers['access-control-request-headers'] ?? 'Content-Type, Content-Encoding, Authorization',
      );
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

function authMiddleware(token: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (bearerTokenMatches(req.headers.authorization, token)) {
      next();
      return;
    }
    req.resume();
    res.setHeader('WWW-Authenticate', 'Bearer realm="spanlight"');
    if (req.path.startsWith('/api/')) res.status(401).json({ error: 'Missing or wrong bearer token' });
    else sendOtlpError(res, answerFormatOf(req.headers['content-type']) ?? JSON_ANSWER, 401, 'Missing or wrong bearer token: send "Authorization: Bearer <token>"');
  };
}

/**
 * @param bound where the server listens, once it does: named in what an exporter posting to a wrong
 * path is told (onError's MisdirectedExportError)
 */
export function createReceiverApp(options: HttpReceiverOptions, bound: () => { host: string; port: number } | undefined = () => undefined): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Only the export routes: the setting lets a web app send spans. The API (every prompt stored) stays
  // unreadable to other sites' pages, whatever origins are allowed.
  if (options.corsOrigins && options.corsOrigins.length > 0) app.use('/v1', corsMiddleware(options.corsOrigins));
  // The API serves prompts and outputs: behind the same token as ingestion (DESIGN.md protective defaults).
  if (options.authToken) app.use(['/v1', '/api'], authMiddleware(options.authToken));
  app.use(
    createOtlpRouter({
      sink: options.sink,
      bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      onError: options.onError,
    }),
  );
  if (options.reader) app.use(createApiRouter(options.reader));
  if (options.writer) app.use(createWindowSyncRouter(options.writer));
  app.use((req: Request, res: Response) => {
    req.resume();
    // Not /v1/…: another signal (profiles) is a route this receiver does not serve, not a mistake.
    const answer = req.method === 'POST' && !req.path.startsWith('/api/') && !req.path.startsWith('/v1/') ? answerFormatOf(req.headers['content-type']) : undefined;
    const where = bound();
    if (!answer || !where) {
      res.status(404).json({ error: `No route for ${req.method} ${req.path}` });
      return;
    }
    // An OTLP export to another path: most often OTEL_EXPORTER_OTLP_TRACES_ENDPOINT given without its
    // /v1/traces. The exporter only logs "Not Found"; the user hears which variable to fix.
    const misdirected = new MisdirectedExportError('http', where.host, where.port, undefined, 'path', req.path);
    options.onError?.(misdirected);
    sendOtlpError(res, answer, 404, misdirected.message);
  });
  // Express 5 forwards rejected promises here; answer instead of hanging, and keep serving.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const error = err instanceof Error ? err : new Error(String(err));
    options.onError?.(error);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(500).json({ error: error.message });
  });
  return app;
}

type ClientError = NodeJS.ErrnoException & { rawPacket?: Buffer };

/** An exporter set up for gRPC (Node stops at the HTTP/2 preface) or for TLS, from what it sent. */
function mismatchOf(err: ClientError): ExportMismatch | undefined {
  const raw = err.rawPacket;
  if (err.code === 'HPE_PAUSED_H2_UPGRADE' || (raw && startsLikeHttp2(raw))) return 'protocol';
  return raw && startsLikeTls(raw) ? 'tls' : undefined;
}

/** Node's own answer to a request it cannot parse, which a 'clientError' listener takes over. */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (socket.writable) {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  } else socket.destroy();
}

/** Binds the app; rejects with PortInUseError when the port is taken, ReceiverConfigError on an unsafe bind. */
export async function startHttpReceiver(options: HttpReceiverStartOptions): Promise<HttpReceiverHandle> {
  const host = normalizeHost(options.host ?? '127.0.0.1');
  assertSafeBind(host, options.authToken, 'http');
  const server = http.createServer();
  const listening = () => (server.listening ? { host, port: (server.address() as AddressInfo).port } : undefined);
  server.on('request', createReceiverApp(options, listening));
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(options.port, 'http', host) : err);
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  // Later socket-level errors must not crash the extension host.
  server.on('error', (err) => options.onError?.(err));
  const port = (server.address() as AddressInfo).port;
  server.on('clientError', (err: ClientError, socket: Duplex) => {
    const mismatch = mismatchOf(err);
    if (mismatch) {
      // A gRPC or TLS exporter cannot read an HTTP/1 answer: the fix goes to the user through onError.
      options.onError?.(new MisdirectedExportError('http', host, port, options.grpcPort, mismatch));
      socket.destroy();
      return;
    }
    answerClientError(err, socket);
  });
  const exports = exportsInFlight(server);
  return {
    host,
    port,
    url: `http://${hostForUrl(host)}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Exports being received are answered first (a Ctrl-C or a settings change would otherwise cut
        // off an export its sender already sent whole: it sees a reset and retries or drops it). Then
        // the rest: keep-alive sockets of exporters and other windows' change streams would hold
        // close() open until they time out.
        void exports.settled(EXPORT_CLOSE_GRACE_MS).then(() => server.closeAllConnections());
      }),
  };
}

/** How long closing waits for exports in flight. */
const EXPORT_CLOSE_GRACE_MS = 3000;

/** Counts the OTLP export requests (`/v1/…`) not yet answered. */
function exportsInFlight(server: http.Server): { settled(timeoutMs: number): Promise<void> } {
  let count = 0;
  let waiting: (() => void) | undefined;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/v1/')) return;
    count++;
    res.once('close', () => {
      if (--count === 0) waiting?.();
    });
  });
  return {
    settled: (timeoutMs) =>
      count === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            waiting = () => {
              clearTimeout(timer);
              resolve();
            };
          }),
  };
}
