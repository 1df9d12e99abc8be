// OTLP/JSON trace exports → the same export as OTLP protobuf bytes, so that JSON exports take the
// protobuf hot path (SpanIndexer: indexed on the worker thread, stored as the span's bytes and
// normalized when read) instead of being decoded, normalized and serialized on the main thread.
//
// It reads JSON by decodeJson.ts's rules and writes only what that decoder reads, so the protobuf
// decoder reads the result back to the same RawSpans as decodeTracesJson (test/unit/otlp/
// transcodeJson.test.ts holds it to that). Where a JSON value has no protobuf form, it is written as
// the value decodeTracesJson gives it: an int64 string beyond 64 bits, or bytes that are not canonical
// base64, as that string; a nesting protobuf could not read back, as DEPTH_LIMIT_MARKER. Spans that
// decodeTracesJson rejects are left out and counted here, with its messages.
import protobuf from 'protobufjs';
import { list, objectList, parseRequest, str } from './decodeJson';
import { invalidIdsReason, RejectionLog } from './rejections';
import { idFromJson, int64FromJson, SPAN_KINDS, spanKindFromJson, STATUS_CODES, statusCodeFromJson, timeFromJson } from './scalars';
import { ANY_VALUE_DEPTH_LIMIT, asRecord, DEPTH_LIMIT_MARKER, doubleFromJson, field } from './values';

export interface TranscodedTraces {
  /** An ExportTraceServiceRequest holding every span decodeTracesJson accepts. */
  protobuf: Uint8Array;
  rejected: number;
  errors: string[];
}

const WHAT = 'ExportTraceServiceRequest';

// Tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
const tag = (field: number, wire: 0 | 1 | 2) => (field << 3) | wire;

/**
 * protobufjs' decoders refuse more than this many nested messages, counted from the request. A span's
 * KeyValues are the 5th (request, ResourceSpans, ScopeSpans, Span, KeyValue), a resource's the 4th,
 * an event's or a link's the 6th; an array value adds two per level, a kvlist three.
 */
const MESSAGE_DEPTH_LIMIT = protobuf.util.recursionLimit;

/** Throws OtlpDecodeError where decodeTracesJson does: unreadable JSON, or not an export's shape. */
export function transcodeTracesJson(input: string | Uint8Array | object): TranscodedTraces {
  const request = parseRequest(input, WHAT);
  const w = protobuf.Writer.create();
  const rejections = new RejectionLog();
  for (const rs of objectList(request, 'resourceSpans', 'resource_spans', WHAT)) {
    w.uint32(tag(1, 2)).fork();
    const resource = asRecord(rs.resource);
    if (resource) {
      w.uint32(tag(1, 2)).fork();
      writeAttributes(w, resource.attributes, 1, 0, 4);
      w.ldelim();
    }
    for (const ss of objectList(rs, 'scopeSpans', 'scope_spans', WHAT)) {
      w.uint32(tag(2, 2)).fork();
      const scope = asRecord(ss.scope);
      if (scope) {
        w.uint32(tag(1, 2)).fork();
        writeString(w, 1, str(scope.name));
        writeString(w, 2, str(scope.version));
        w.ldelim();
      }
      for (const raw of list(ss, 'spans', 'spans', WHAT)) writeSpan(w, raw, rejections);
      w.ldelim();
    }
    w.ldelim();
  }
  return { protobuf: w.finish(), rejected: rejections.count, errors: rejections.messages };
}

function writeSpan(w: protobuf.Writer, raw: unknown, rejections: RejectionLog): void {
  const s = asRecord(raw);
  if (!s) {
    rejections.add('a span is not a JSON object');
    return;
  }
  const name = str(s.name);
  const traceId = idFromJson(field(s, 'traceId', 'trace_id'), 16);
  const spanId = idFromJson(field(s, 'spanId', 'span_id'), 8);
  if (!traceId || !spanId) {
    rejections.add(invalidIdsReason(name, traceId ? 'spanId' : 'traceId'));
    return;
  }
  w.uint32(tag(2, 2)).fork();
  writeId(w, 1, traceId);
  writeId(w, 2, spanId);
  const parentSpanId = idFromJson(field(s, 'parentSpanId', 'parent_span_id'), 8);
  if (parentSpanId) writeId(w, 4, parentSpanId);
  writeString(w, 5, name);
  const kind = SPAN_KINDS.indexOf(spanKindFromJson(s.kind));
  if (kind > 0) w.uint32(tag(6, 0)).uint32(kind);
  writeTime(w, 7, field(s, 'startTimeUnixNano', 'start_time_unix_nano'));
  writeTime(w, 8, field(s, 'endTimeUnixNano', 'end_time_unix_nano'));
  writeAttributes(w, s.attributes, 9, 0, 5);
  if (Array.isArray(s.events)) {
    for (const item of s.events) {
      const e = asRecord(item);
      if (!e) continue;
      w.uint32(tag(11, 2)).fork();
      writeTime(w, 1, field(e, 'timeUnixNano', 'time_unix_nano'));
      writeString(w, 2, str(e.name));
      writeAttributes(w, e.attributes, 3, 0, 6);
      w.ldelim();
    }
  }
  if (Array.isArray(s.links)) {
    for (const item of s.links) {
      const l = asRecord(item);
      if (!l) continue;
      const linkTrace = idFromJson(field(l, 'traceId', 'trace_id'), 16);
      const linkSpan = idFromJson(field(l, 'spanId', 'span_id'), 8);
      // decodeTracesJson drops a link that points nowhere.
      if (!linkTrace || !linkSpan) continue;
      w.uint32(tag(13, 2)).fork();
      writeId(w, 1, linkTrace);
      writeId(w, 2, linkSpan);
      writeAttributes(w, l.attributes, 4, 0, 6);
      w.ldelim();
    }
  }
  const status = asRecord(s.status);
  if (status) {
    w.uint32(tag(15, 2)).fork();
    writeString(w, 2, str(status.message));
    const code = STATUS_CODES.indexOf(statusCodeFromJson(status.code));
    if (code > 0) w.uint32(tag(3, 0)).uint32(code);
    w.ldelim();
  }
  w.ldelim();
}

