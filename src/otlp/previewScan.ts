// The wire walk behind splitTracesProtobuf: one pass over an ExportTraceServiceRequest that finds each
// span's bytes and builds its preview (RawSpan) directly, with long strings left undecoded. protobufjs'
// Reader does the wire primitives (varints, 64-bit values, skipping unknown fields); the field dispatch
// is written here because a generated decoder would materialize every prompt as a string and every
// message as an object, only for the preview to throw most of it away.
//
// Every span it lets into the store must read back through the full decoder (decodeTracesProtobuf), so
// it rejects what that decoder rejects: the same nesting limit (protobufjs' 100 messages, counted from
// the request; a span nesting deeper is rejected alone, where the full decoder fails the whole export),
// and replaced values are still checked. It reads alike: for a repeated singular field
// the last one wins, and oneof members have the same precedence. It is stricter in four ways, all
// rejected as malformed: a declared field with another wire type than its schema's, including the
// fields it skips unread (protobufjs reads garbage there, and may shift every field after it); a
// string whose length runs past its message (protobufjs cuts it short); a varint that does
// (protobufjs reads on into the next field); and a field number 0 (protobufjs skips it, so a body
// of zero bytes was an empty export, acknowledged). test/unit/otlp/previewMutations.test.ts holds it to this
// on thousands of damaged real exports.
import protobuf from 'protobufjs';
import type { Attributes, JsonValue, Scope, SpanEvent, SpanLink } from '../protocol/model';
import { invalidIdsReason, quotedSpan, RejectionLog } from './rejections';
import { scopeFromPb, statusFromPb } from './decodeProtobuf';
import { durationMsFromParts, idFromRange, int64ToJson, spanKindFromNumber, uint64PartsToDecimal } from './scalars';
import { FIELD_ZERO, OtlpDecodeError, type RawSpan } from './types';
import { traceWireTypes as WIRES } from './otlpSchema';
import { ShortStrings } from './utf8Text';
import { ANY_VALUE_DEPTH_LIMIT, DEPTH_LIMIT_MARKER, setKey } from './values';

/** A byte range [start, end) of the request. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What the walk reports per span: where its bytes (and its resource's and scope's) are, and its preview. */
export interface ScannedSpan {
  /** Absent when the ResourceSpans / ScopeSpans has no resource / scope field. */
  resource: ByteRange | undefined;
  scope: ByteRange | undefined;
  span: ByteRange;
  preview: RawSpan;
  /** The start and end of each string left out of the preview, as loose text for search. */
  texts: string[];
}

