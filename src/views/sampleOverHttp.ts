// A window that does not host the receiver has no pipeline to feed: it sends the sample the way an app
// would, as OTLP/JSON to the owner window's /v1/traces, so "Send a sample trace" works in every window.
import type { RawSpan } from '../otlp/types';
import type { JsonValue, SpanKind, StatusCode } from '../protocol/model';
import { notificationText } from '../base/notificationText';

const KIND: Readonly<Record<SpanKind, number>> = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const STATUS: Readonly<Record<StatusCode, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

type AnyValue = Record<string, unknown>;

function anyValue(v: JsonValue): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  // OTLP/JSON carries int64 as a decimal string.
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (v === null) return {};
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return { kvlistValue: { values: keyValues(v) } };
}

function keyValues(attributes: Record<string, JsonValue>): { key: string; value: AnyValue }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** One ExportTraceServiceRequest in OTLP/JSON (one resource: every sample span shares it). */
export function toOtlpJson(spans: readonly RawSpan[]): object {
  const byScope = new Map<string, RawSpan[]>();
  for (const span of spans) {
    const key = `${span.scope.name}\u0000${span.scope.version ?? ''}`;
    byScope.set(key, [...(byScope.get(key) ?? []), span]);
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues(spans[0]?.resource ?? {}) },
        scopeSpans: [...byScope.values()].map((group) => ({
          scope: group[0].scope,
          spans: group.map((s) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: KIND[s.kind],
            startTimeUnixNano: s.startTimeUnixNano,
            endTimeUnixNano: s.endTimeUnixNano,
            attributes: keyValues(s.attributes),
            events: s.events.map((e) => ({ name: e.name, timeUnixNano: e.timeUnixNano, attributes: keyValues(e.attributes) })),
            status: { code: STATUS[s.status.code], ...(s.status.message ? { message: s.status.message } : {}) },
          })),
        })),
      },
    ],
  };
}

/**
 * POSTs the spans to `${httpUrl}/v1/traces`, with the receiver's bearer token when it has one (as an app
 * must); throws with the receiver's answer when it refuses them.
 */
export async function postSampleTrace(httpUrl: string, spans: readonly RawSpan[], authToken?: string): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authToken) headers.authorization = `Bearer ${authToken}`;
  const response = await fetch(`${httpUrl}/v1/traces`, { method: 'POST', headers, body: JSON.stringify(toOtlpJson(spans)) });
  if (!response.ok) {
    // Whatever listens there wrote the answer, and the error may end up in a notification.
    throw new Error(`the receiver at ${httpUrl} answered ${response.status}: ${notificationText(await response.text())}`);
  }
}
