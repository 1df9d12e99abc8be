// OTLP/HTTP: POST /v1/traces and /v1/logs, protobuf or JSON, optionally gzip/deflate.
// Status codes and bodies follow the OTLP/HTTP spec (opentelemetry-proto docs/specification.md):
// 200 with an Export*ServiceResponse (partial_success when items were rejected), 4xx/5xx with a
// google.rpc.Status, both encoded like the request.
import express, { type Request, type Response } from 'express';
import { encodeExportResponse, encodeRpcStatus, RpcCode, type OtlpSignal } from '../otlp/responses';
import { OtlpDecodeError } from '../otlp/types';
import { answerFormatOf, drainRequest, HttpError, JSON_ANSWER, readBody, type AnswerFormat } from './body';
import { RejectedExportError } from './errors';
import { receiveExport } from './receiveExport';
import type { BodyLease, ExportResult, OtlpSink } from './sink';

function rpcCodeFor(status: number): number {
  if (status === 401) return RpcCode.UNAUTHENTICATED;
  if (status === 413) return RpcCode.RESOURCE_EXHAUSTED;
  if (status >= 500) return RpcCode.INTERNAL;
  return RpcCode.INVALID_ARGUMENT;
}

/** An error answer as a google.rpc.Status in the request's encoding (JSON when it is unknown). */
export function sendOtlpError(res: Response, answer: AnswerFormat, status: number, message: string): void {
  res.status(status).type(answer.contentType).send(encodeRpcStatus(answer.encoding, rpcCodeFor(status), message));
}

/** A 415 for a request that is neither OTLP protobuf nor JSON. */
function unsupportedContentType(req: Request, res: Response, options: OtlpRouteOptions): void {
  req.resume();
  refuse(res, JSON_ANSWER, 415, `Unsupported Content-Type "${req.headers['content-type'] ?? ''}": OTLP/HTTP accepts application/x-protobuf or application/json`, options);
}

/** An error answer for an export that is refused, reported too (RejectedExportError). */
function refuse(res: Response, answer: AnswerFormat, status: number, message: string, options: OtlpRouteOptions, signal?: OtlpSignal): void {
  options.onError?.(new RejectedExportError('http', status, message, signal));
  sendOtlpError(res, answer, status, message);
}

export interface OtlpRouteOptions {
  sink: OtlpSink;
  bodyLimitBytes: number;
  /** Told about sink failures (answered 500) and refused exports (RejectedExportError) so they reach a log instead of vanishing. */
  onError?: (err: Error) => void;
}

function exportHandler(signal: OtlpSignal, options: OtlpRouteOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const answer = answerFormatOf(req.headers['content-type']);
    if (!answer) {
      unsupportedContentType(req, res, options);
      return;
    }
    const encoding = answer.encoding;
    // Traces, the bulk of the bytes, may be read into memory the sink lends (OtlpSink.leaseBody), which
    // is released once the sink has settled the export: nothing reads the body after that.
    let lease: BodyLease | undefined;
    const sink = options.sink;
    const lender = signal === 'traces' ? sink.leaseBody?.bind(sink) : undefined;
    try {
      const body = await readBody(req, options.bodyLimitBytes, lender, (lent) => (lease = lent));
      await receiveExport(sink, signal, encoding, body, (result: ExportResult) =>
        res.status(200).type(answer.contentType).send(encodeExportResponse(signal, encoding, result.rejected, result.errors)),
      );
    } catch (err) {
      if (res.headersSent) {
        // The export was answered (it was readable) and then failed to store: only the log can tell.
        options.onError?.(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (err instanceof HttpError) {
        // Let the client finish sending (so it reads our answer instead of a reset), then close.
        if (err.status === 413) {
          await drainRequest(req);
          res.setHeader('Connection', 'close');
        } else req.resume();
        refuse(res, answer, err.status, err.message, options, signal);
        return;
      }
      if (err instanceof OtlpDecodeError) {
        refuse(res, answer, 400, err.message, options, signal);
        return;
      }
      const error = err instanceof Error ? err : new Error(String(err));
      options.onError?.(error);
      sendOtlpError(res, answer, 500, `Spanlight could not store the ${signal}: ${error.message}`);
    } finally {
      lease?.release();
    }
  };
}

function methodNotAllowed(_req: Request, res: Response): void {
  res.setHeader('Allow', 'POST');
  sendOtlpError(res, JSON_ANSWER, 405, 'OTLP/HTTP export endpoints accept POST only');
}

/**
 * Spanlight shows traces and GenAI logs, not metrics. SDKs set up with OTEL_EXPORTER_OTLP_ENDPOINT export
 * all three signals (Python's auto-instrumentation does by default), and a 404 makes them log an error
 * on every interval: metrics are read (within the limit) and acknowledged with an empty response.
 */
function metricsAcknowledger(options: OtlpRouteOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const answer = answerFormatOf(req.headers['content-type']);
    // As for traces and logs: acknowledging what is no OTLP would hide a sender set up wrong.
    if (!answer) {
      unsupportedContentType(req, res, options);
      return;
    }
    const encoding = answer.encoding;
    let body: Uint8Array;
    try {
      body = await readBody(req, options.bodyLimitBytes);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      req.resume();
      sendOtlpError(res, answer, err.status, err.message);
      return;
    }
    // An empty ExportMetricsServiceResponse: zero bytes in protobuf, {} in JSON.
    res.status(200).type(answer.contentType).send(encoding === 'json' ? '{}' : Buffer.alloc(0));
    // Not read here, but a forwarding sink passes them on (an upstream that got them before still does).
    options.sink.exportAccepted?.('metrics', encoding, body);
  };
}

export function createOtlpRouter(options: OtlpRouteOptions): express.Router {
  const router = express.Router();
  router.post('/v1/traces', exportHandler('traces', options));
  router.post('/v1/logs', exportHandler('logs', options));
  router.post('/v1/metrics', metricsAcknowledger(options));
  router.all(['/v1/traces', '/v1/logs', '/v1/metrics'], methodNotAllowed);
  return router;
}