export interface PreviewOptions {
  /** Top-level string attribute values longer than this (UTF-8 bytes) are left empty in the preview. */
  maxStringBytes: number;
  /** Attribute keys whose values stay whole however long (stack traces). */
  keptWhole: ReadonlySet<string>;
  /** The loose search text of a left-out string. */
  textOf: (buf: Buffer, start: number, end: number) => string;
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const MAX_DEPTH = protobuf.util.recursionLimit;

/**
 * Hands each span to `onSpan` as the walk finds it, in request order. Throws OtlpDecodeError for bytes
 * that are not an ExportTraceServiceRequest (possibly after some spans were handed over).
 */
export function scanTraces(buf: Buffer, options: PreviewOptions, onSpan: (span: ScannedSpan) => void): { rejected: number; errors: string[] } {
  const walk = new Walk(buf, options, onSpan);
  try {
    walk.request();
  } catch (err) {
    // The consumer's own failure is not the request's: it goes out as it came (a 500, not a 400).
    if (err instanceof ConsumerError) throw err.error;
    if (err instanceof OtlpDecodeError) throw err;
    // protobufjs' Reader throws RangeError("index out of range") and Error("invalid wire type …").
    throw new OtlpDecodeError(`Invalid OTLP protobuf ExportTraceServiceRequest: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { rejected: walk.rejections.count, errors: walk.rejections.messages };
}

/** Nesting past protobufjs' limit: within a span, that span is rejected alone (Walk.span); elsewhere, the export. */
class NestingTooDeep extends OtlpDecodeError {}

function nestingReason(name: string): string {
  return `${quotedSpan(name)} nests values deeper than protobuf allows (${MAX_DEPTH} messages)`;
}

/** What `onSpan` threw, carried through the walk's own error handling unchanged. */
class ConsumerError {
  constructor(readonly error: unknown) {}
}

class Walk {
  readonly rejections = new RejectionLog();
  private readonly r: protobuf.Reader;

  constructor(
    private readonly buf: Buffer,
    private readonly options: PreviewOptions,
    private readonly onSpan: (span: ScannedSpan) => void,
  ) {
    this.r = protobuf.Reader.create(buf);
  }

  request(): void {
    const r = this.r;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) {
        const range = this.message(tag, 1);
        this.resourceSpans(range);
        r.pos = range.end;
      } else this.skip(tag, 0, WIRES.ExportTraceServiceRequest);
    }
    this.ended(r.len);
  }

  /** A length-delimited field's range (the reader is left at its start). `depth`: its message depth, 0 for bytes and strings. */
  private message(tag: number, depth: number): ByteRange {
    const end = this.fieldEnd(tag, depth);
    return { start: this.r.pos, end };
  }

  /** message() without the range object: where the field ends (it starts at the reader's position). */
  private fieldEnd(tag: number, depth: number): number {
    if ((tag & 7) !== WIRE_LENGTH) throw wireTypeError(tag, WIRE_LENGTH);
    if (depth > MAX_DEPTH) throw new NestingTooDeep('Invalid OTLP protobuf ExportTraceServiceRequest: maximum nesting depth exceeded');
    const r = this.r;
    const length = r.uint32();
    const end = r.pos + length;
    if (end > r.len) throw new RangeError(`index out of range: ${r.pos} + ${length} > ${r.len}`);
    return end;
  }

  /**
   * Bounds the reader to `range`, as protobufjs does while it decodes a nested message; returns the
   * bound that leave() restores. Nothing restores it on a throw: a throw ends the walk.
   */
  private enter(range: ByteRange): number {
    const r = this.r;
    const outer = r.len;
    r.pos = range.start;
    r.len = range.end;
    return outer;
  }

  /** Back to the enclosing message, positioned after `range` (callers that went back restore their own position). */
  private leave(range: ByteRange, outer: number): void {
    this.ended(range.end);
    this.r.len = outer;
    this.r.pos = range.end;
  }

  /**
   * Throws when the last field read ran past `end`, its message's end. protobufjs' Reader checks its
   * bound only after a long varint, so a short varint cut at the end of a message reads on into the
   * next; the full decoder, which bounds nested messages by position alone, then reads every field
   * after it shifted, and the stored span would not read back.
   */
  private ended(end: number): void {
    if (this.r.pos > end) throw new RangeError(`index out of range: a field runs past the end of its message at ${end}`);
  }

  /** Runs `read` between enter() and leave() (for the less frequent messages; hot paths inline the two). */
  private within<T>(range: ByteRange, read: (end: number) => T): T {
    const outer = this.enter(range);
    const result = read(range.end);
    this.leave(range, outer);
    return result;
  }

  private resourceSpans(range: ByteRange): void {
    // Spans are collected first: the resource may come after them on the wire.
    let resource: ByteRange | undefined;
    const scopes: { scope: ByteRange | undefined; spans: ByteRange[] }[] = [];
    this.within(range, (end) => {
      const r = this.r;
      while (r.pos < end) {
        const tag = r.uint32();
        const field = tag >>> 3;
        if (field === 1) {
          resource = this.message(tag, 2);
          r.pos = resource.end;
        } else if (field === 2) scopes.push(this.within(this.message(tag, 2), (e) => this.scopeSpans(e)));
        else this.skip(tag, 1, WIRES.ResourceSpans);
      }
    });
    const attributes = resource ? this.within(resource, (end) => this.resource(end)) : {};
    for (const { scope, spans } of scopes) {
      const decodedScope = scope ? this.within(scope, (end) => this.scope(end)) : { name: '' };
      for (const span of spans) {
        const outer = this.enter(span);
        this.span(span.end, span, resource, scope, attributes, decodedScope);
        this.leave(span, outer);
      }
    }
  }

  private scopeSpans(end: number): { scope: ByteRange | undefined; spans: ByteRange[] } {
    const r = this.r;
    let scope: ByteRange | undefined;
    const spans: ByteRange[] = [];
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1 || field === 2) {
        const range = this.message(tag, 3);
        r.pos = range.end;
        if (field === 1) scope = range;
        else spans.push(range);
      } else this.skip(tag, 2, WIRES.ScopeSpans);
    }
    return { scope, spans };
  }

  private resource(end: number): Attributes {
    const r = this.r;
    const attributes: Attributes = {};
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag >>> 3 === 1) this.keyValue(this.message(tag, 3), attributes, 3, false);
      else this.skip(tag, 2, WIRES.Resource);
    }
    return attributes;
  }

  private scope(end: number): Scope {
    const r = this.r;
    let name = '';
    let version = '';
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) name = this.string(tag);
      else if (field === 2) version = this.string(tag);
      // Attributes are not part of the contract's Scope, but are read so malformed ones fail alike.
      else if (field === 3) this.keyValue(this.message(tag, 4), {}, 4, false);
      else this.skip(tag, 3, WIRES.InstrumentationScope);
    }
    return scopeFromPb({ name, version });
  }

  private span(end: number, range: ByteRange, resource: ByteRange | undefined, scopeRange: ByteRange | undefined, resourceAttributes: Attributes, scope: Scope): void {
    const r = this.r;
    const buf = this.buf;
    let traceId: ByteRange | undefined;
    let spanId: ByteRange | undefined;
    let parentSpanId: ByteRange | undefined;
    let name = '';
    let kind = 0;
    let startHi = 0;
    let startLo = 0;
    let endHi = 0;
    let endLo = 0;
    let status: { code: number; message: string } | undefined;
    const attributes: Attributes = {};
    const events: SpanEvent[] = [];
    const links: SpanLink[] = [];
    const texts: string[] = [];
    try {
      while (r.pos < end) {
        const tag = r.uint32();
        switch (tag >>> 3) {
          case 1:
            traceId = this.bytes(tag);
            break;
          case 2:
            spanId = this.bytes(tag);
            break;
          case 4:
            parentSpanId = this.bytes(tag);
            break;
          case 5:
            name = this.string(tag);
            break;
          case 6:
            this.expect(tag, WIRE_VARINT);
            kind = r.int32();
            break;
          case 7:
            this.fixed64(tag);
            startHi = this.hi;
            startLo = this.lo;
            break;
          case 8:
            this.fixed64(tag);
            endHi = this.hi;
            endLo = this.lo;
            break;
          case 9:
            this.keyValue(this.message(tag, 4), attributes, 4, true, texts);
            break;
          case 11:
            events.push(this.within(this.message(tag, 4), (e) => this.event(e, texts)));
            break;
          case 13: {
            const link = this.within(this.message(tag, 4), (e) => this.link(e));
            if (link) links.push(link);
            break;
          }
          case 15:
            status = this.within(this.message(tag, 4), (e) => this.status(e));
            break;
          default:
            this.skip(tag, 3, WIRES.Span);
        }
      }
    } catch (err) {
      if (!(err instanceof NestingTooDeep)) throw err;
      // One span's values nested deeper than protobufjs reads (its stored record would not read back): that
      // span is rejected, the export's others kept. Rejecting the export made the exporter drop all of them.
      this.rejections.add(nestingReason(name));
      r.len = end;
      r.pos = end;
      return;
    }
    const traceHex = this.traceIdOf(traceId);
    const spanHex = validId(buf, spanId, 8);
    if (!traceHex || !spanHex) {
      this.rejections.add(invalidIdsReason(name, traceHex ? 'span_id' : 'trace_id'));
      return;
    }
    const preview: RawSpan = {
      traceId: traceHex,
      spanId: spanHex,
      name,
      kind: spanKindFromNumber(kind),
      startTimeUnixNano: uint64PartsToDecimal(startHi, startLo),
      endTimeUnixNano: uint64PartsToDecimal(endHi, endLo),
      durationMs: durationMsFromParts(startHi, startLo, endHi, endLo),
      status: statusFromPb(status),
      attributes,
      events,
      links,
      resource: resourceAttributes,
      scope,
    };
    // A root span has no parent; some SDKs send eight zero bytes instead of leaving the field empty.
    const parentHex = validId(buf, parentSpanId, 8);
    if (parentHex) preview.parentSpanId = parentHex;
    try {
      this.onSpan({ resource, scope: scopeRange, span: range, preview, texts });
    } catch (error) {
      throw new ConsumerError(error);
    }
  }

  /**
   * The previous valid trace id, where its bytes are: a trace's spans mostly arrive together, and
   * one string per trace is also one hash for every Map it keys afterwards.
   */
  private lastTrace: { start: number; hex: string } | undefined;

  private traceIdOf(range: ByteRange | undefined): string | undefined {
    const last = this.lastTrace;
    if (range && last && range.end - range.start === 16 && sameBytes(this.buf, last.start, range.start, 16)) return last.hex;
    const hex = validId(this.buf, range, 16);
    if (hex && range) this.lastTrace = { start: range.start, hex };
    return hex;
  }

  private event(end: number, texts: string[]): SpanEvent {
    const r = this.r;
    let hi = 0;
    let lo = 0;
    let name = '';
    const attributes: Attributes = {};
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) {
        this.fixed64(tag);
        hi = this.hi;
        lo = this.lo;
      } else if (field === 2) name = this.string(tag);
      else if (field === 3) this.keyValue(this.message(tag, 5), attributes, 5, true, texts);
      else this.skip(tag, 4, WIRES.Event);
    }
    return { name, timeUnixNano: uint64PartsToDecimal(hi, lo), attributes };
  }

  private link(end: number): SpanLink | undefined {
    const r = this.r;
    let traceId: ByteRange | undefined;
    let spanId: ByteRange | undefined;
    const attributes: Attributes = {};
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) traceId = this.bytes(tag);
      else if (field === 2) spanId = this.bytes(tag);
      else if (field === 4) this.keyValue(this.message(tag, 5), attributes, 5, false);
      else this.skip(tag, 4, WIRES.Link);
    }
    const traceHex = validId(this.buf, traceId, 16);
    const spanHex = validId(this.buf, spanId, 8);
    // A link that points nowhere cannot be followed; drop it rather than reject the whole span.
    return traceHex && spanHex ? { traceId: traceHex, spanId: spanHex, attributes } : undefined;
  }

  private status(end: number): { code: number; message: string } {
    const r = this.r;
    let code = 0;
    let message = '';
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 2) message = this.string(tag);
      else if (field === 3) {
        this.expect(tag, WIRE_VARINT);
        code = r.int32();
      } else this.skip(tag, 4, WIRES.Status);
    }
    return { code, message };
  }

  /**
   * One KeyValue into `out`. `depth` is its message depth from the request. With `preview`, a long
   * top-level string value is left empty and its edges go to `texts`.
   */
  private keyValue(range: ByteRange, out: Attributes, depth: number, preview: boolean, texts?: string[], valueDepth = 0): void {
    // Positions as plain numbers, not ranges: this runs for every attribute of every span.
    const r = this.r;
    let key = '';
    let valueStart = -1;
    let valueEnd = -1;
    const outer = this.enter(range);
    while (r.pos < range.end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) {
        const end = this.fieldEnd(tag, 0);
        key = shortStrings.text(this.buf, r.pos, end);
        r.pos = end;
      } else if (field === 2) {
        if (valueStart >= 0) this.check({ start: valueStart, end: valueEnd }, depth + 1, 'value');
        valueEnd = this.fieldEnd(tag, depth + 1);
        valueStart = r.pos;
        r.pos = valueEnd;
      } else this.skip(tag, depth, WIRES.KeyValue);
    }
    // The value is read once its key is known (a sender may put it first): the key decides what is kept.
    let json: JsonValue = null;
    if (valueStart >= 0) {
      const longString = preview && !this.options.keptWhole.has(key) ? this.options.maxStringBytes : Infinity;
      r.pos = valueStart;
      r.len = valueEnd;
      json = this.anyValue(valueEnd, depth + 1, valueDepth, longString, texts);
      this.ended(valueEnd);
    }
    this.leave(range, outer);
    setKey(out, key, json);
  }

  /**
   * An AnyValue as JSON, converted as anyValueFromPb converts protobufjs' message: the first present
   * field in its order wins, arrays and kvlists deeper than ANY_VALUE_DEPTH_LIMIT become a marker.
   */
  private anyValue(end: number, depth: number, valueDepth: number, longString: number, texts?: string[]): JsonValue {
    const r = this.r;
    const buf = this.buf;
    let stringStart = -1;
    let stringEnd = -1;
    let int: JsonValue | undefined;
    let bool: boolean | undefined;
    let double: JsonValue | undefined;
    let kvlist: ByteRange | undefined;
    let array: ByteRange | undefined;
    let bytes: ByteRange | undefined;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag >>> 3) {
        case 1:
          stringEnd = this.fieldEnd(tag, 0);
          stringStart = r.pos;
          r.pos = stringEnd;
          break;
        case 2:
          this.expect(tag, WIRE_VARINT);
          bool = r.bool();
          break;
        case 3:
          this.expect(tag, WIRE_VARINT);
          int = int64ToJson(r.int64());
          break;
        case 4: {
          this.expect(tag, WIRE_FIXED64);
          const d = r.double();
          double = Number.isFinite(d) ? d : String(d);
          break;
        }
        case 5:
          if (array) this.check(array, depth + 1, 'array');
          array = this.message(tag, depth + 1);
          r.pos = array.end;
          break;
        case 6:
          if (kvlist) this.check(kvlist, depth + 1, 'kvlist');
          kvlist = this.message(tag, depth + 1);
          r.pos = kvlist.end;
          break;
        case 7:
          bytes = this.bytes(tag);
          break;
        default:
          this.skip(tag, depth, WIRES.AnyValue);
      }
    }
    // Nested values are read even when not kept, so a payload the full decoder rejects is rejected here.
    const list = kvlist ? this.within(kvlist, (e) => this.list(e, depth + 1, valueDepth, true)) : undefined;
    const items = array ? this.within(array, (e) => this.list(e, depth + 1, valueDepth, false)) : undefined;
    if (stringStart >= 0) {
      if (stringEnd - stringStart > longString) {
        texts?.push(this.options.textOf(buf, stringStart, stringEnd));
        return '';
      }
      return shortStrings.text(buf, stringStart, stringEnd);
    }
    if (int !== undefined) return int;
    if (bool !== undefined) return bool;
    if (double !== undefined) return double;
    if (list) return list;
    if (items) return items;
    if (bytes) return buf.toString('base64', bytes.start, bytes.end);
    return null;
  }

  /** A KeyValueList (`kv`) or an ArrayValue; past the value depth limit it is read and replaced by the marker. */
  private list(end: number, depth: number, valueDepth: number, kv: boolean): JsonValue {
    const r = this.r;
    const keep = valueDepth < ANY_VALUE_DEPTH_LIMIT;
    const object: Attributes = {};
    const array: JsonValue[] = [];
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag >>> 3 !== 1) {
        this.skip(tag, depth, kv ? WIRES.KeyValueList : WIRES.ArrayValue);
        continue;
      }
      const range = this.message(tag, depth + 1);
      if (kv) this.keyValue(range, keep ? object : {}, depth + 1, false, undefined, valueDepth + 1);
      else {
        const item = this.within(range, (e) => this.anyValue(e, depth + 1, valueDepth + 1, Infinity));
        if (keep) array.push(item);
      }
    }
    if (!keep) return DEPTH_LIMIT_MARKER;
    return kv ? object : array;
  }

  /**
   * Reads a value that a later field of the same number replaces (the last one wins), only to reject
   * it if it is malformed: the stored span keeps its bytes, and the full decoder reads them all.
   */
  private check(range: ByteRange, depth: number, kind: 'value' | 'array' | 'kvlist'): void {
    const r = this.r;
    const [pos, len] = [r.pos, r.len];
    this.enter(range);
    if (kind === 'value') this.anyValue(range.end, depth, 0, Infinity);
    else this.list(range.end, depth, 0, kind === 'kvlist');
    this.ended(range.end);
    r.pos = pos;
    r.len = len;
  }

  /** The halves of the last fixed64 read (fixed64()): 64-bit times without a Long object each. */
  private hi = 0;
  private lo = 0;

  private fixed64(tag: number): void {
    this.expect(tag, WIRE_FIXED64);
    const r = this.r;
    this.lo = this.buf.readUInt32LE(r.pos);
    this.hi = this.buf.readUInt32LE(r.pos + 4);
    r.skip(8);
  }

  /** Skips a field this walk does not read; a declared one must still have its declared wire type. */
  private skip(tag: number, depth: number, declared: Int8Array): void {
    const field = tag >>> 3;
    if (field === 0) throw new Error(FIELD_ZERO);
    const wire = field < declared.length ? declared[field] : -1;
    if (wire >= 0 && wire !== (tag & 7)) throw wireTypeError(tag, wire);
    this.r.skipType(tag & 7, depth);
  }

  private expect(tag: number, wireType: number): void {
    if ((tag & 7) !== wireType) throw wireTypeError(tag, wireType);
  }

  private bytes(tag: number): ByteRange {
    const range = this.message(tag, 0);
    this.r.pos = range.end;
    return range;
  }

  private string(tag: number): string {
    const end = this.fieldEnd(tag, 0);
    const text = shortStrings.text(this.buf, this.r.pos, end);
    this.r.pos = end;
    return text;
  }
}

const shortStrings = new ShortStrings();

function wireTypeError(tag: number, declared: number): OtlpDecodeError {
  return new OtlpDecodeError(
    `Invalid OTLP protobuf ExportTraceServiceRequest: field ${tag >>> 3} has wire type ${tag & 7} where the schema declares ${declared}`,
  );
}

function sameBytes(buf: Buffer, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

function validId(buf: Buffer, range: ByteRange | undefined, length: 8 | 16): string | undefined {
  return range ? idFromRange(buf, range.start, range.end, length) : undefined;
}
