// OTLP/JSON (ExportTraceServiceRequest / ExportLogsServiceRequest) → RawSpan / RawLogRecord.
// Follows the OTLP/JSON rules (lowerCamelCase names, hex ids, integer enums, int64 as string or number)
// and, like the protobuf JSON mapping, also accepts proto field names, base64 ids and enum names,
// because hand-rolled senders use all of these.
import type { Attributes, Scope, SpanEvent, SpanLink, SpanStatus } from '../protocol/model';
import { OtlpDecodeError, type DecodedLogs, type DecodedTraces, type RawLogRecord, type RawSpan } from './types';
import { invalidIdsReason, RejectionLog } from './rejections';
import {
  durationMsFromDecimals,
  idFromJson,
  severityFromJson,
  spanKindFromJson,
  statusCodeFromJson,
  timeFromJson,
} from './scalars';
import { anyValueFromJson, asRecord, attributesFromJson, field } from './values';

type JsonObject = Record<string, unknown>;

export function parseRequest(input: string | Uint8Array | object, what: string): JsonObject {
  let parsed: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new OtlpDecodeError(`Invalid OTLP/JSON ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const obj = asRecord(parsed);
  if (!obj) throw new OtlpDecodeError(`Invalid OTLP/JSON ${what}: the body must be a JSON object`);
  return obj;
}

/** A repeated field: absent is empty (proto3), anything but an array is a malformed request. */
export function list(obj: JsonObject, camel: string, snake: string, what: string): unknown[] {
  const value = field(obj, camel, snake);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`Invalid OTLP/JSON ${what}: "${camel}" must be an array`);
  return value;
}

/**
 * A repeated message field's entries (see list), each an object: one that is not makes the request
 * malformed, thrown when the iteration reaches it (the entries before it are read first).
 */
export function* objectList(obj: JsonObject, camel: string, snake: string, what: string): Generator<JsonObject> {
  for (const entry of list(obj, camel, snake, what)) {
    const record = asRecord(entry);
    if (!record) throw new OtlpDecodeError(`Invalid OTLP/JSON ${what}: a ${camel} entry is not an object`);
    yield record;
  }
}

export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function scopeFromJson(raw: unknown): Scope {
  const scope = asRecord(raw);
  if (!scope) return { name: '' };
  const version = str(scope.version);
  return version ? { name: str(scope.name), version } : { name: str(scope.name) };
}

function resourceFromJson(raw: unknown): Attributes {
  return attributesFromJson(asRecord(raw)?.attributes);
}

export function decodeTracesJson(input: string | Uint8Array | object): DecodedTraces {
  const what = 'ExportTraceServiceRequest';
  const request = parseRequest(input, what);
  const spans: RawSpan[] = [];
  const rejections = new RejectionLog();
  for (const rs of objectList(request, 'resourceSpans', 'resource_spans', what)) {
    const resource = resourceFromJson(rs.resource);
    for (const ss of objectList(rs, 'scopeSpans', 'scope_spans', what)) {
      const scope = scopeFromJson(ss.scope);
      for (const raw of list(ss, 'spans', 'spans', what)) {
        const span = spanFromJson(raw, resource, scope, rejections);
        if (span) spans.push(span);
      }
    }
  }
  return { spans, rejected: rejections.count, errors: rejections.messages };
}

function spanFromJson(raw: unknown, resource: Attributes, scope: Scope, rejections: RejectionLog): RawSpan | undefined {
  const s = asRecord(raw);
  if (!s) {
    rejections.add('a span is not a JSON object');
    return undefined;
  }
  const name = str(s.name);
  const traceId = idFromJson(field(s, 'traceId', 'trace_id'), 16);
  const spanId = idFromJson(field(s, 'spanId', 'span_id'), 8);
  if (!traceId || !spanId) {
    rejections.add(invalidIdsReason(name, traceId ? 'spanId' : 'traceId'));
    return undefined;
  }
  const startTimeUnixNano = timeFromJson(field(s, 'startTimeUnixNano', 'start_time_unix_nano'));
  const endTimeUnixNano = timeFromJson(field(s, 'endTimeUnixNano', 'end_time_unix_nano'));
  const span: RawSpan = {
    traceId,
    spanId,
    name,
    kind: spanKindFromJson(s.kind),
    startTimeUnixNano,
    endTimeUnixNano,
    durationMs: durationMsFromDecimals(startTimeUnixNano, endTimeUnixNano),
    status: statusFromJson(s.status),
    attributes: attributesFromJson(s.attributes),
    events: eventsFromJson(s.events),
    links: linksFromJson(s.links),
    resource,
    scope,
  };
  const parentSpanId = idFromJson(field(s, 'parentSpanId', 'parent_span_id'), 8);
  if (parentSpanId) span.parentSpanId = parentSpanId;
  return span;
}

function statusFromJson(raw: unknown): SpanStatus {
  const status = asRecord(raw);
  if (!status) return { code: 'UNSET' };
  const code = statusCodeFromJson(status.code);
  const message = str(status.message);
  return message ? { code, message } : { code };
}

function eventsFromJson(raw: unknown): SpanEvent[] {
  if (!Array.isArray(raw)) return [];
  const out: SpanEvent[] = [];
  for (const item of raw) {
    const e = asRecord(item);
    if (!e) continue;
    out.push({
      name: str(e.name),
      timeUnixNano: timeFromJson(field(e, 'timeUnixNano', 'time_unix_nano')),
      attributes: attributesFromJson(e.attributes),
    });
  }
  return out;
}

function linksFromJson(raw: unknown): SpanLink[] {
  if (!Array.isArray(raw)) return [];
  const out: SpanLink[] = [];
  for (const item of raw) {
    const l = asRecord(item);
    if (!l) continue;
    const traceId = idFromJson(field(l, 'traceId', 'trace_id'), 16);
    const spanId = idFromJson(field(l, 'spanId', 'span_id'), 8);
    // A link that points nowhere cannot be followed; drop it rather than reject the whole span.
    if (traceId && spanId) out.push({ traceId, spanId, attributes: attributesFromJson(l.attributes) });
  }
  return out;
}

export function decodeLogsJson(input: string | Uint8Array | object): DecodedLogs {
  const what = 'ExportLogsServiceRequest';
  const request = parseRequest(input, what);
  const records: RawLogRecord[] = [];
  const rejections = new RejectionLog();
  for (const rl of objectList(request, 'resourceLogs', 'resource_logs', what)) {
    const resource = resourceFromJson(rl.resource);
    for (const sl of objectList(rl, 'scopeLogs', 'scope_logs', what)) {
      const scope = scopeFromJson(sl.scope);
      for (const raw of list(sl, 'logRecords', 'log_records', what)) {
        const record = logRecordFromJson(raw, resource, scope);
        if (record) records.push(record);
        else rejections.add('a log record is not a JSON object');
      }
    }
  }
  return { records, rejected: rejections.count, errors: rejections.messages };
}

function logRecordFromJson(raw: unknown, resource: Attributes, scope: Scope): RawLogRecord | undefined {
  const r = asRecord(raw);
  if (!r) return undefined;
  const attributes = attributesFromJson(r.attributes);
  const record: RawLogRecord = {
    timeUnixNano: timeFromJson(field(r, 'timeUnixNano', 'time_unix_nano')),
    observedTimeUnixNano: timeFromJson(field(r, 'observedTimeUnixNano', 'observed_time_unix_nano')),
    severityNumber: severityFromJson(field(r, 'severityNumber', 'severity_number')),
    body: anyValueFromJson(r.body),
    attributes,
    resource,
    scope,
  };
  const severityText = str(field(r, 'severityText', 'severity_text'));
  if (severityText) record.severityText = severityText;
  // event_name is recent; SDKs before it carried the name in the `event.name` attribute.
  const eventName = str(field(r, 'eventName', 'event_name')) || attributes['event.name'];
  if (typeof eventName === 'string' && eventName) record.eventName = eventName;
  const traceId = idFromJson(field(r, 'traceId', 'trace_id'), 16);
  if (traceId) record.traceId = traceId;
  const spanId = idFromJson(field(r, 'spanId', 'span_id'), 8);
  if (spanId) record.spanId = spanId;
  return record;
}
