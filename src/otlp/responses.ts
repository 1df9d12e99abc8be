// Export responses and error bodies, encoded as the request was (OTLP/HTTP: "the response body MUST be
// the appropriate serialized Protobuf message … encoded in the same Content-Type as the request").
import { otlpTypes } from './otlpSchema';

export type OtlpSignal = 'traces' | 'logs';
export type OtlpEncoding = 'protobuf' | 'json';

/** The Content-Type of each encoding, as OTLP/HTTP names it (requests and answers alike). */
export const OTLP_CONTENT_TYPES: Readonly<Record<OtlpEncoding, string>> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The plain response object, as protobufjs `fromObject` and JSON both accept it. */
export interface ExportResponseObject {
  partialSuccess?: { rejectedSpans?: number; rejectedLogRecords?: number; errorMessage?: string };
}

/**
 * Spec: partial_success is set only when something was rejected (or there is a warning);
 * an empty response means full success.
 */
export function exportResponseObject(signal: OtlpSignal, rejected: number, errors: readonly string[]): ExportResponseObject {
  if (rejected <= 0) return {};
  const errorMessage = errors.join('; ');
  return signal === 'traces'
    ? { partialSuccess: { rejectedSpans: rejected, errorMessage } }
    : { partialSuccess: { rejectedLogRecords: rejected, errorMessage } };
}

const INT64_FIELDS = new Set(['rejectedSpans', 'rejectedLogRecords']);

export function encodeExportResponse(
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  rejected: number,
  errors: readonly string[],
): Buffer {
  const body = exportResponseObject(signal, rejected, errors);
  // The counts are int64, which OTLP/JSON writes as decimal strings ("64-bit integer numbers in JSON-encoded
  // payloads are encoded as decimal strings").
  if (encoding === 'json') return Buffer.from(JSON.stringify(body, (key, value: unknown) => (INT64_FIELDS.has(key) ? String(value) : value)));
  const type = signal === 'traces' ? otlpTypes.ExportTraceServiceResponse : otlpTypes.ExportLogsServiceResponse;
  return Buffer.from(type.encode(type.fromObject(body)).finish());
}

/** google.rpc.Status codes used in OTLP/HTTP error bodies (numbering of google/rpc/code.proto). */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  UNAUTHENTICATED: 16,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  NOT_FOUND: 5,
} as const;

export function encodeRpcStatus(encoding: OtlpEncoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const type = otlpTypes.RpcStatus;
  return Buffer.from(type.encode(type.fromObject({ code, message })).finish());
}
