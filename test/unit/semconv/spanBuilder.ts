// Builds RawSpans and RawLogRecords for the semconv tables: only the attributes, events and records
// vary between cases, the rest is a fixed plausible span.
import type { RawLogRecord, RawSpan } from '../../../src/otlp/types';
import type { Attributes, JsonValue, SpanEvent } from '../../../src/protocol/model';

export const SPAN_ID = '00f067aa0ba902b7';
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

export function rawSpan(attributes: Attributes, options: { name?: string; events?: SpanEvent[] } = {}): RawSpan {
  return {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    name: options.name ?? 'chat gpt-4o-mini',
    kind: 'CLIENT',
    startTimeUnixNano: '1732368000000000000',
    endTimeUnixNano: '1732368001250000000',
    durationMs: 1250,
    status: { code: 'UNSET' },
    attributes,
    events: options.events ?? [],
    links: [],
    resource: { 'service.name': 'support-bot' },
    scope: { name: 'test' },
  };
}

export function spanEvent(name: string, attributes: Attributes, timeUnixNano = '1732368000100000000'): SpanEvent {
  return { name, timeUnixNano, attributes };
}

/** A log record as @opentelemetry/instrumentation-openai emits it: event name in `event.name`, content in the body. */
export function logRecord(
  eventName: string,
  body: JsonValue,
  options: { time?: string; attributes?: Attributes; spanId?: string; eventNameField?: boolean } = {},
): RawLogRecord {
  const attributes: Attributes = { 'gen_ai.system': 'openai', ...options.attributes };
  if (!options.eventNameField) attributes['event.name'] = eventName;
  return {
    timeUnixNano: options.time ?? '1732368000100000000',
    observedTimeUnixNano: options.time ?? '1732368000100000000',
    severityNumber: 9,
    ...(options.eventNameField ? { eventName } : {}),
    body,
    attributes,
    traceId: TRACE_ID,
    spanId: options.spanId ?? SPAN_ID,
    resource: { 'service.name': 'support-bot' },
    scope: { name: '@opentelemetry/instrumentation-openai', version: '0.21.0' },
  };
}

/** Recursively freezes a value so a test can prove normalization never mutates its input. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
