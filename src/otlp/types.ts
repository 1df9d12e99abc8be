// Plain, typed OTLP objects: what `src/otlp` decodes protobuf and JSON payloads into.
// Ids are lowercase hex, times are decimal strings (nanoseconds overflow doubles), AnyValue is flattened to JSON.
import type { Attributes, JsonValue, Span } from '../protocol/model';

/** A span as received, before any convention is applied: the contract's Span without the derived views. */
export type RawSpan = Omit<Span, 'llm' | 'source'>;

export interface RawLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText?: string;
  /** The LogRecord `event_name` field, else the `event.name` attribute (older SDKs). */
  eventName?: string;
  body: JsonValue;
  attributes: Attributes;
  /** Absent when the record is not tied to a span. */
  traceId?: string;
  spanId?: string;
  resource: Attributes;
  scope: { name: string; version?: string };
}

/** The result of decoding one export request. Items that could not be read are counted, not fatal. */
export interface DecodedTraces {
  spans: RawSpan[];
  rejected: number;
  /** Human-readable reasons for rejected items (first few), for `partial_success.error_message`. */
  errors: string[];
}

/**
 * One span of an OTLP protobuf export, split out on the ingest hot path (splitTraces.ts): the bytes to
 * store and a preview to index, without paying for a full decode of its messages.
 */
export interface SpanRecord {
  /** The span alone as an ExportTraceServiceRequest (its resource, scope and span bytes as received). */
  otlp: Uint8Array;
  /** The span decoded with every string attribute over PREVIEW_STRING_BYTES left empty (stack traces excepted). */
  preview: RawSpan;
  /** The start and end of each string left out of `preview`, as loose text for search. */
  texts: string[];
}

/** A span's preview and search texts, as SpanRecord has them, without its bytes (see previewTracesProtobuf). */
export type SpanPreview = Omit<SpanRecord, 'otlp'>;

export interface SplitTraces {
  records: SpanRecord[];
  rejected: number;
  errors: string[];
}

export interface DecodedLogs {
  records: RawLogRecord[];
  rejected: number;
  errors: string[];
}

/** Thrown for a payload that cannot be read at all: the receiver answers 400 with `message`. */
/** protobufjs skips a field number 0, which no message has: a body of zeros was read as an empty request. */
export const FIELD_ZERO = 'field number 0, which no protobuf message has (is the body zeroed or cut?)';

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
