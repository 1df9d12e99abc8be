// Builders for OTLP payloads used by the decoder and receiver tests: protobuf via the same protobufjs
// types the receiver decodes with, JSON by hand as a sender would write it, and hostile shapes.
import protobuf from 'protobufjs';
import { otlpTypes } from '../../../src/otlp/otlpSchema';

export const TRACE_ID_HEX = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID_HEX = 'eee19b7ec3c1b174';
export const PARENT_ID_HEX = 'eee19b7ec3c1b173';
export const START_NANOS = '1700000000123456789';
export const END_NANOS = '1700000001623456789';

export interface ProtoSpanInit {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  attributes?: object[];
}

/** An LLM-ish span in protobufjs object form (fromObject accepts decimal strings for fixed64). */
export function protoSpan(init: ProtoSpanInit = {}): object {
  return {
    traceId: init.traceId ?? Buffer.from(TRACE_ID_HEX, 'hex'),
    spanId: init.spanId ?? Buffer.from(SPAN_ID_HEX, 'hex'),
    parentSpanId: init.parentSpanId ?? Buffer.from(PARENT_ID_HEX, 'hex'),
    name: init.name ?? 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: START_NANOS,
    endTimeUnixNano: END_NANOS,
    attributes: init.attributes ?? [
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: 42 } },
      { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
      { key: 'gen_ai.request.stream', value: { boolValue: false } },
    ],
    events: [{ timeUnixNano: START_NANOS, name: 'gen_ai.content.prompt', attributes: [{ key: 'gen_ai.prompt', value: { stringValue: 'hi' } }] }],
    status: { code: 2, message: 'rate limited' },
  };
}

export function traceRequestObject(spans: object[], serviceName = 'checkout'): object {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [{ scope: { name: 'openai-instrumentation', version: '1.2.3' }, spans }],
      },
    ],
  };
}

export function encodeTraceRequest(request: object): Buffer {
  const type = otlpTypes.ExportTraceServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

export function encodeLogsRequest(request: object): Buffer {
  const type = otlpTypes.ExportLogsServiceRequest;
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

export function logsRequestObject(records: object[]): object {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeLogs: [{ scope: { name: 'openai-instrumentation' }, logRecords: records }],
      },
    ],
  };
}

/** The same span as `protoSpan()`, as OTLP/JSON (hex ids, string times, integer enums). */
export function jsonSpan(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE_ID_HEX,
    spanId: SPAN_ID_HEX,
    parentSpanId: PARENT_ID_HEX,
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: START_NANOS,
    endTimeUnixNano: END_NANOS,
    attributes: [
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: '42' } },
      { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
      { key: 'gen_ai.request.stream', value: { boolValue: false } },
    ],
    events: [{ timeUnixNano: START_NANOS, name: 'gen_ai.content.prompt', attributes: [{ key: 'gen_ai.prompt', value: { stringValue: 'hi' } }] }],
    status: { code: 2, message: 'rate limited' },
    ...overrides,
  };
}

export function jsonTraceRequest(spans: object[]): Record<string, unknown> {
  return traceRequestObject(spans) as Record<string, unknown>;
}

/** `depth` kvlists nested in one attribute value, as OTLP/JSON text, built without recursion. */
export function deeplyNestedJsonTraceRequest(depth: number): string {
  const open = '{"kvlistValue":{"values":[{"key":"k","value":';
  const close = '}]}}';
  const value = open.repeat(depth) + '{"stringValue":"leaf"}' + close.repeat(depth);
  const span = JSON.stringify(jsonSpan({ attributes: '__DEEP__' }));
  return JSON.stringify(traceRequestObject([])).replace(
    '"spans":[]',
    `"spans":[${span.replace('"__DEEP__"', `[{"key":"deep","value":${value}}]`)}]`,
  );
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/**
 * An ExportTraceServiceRequest whose one span has an attribute with `depth` nested kvlists.
 * Written by hand in O(n): protobufjs' own encoder refuses nesting beyond 100 messages.
 */
export function deeplyNestedProtobufTraceRequest(depth: number): Buffer {
  const leaf = Buffer.from(otlpTypes.AnyValue.encode({ stringValue: 'leaf' }).finish());
  // Per level, outermost first: AnyValue.kvlist_value(6) → KeyValueList.values(1) → KeyValue{key(1)="k", value(2)}.
  const headers: number[][] = [];
  let innerLength = leaf.length;
  for (let i = 0; i < depth; i++) {
    const keyValue = [0x0a, 0x01, 0x6b, 0x12, ...varint(innerLength)];
    const keyValueLength = keyValue.length + innerLength;
    const list = [0x0a, ...varint(keyValueLength)];
    const listLength = list.length + keyValueLength;
    const anyValue = [0x32, ...varint(listLength)];
    headers.push([...anyValue, ...list, ...keyValue]);
    innerLength = anyValue.length + listLength;
  }
  const parts = headers.reverse().map((h) => Buffer.from(h));
  const deepValue = Buffer.concat([...parts, leaf]);
  const attribute = protobuf.Writer.create().uint32(0x0a).string('deep').uint32(0x12).bytes(deepValue).finish();
  // Span{trace_id(1), span_id(2), name(5), attributes(9)} → ScopeSpans.spans(2) → ResourceSpans.scope_spans(2) → request(1).
  const span = protobuf.Writer.create()
    .uint32(0x0a).bytes(Buffer.from(TRACE_ID_HEX, 'hex'))
    .uint32(0x12).bytes(Buffer.from(SPAN_ID_HEX, 'hex'))
    .uint32(0x2a).string('deep span')
    .uint32(0x4a).bytes(attribute)
    .finish();
  const scopeSpans = protobuf.Writer.create().uint32(0x12).bytes(span).finish();
  const resourceSpans = protobuf.Writer.create().uint32(0x12).bytes(scopeSpans).finish();
  return Buffer.from(protobuf.Writer.create().uint32(0x0a).bytes(resourceSpans).finish());
}

/** Messages as the Collector's file exporter writes them with `format: proto`: each after its length, 4 bytes big-endian. */
export function lengthPrefixed(...messages: Uint8Array[]): Buffer {
  return Buffer.concat(messages.flatMap((m) => [Buffer.from([m.length >>> 24, (m.length >>> 16) & 0xff, (m.length >>> 8) & 0xff, m.length & 0xff]), Buffer.from(m)]));
}
