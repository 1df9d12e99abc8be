// OTLP protobuf (ExportTraceServiceRequest / ExportLogsServiceRequest) → RawSpan / RawLogRecord.
// protobufjs' generated Type.decode does the wire work; the conversion below is hand-written because
// toObject() with longs/bytes/enums options allocates a second full tree and is several times slower.
import protobuf from 'protobufjs';
import type { Attributes, Scope, SpanEvent, SpanLink, SpanStatus } from '../protocol/model';
import { FIELD_ZERO, OtlpDecodeError, type DecodedLogs, type DecodedTraces, type RawLogRecord, type RawSpan } from './types';
import { otlpTypes } from './otlpSchema';
import { invalidIdsReason, RejectionLog } from './rejections';
import {
  durationMsFromLongs,
  idFromBytes,
  spanKindFromNumber,
  statusCodeFromNumber,
  uint64ToDecimal,
  type PbInt64,
} from './scalars';
import { anyValueFromPb, attributesFromPb, type PbAnyValue, type PbKeyValue } from './values';

export interface PbResource { attributes: PbKeyValue[] }
export interface PbScope { name: string; version: string }
interface PbEvent { timeUnixNano: PbInt64; name: string; attributes: PbKeyValue[] }
interface PbLink { traceId: Uint8Array; spanId: Uint8Array; attributes: PbKeyValue[] }
interface PbStatus { code: number; message: string }
export interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: PbInt64;
  endTimeUnixNano: PbInt64;
  attributes: PbKeyValue[];
  events: PbEvent[];
  links: PbLink[];
  status: PbStatus | null;
}
interface PbTraceRequest {
  resourceSpans: { resource: PbResource | null; scopeSpans: { scope: PbScope | null; spans: PbSpan[] }[] }[];
}
interface PbLogRecord {
  timeUnixNano: PbInt64;
  observedTimeUnixNano: PbInt64;
  severityNumber: number;
  severityText: string;
  body: PbAnyValue | null;
  attributes: PbKeyValue[];
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
}
interface PbLogsRequest {
  resourceLogs: { resource: PbResource | null; scopeLogs: { scope: PbScope | null; logRecords: PbLogRecord[] }[] }[];
}

/** protobufjs only takes its fast native-string path for Buffers; wrap a plain Uint8Array without copying. */
export function asBuffer(buf: Uint8Array): Buffer {
  return Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function decodeWith<T>(type: protobuf.Type, buf: Uint8Array, what: string): T {
  try {
    const bytes = asBuffer(buf);
    assertTopLevelFields(bytes);
    return type.decode(bytes) as unknown as T;
  } catch (err) {
    // protobufjs throws RangeError("index out of range"), Error("invalid wire type …") and
    // Error("maximum nesting depth exceeded") (its recursion limit is 100 messages, like protoc's).
    const reason = err instanceof Error ? err.message : String(err);
    throw new OtlpDecodeError(`Invalid OTLP protobuf ${what}: ${reason}`);
  }
}

/**
 * Throws for a field number 0 among the request's own fields. protobufjs skips it, so a body of zero
 * bytes (a buffer or file never written) decoded as an empty request and was acknowledged. Only the top
 * level is checked here: that is where such a body fails, and a real encoder never writes field 0.
 * (Trace exports on the ingest path are walked whole by previewScan.ts, which checks every level.)
 */
function assertTopLevelFields(bytes: Buffer): void {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 0) throw new Error(FIELD_ZERO);
    reader.skipType(tag & 7);
  }
}

/** Only the protobufjs decode, for benchmarks that measure what the conversion below adds. */
export function decodeTracesProtobufBare(buf: Uint8Array): unknown {
  // protobufjs alone (not decodeWith, which also checks the request's field numbers): this is the
  // ingest benchmark's measure of the physical limit.
  return otlpTypes.ExportTraceServiceRequest.decode(asBuffer(buf));
}

/** A span's status; an absent one is UNSET. */
export function statusFromPb(status: PbStatus | null | undefined): SpanStatus {
  if (!status) return { code: 'UNSET' };
  const code = statusCodeFromNumber(status.code);
  return status.message ? { code, message: status.message } : { code };
}

export function scopeFromPb(scope: PbScope | null): Scope {
  if (!scope) return { name: '' };
  return scope.version ? { name: scope.name, version: scope.version } : { name: scope.name };
}