function writeString(w: protobuf.Writer, fieldNumber: number, value: string): void {
  if (value !== '') w.uint32(tag(fieldNumber, 2)).string(value);
}

function writeId(w: protobuf.Writer, fieldNumber: number, hex: string): void {
  w.uint32(tag(fieldNumber, 2)).bytes(Buffer.from(hex, 'hex'));
}

/** A fixed64 nanosecond time, by timeFromJson's rules ('0', an absent time, is not written). */
function writeTime(w: protobuf.Writer, fieldNumber: number, raw: unknown): void {
  const decimal = timeFromJson(raw);
  if (decimal === '0') return;
  const n = BigInt(decimal);
  w.uint32(tag(fieldNumber, 1)).fixed32(Number(n & 0xffffffffn)).fixed32(Number(n >> 32n));
}

/**
 * Repeated KeyValues (`fieldNumber` of the message being written), by attributesFromJson's rules.
 * `depth`: the value nesting decodeJson counts; `messages`: the protobuf message depth of the KeyValues.
 */
function writeAttributes(w: protobuf.Writer, raw: unknown, fieldNumber: number, depth: number, messages: number): void {
  if (!Array.isArray(raw)) return;
  for (const item of raw) {
    const kv = asRecord(item);
    if (!kv || typeof kv.key !== 'string') continue;
    w.uint32(tag(fieldNumber, 2)).fork();
    writeString(w, 1, kv.key);
    w.uint32(tag(2, 2)).fork();
    writeAnyValue(w, kv.value, depth, messages + 1);
    w.ldelim().ldelim();
  }
}

/**
 * The fields of one AnyValue (the caller wraps them in the message), by anyValueFromJson's rules:
 * none for what it reads as null, which an empty AnyValue reads as. `messages`: the AnyValue's depth.
 */
function writeAnyValue(w: protobuf.Writer, raw: unknown, depth: number, messages: number): void {
  const v = asRecord(raw);
  if (!v) return;
  const s = field(v, 'stringValue', 'string_value');
  if (s !== undefined) {
    if (s !== null) w.uint32(tag(1, 2)).string(typeof s === 'string' ? s : String(s));
    return;
  }
  const i = field(v, 'intValue', 'int_value');
  if (i !== undefined) {
    const n = int64FromJson(i);
    if (n === undefined) return;
    const big = BigInt(n);
    // Beyond int64, decodeTracesJson keeps the decimal text: so does a string.
    if (BigInt.asIntN(64, big) !== big) {
      w.uint32(tag(1, 2)).string(String(n));
      return;
    }
    // Two's complement halves: the writer takes any { low, high } as a Long (LongBits.from).
    const bits = BigInt.asUintN(64, big);
    const long = { low: Number(bits & 0xffffffffn) | 0, high: Number(bits >> 32n) | 0, unsigned: false };
    w.uint32(tag(3, 0)).int64(long as protobuf.Long);
    return;
  }
  const b = field(v, 'boolValue', 'bool_value');
  if (b !== undefined) {
    w.uint32(tag(2, 0)).bool(b === true || b === 'true');
    return;
  }
  const d = field(v, 'doubleValue', 'double_value');
  if (d !== undefined) {
    const n = doubleFromJson(d);
    if (n !== null) w.uint32(tag(4, 1)).double(Number(n));
    return;
  }
  const kvlist = field(v, 'kvlistValue', 'kvlist_value');
  if (kvlist !== undefined) {
    // KeyValueList, its KeyValues, their AnyValues.
    if (cutAtDepth(w, depth, messages + 3)) return;
    w.uint32(tag(6, 2)).fork();
    writeAttributes(w, asRecord(kvlist)?.values, 1, depth + 1, messages + 2);
    w.ldelim();
    return;
  }
  const array = field(v, 'arrayValue', 'array_value');
  if (array !== undefined) {
    // ArrayValue, its AnyValues.
    if (cutAtDepth(w, depth, messages + 2)) return;
    w.uint32(tag(5, 2)).fork();
    const values = asRecord(array)?.values;
    if (Array.isArray(values)) {
      for (const value of values) {
        w.uint32(tag(1, 2)).fork();
        writeAnyValue(w, value, depth + 1, messages + 2);
        w.ldelim();
      }
    }
    w.ldelim();
    return;
  }
  const bytes = field(v, 'bytesValue', 'bytes_value');
  if (typeof bytes !== 'string') return;
  // decodeTracesJson keeps bytes as the text sent: only canonical base64 reads back the same from bytes.
  const decoded = Buffer.from(bytes, 'base64');
  if (decoded.toString('base64') === bytes) w.uint32(tag(7, 2)).bytes(decoded);
  else w.uint32(tag(1, 2)).string(bytes);
}

/**
 * Writes DEPTH_LIMIT_MARKER in place of a nested value, and says so, where the JSON decoder would cut
 * it (`depth`) or protobuf could not read it back (`deepest`: the message depth its contents reach).
 */
function cutAtDepth(w: protobuf.Writer, depth: number, deepest: number): boolean {
  if (depth < ANY_VALUE_DEPTH_LIMIT && deepest <= MESSAGE_DEPTH_LIMIT) return false;
  w.uint32(tag(1, 2)).string(DEPTH_LIMIT_MARKER);
  return true;
}
