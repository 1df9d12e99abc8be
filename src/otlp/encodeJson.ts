// Spans and log records back to OTLP/JSON (the inverse of decodeJson.ts), for what Spanlight sends or
// writes as an app's exporter would: the sample trace posted to another window's receiver, and a trace
// exported to a file (otlpJsonFile.ts). Follows the OTLP/JSON rules: lowerCamelCase names, hex ids,
// integer enums, int64 as a decimal string.
import type { JsonValue, SpanKind, StatusCode } from '../protocol/model';
import type { RawLogRecord, RawSpan } from './types';

const KIND: Readonly<Record<SpanKind, number>> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS: Readonly<Record<StatusCode, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

type AnyValue = Record<string, unknown>;

function anyValue(v: JsonValue): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  // Decoding kept no int/double distinction: an integral number goes back as an int.
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (v === null) return {};
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { kvlistValue: { values: keyValues(v) } };
}

function keyValues(attributes: Record<string, JsonValue>): { key: string; value: AnyValue }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/**
 * Items grouped by resource, then by scope, in first-seen order: the nesting of an OTLP request. Items
 * decoded from one request share its resource's attributes by value, so they are compared as JSON.
 */
function grouped<T extends { resource: Record<string, JsonValue>; scope: { name: string; version?: string } }>(items: readonly T[]) {
  const resources = new Map<string, { resource: T['resource']; scopes: Map<string, { scope: T['scope']; items: T[] }> }>();
  for (const item of items) {
    const resourceKey = JSON.stringify(item.resource);
    let resource = resources.get(resourceKey);
    if (!resource) resources.set(resourceKey, (resource = { resource: item.resource, scopes: new Map() }));
    const scopeKey = `${item.scope.name}\u0000${item.scope.version ?? ''}`;
    let scope = resource.scopes.get(scopeKey);
    if (!scope) resource.scopes.set(scopeKey, (scope = { scope: item.scope, items: [] }));
    scope.items.push(item);
  }
  return [...resources.values()].map((r) => ({ resource: { attributes: keyValues(r.resource) }, scopes: [...r.scopes.values()] }));
}

function scopeJson(scope: { name: string; version?: string }): object {
  return scope.version ? { name: scope.name, version: scope.version } : { name: scope.name };
}

function spanJson(s: RawSpan): object {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: KIND[s.kind],
    startTimeUnixNano: s.startTimeUnixNano,
    endTimeUnixNano: s.endTimeUnixNano,
    attributes: keyValues(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: e.timeUnixNano, name: e.name, attributes: keyValues(e.attributes) })),
    links: s.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, attributes: keyValues(l.attributes) })),
    status: { code: STATUS[s.status.code], ...(s.status.message ? { message: s.status.message } : {}) },
  };
}

function logRecordJson(r: RawLogRecord): object {
  return {
    timeUnixNano: r.timeUnixNano,
    observedTimeUnixNano: r.observedTimeUnixNano,
    severityNumber: r.severityNumber,
    ...(r.severityText ? { severityText: r.severityText } : {}),
    ...(r.eventName ? { eventName: r.eventName } : {}),
    body: anyValue(r.body),
    attributes: keyValues(r.attributes),
    ...(r.traceId ? { traceId: r.traceId } : {}),
    ...(r.spanId ? { spanId: r.spanId } : {}),
  };
}

/** One ExportTraceServiceRequest in OTLP/JSON. */
export function tracesRequestJson(spans: readonly RawSpan[]): { resourceSpans: object[] } {
  return {
    resourceSpans: grouped(spans).map(({ resource, scopes }) => ({
      resource,
      scopeSpans: scopes.map(({ scope, items }) => ({ scope: scopeJson(scope), spans: items.map(spanJson) })),
    })),
  };
}

/** One ExportLogsServiceRequest in OTLP/JSON. */
export function logsRequestJson(records: readonly RawLogRecord[]): { resourceLogs: object[] } {
  return {
    resourceLogs: grouped(records).map(({ resource, scopes }) => ({
      resource,
      scopeLogs: scopes.map(({ scope, items }) => ({ scope: scopeJson(scope), logRecords: items.map(logRecordJson) })),
    })),
  };
}