export function decodeTracesProtobuf(buf: Uint8Array): DecodedTraces {
  const request = decodeWith<PbTraceRequest>(otlpTypes.ExportTraceServiceRequest, buf, 'ExportTraceServiceRequest');
  const spans: RawSpan[] = [];
  const rejections = new RejectionLog();
  for (const rs of request.resourceSpans) {
    // Shared by every span of this ResourceSpans: one object per batch entry, not per span.
    const resource = attributesFromPb(rs.resource?.attributes);
    for (const ss of rs.scopeSpans) {
      const scope = scopeFromPb(ss.scope);
      for (const s of ss.spans) {
        const span = spanFromPb(s, resource, scope, rejections);
        if (span) spans.push(span);
      }
    }
  }
  return { spans, rejected: rejections.count, errors: rejections.messages };
}

export function spanFromPb(s: PbSpan, resource: Attributes, scope: Scope, rejections: RejectionLog): RawSpan | undefined {
  const traceId = idFromBytes(s.traceId, 16);
  const spanId = idFromBytes(s.spanId, 8);
  if (!traceId || !spanId) {
    rejections.add(invalidIdsReason(s.name, traceId ? 'span_id' : 'trace_id'));
    return undefined;
  }
  const span: RawSpan = {
    traceId,
    spanId,
    name: s.name,
    kind: spanKindFromNumber(s.kind),
    startTimeUnixNano: uint64ToDecimal(s.startTimeUnixNano),
    endTimeUnixNano: uint64ToDecimal(s.endTimeUnixNano),
    durationMs: durationMsFromLongs(s.startTimeUnixNano, s.endTimeUnixNano),
    status: statusFromPb(s.status),
    attributes: attributesFromPb(s.attributes),
    events: s.events.length ? s.events.map(eventFromPb) : [],
    links: s.links.length ? linksFromPb(s.links) : [],
    resource,
    scope,
  };
  // A root span has no parent; some SDKs send eight zero bytes instead of leaving the field empty.
  const parentSpanId = idFromBytes(s.parentSpanId, 8);
  if (parentSpanId) span.parentSpanId = parentSpanId;
  return span;
}

function eventFromPb(e: PbEvent): SpanEvent {
  return { name: e.name, timeUnixNano: uint64ToDecimal(e.timeUnixNano), attributes: attributesFromPb(e.attributes) };
}

function linksFromPb(links: PbLink[]): SpanLink[] {
  const out: SpanLink[] = [];
  for (const l of links) {
    const traceId = idFromBytes(l.traceId, 16);
    const spanId = idFromBytes(l.spanId, 8);
    // A link that points nowhere cannot be followed; drop it rather than reject the whole span.
    if (traceId && spanId) out.push({ traceId, spanId, attributes: attributesFromPb(l.attributes) });
  }
  return out;
}

export function decodeLogsProtobuf(buf: Uint8Array): DecodedLogs {
  const request = decodeWith<PbLogsRequest>(otlpTypes.ExportLogsServiceRequest, buf, 'ExportLogsServiceRequest');
  const records: RawLogRecord[] = [];
  for (const rl of request.resourceLogs) {
    const resource = attributesFromPb(rl.resource?.attributes);
    for (const sl of rl.scopeLogs) {
      const scope = scopeFromPb(sl.scope);
      for (const r of sl.logRecords) records.push(logRecordFromPb(r, resource, scope));
    }
  }
  // Every protobuf log record is readable (all its fields are optional), so none is rejected here.
  return { records, rejected: 0, errors: [] };
}

function logRecordFromPb(r: PbLogRecord, resource: Attributes, scope: Scope): RawLogRecord {
  const attributes = attributesFromPb(r.attributes);
  const record: RawLogRecord = {
    timeUnixNano: uint64ToDecimal(r.timeUnixNano),
    observedTimeUnixNano: uint64ToDecimal(r.observedTimeUnixNano),
    severityNumber: r.severityNumber,
    body: anyValueFromPb(r.body),
    attributes,
    resource,
    scope,
  };
  if (r.severityText) record.severityText = r.severityText;
  // event_name (field 12) is recent; SDKs before it carried the name in the `event.name` attribute.
  const eventName = r.eventName || attributes['event.name'];
  if (typeof eventName === 'string' && eventName) record.eventName = eventName;
  const traceId = idFromBytes(r.traceId, 16);
  if (traceId) record.traceId = traceId;
  const spanId = idFromBytes(r.spanId, 8);
  if (spanId) record.spanId = spanId;
  return record;
}
