// The ingest hot path for OTLP protobuf traces. A full decode turns every prompt into a JS string and
// every attribute into objects, only for the store to serialize them again; most of that is never
// looked at unless someone opens the span. Here one walk over the request (previewScan.ts) finds each
// span's own bytes, which are what the store keeps (reading a span decodes them fully, see
// decodeTracesProtobuf), and builds a preview of the span: every field and small attribute, with long
// strings left undecoded. The preview has what the index needs (ids, times, status, model, tokens),
// and the start, the end and the latest user turn of each long string are kept as text for search (longTextEdges.ts).
import { scanTraces } from './previewScan';
import { longTextEdges } from './longTextEdges';
import { asBuffer, decodeWith, scopeFromPb, spanFromPb, type PbResource, type PbScope, type PbSpan } from './decodeProtobuf';
import { otlpTypes, splitTypes } from './otlpSchema';
import { RejectionLog } from './rejections';
import type { Attributes, Scope } from '../protocol/model';
import type { RawSpan, SpanPreview, SpanRecord, SplitTraces } from './types';
import { attributesFromPb } from './values';

/** String attributes longer than this (in UTF-8 bytes) are left out of the preview: prompts, outputs, documents. */
export const PREVIEW_STRING_BYTES = 1024;

interface SplitRequest {
  resourceSpans: { resource: Uint8Array; scopeSpans: { scope: Uint8Array; spans: Uint8Array[] }[] }[];
}

/** Bytes kept free before and after each span's bytes, in the same buffer (see splitTracesProtobuf). */
export interface SpanRoom {
  head: number;
  tail: number;
}

export interface SplitOptions {
  /**
   * Attribute keys whose values the preview keeps whole however long: what its consumer needs whole
   * (the ingest pipeline's PREVIEW_KEPT_WHOLE). None by default.
   */
  keptWhole?: ReadonlySet<string>;
  /**
   * Free bytes before and after each record's `otlp` in its buffer, for a caller that frames it further
   * in place (the store's records, see encodeOtlpRecordsInPlace) instead of copying it again.
   */
  room?: SpanRoom;
}

const NONE: ReadonlySet<string> = new Set();

/** Throws OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
export function splitTracesProtobuf(body: Uint8Array, options: SplitOptions = {}): SplitTraces {
  const previews: SpanPreview[] = [];
  const previewed = previewTracesProtobuf(body, (preview) => previews.push(preview), options.keptWhole);
  const framed = frameSpans(body, previewed.layout, options.room ?? { head: 0, tail: 0 });
  const records: SpanRecord[] = previews.map((s, i) => ({ otlp: framed[i], preview: s.preview, texts: s.texts }));
  return { records, rejected: previewed.rejected, errors: previewed.errors };
}

/**
 * The first half of splitTracesProtobuf: each span's preview, handed to `onSpan` as the walk finds it,
 * and where the spans' bytes lie in `body` (SpanLayout), for frameSpans to cut out — possibly on another
 * thread that has the same bytes. A caller that reduces each preview at once (the index worker) keeps
 * no more than one alive: V8 then sees the walk's objects die young, instead of deciding, from a
 * collection in the middle of a big export, to allocate them in the old generation from then on (which
 * made the worker a third slower for the rest of its life, in one start out of two).
 * Throws OtlpDecodeError for bytes that are not an ExportTraceServiceRequest.
 */
export function previewTracesProtobuf(
  body: Uint8Array,
  onSpan: (span: SpanPreview) => void,
  keptWhole: ReadonlySet<string> = NONE,
): { layout: SpanLayout; rejected: number; errors: string[] } {
  const ranges: number[] = [];
  const scanned = scanTraces(asBuffer(body), { maxStringBytes: PREVIEW_STRING_BYTES, keptWhole, textOf: longTextEdges }, (s) => {
    ranges.push(s.resource?.start ?? -1, s.resource?.end ?? -1, s.scope?.start ?? -1, s.scope?.end ?? -1, s.span.start, s.span.end);
    onSpan({ preview: s.preview, texts: s.texts });
  });
  return { layout: Float64Array.from(ranges), rejected: scanned.rejected, errors: scanned.errors };
}

/**
 * Where each span's parts lie in its request: per span, the start and end of its resource, its scope
 * and itself (-1 for a resource or scope the request does not have). Numbers, so it crosses threads
 * as one transferred buffer.
 */
export type SpanLayout = Float64Array;
const LAYOUT_STRIDE = 6;

// Tags of the length-delimited fields a span record is made of: (field number << 3) | 2.
const FIELD_1 = 0x0a;
const FIELD_2 = 0x12;

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
}

function writeVarint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

const fieldLength = (bytes: number) => 1 + varintLength(bytes) + bytes;
/** The length of a part of the layout as a field (0 when absent). */
const partLength = (layout: SpanLayout, at: number) => (layout[at] < 0 ? 0 : fieldLength(layout[at + 1] - layout[at]));

/**
 * Each span of `layout` alone as an ExportTraceServiceRequest { ResourceSpans { resource, ScopeSpans
 * { scope, span } } }, its parts copied from `body` as received: views into one buffer for the whole
 * request (one allocation, not one per span, from `allocate`), `room` apart.
 */
export function frameSpans(body: Uint8Array, layout: SpanLayout, room: SpanRoom, allocate: (size: number) => Buffer = Buffer.allocUnsafe): Buffer[] {
  const buf = asBuffer(body);
  const count = layout.length / LAYOUT_STRIDE;
  const scopeSpans = new Array<number>(count);
  const resourceSpans = new Array<number>(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const at = i * LAYOUT_STRIDE;
    scopeSpans[i] = partLength(layout, at + 2) + partLength(layout, at + 4);
    resourceSpans[i] = partLength(layout, at) + fieldLength(scopeSpans[i]);
    total += room.head + fieldLength(resourceSpans[i]) + room.tail;
  }
  const out = allocate(total);
  const views: Buffer[] = new Array(count);
  let at = 0;
  const copyField = (tag: number, start: number, end: number) => {
    out[at++] = tag;
    at = writeVarint(out, at, end - start);
    at += buf.copy(out, at, start, end);
  };
  for (let i = 0; i < count; i++) {
    const parts = i * LAYOUT_STRIDE;
    at += room.head;
    const start = at;
    out[at++] = FIELD_1;
    at = writeVarint(out, at, resourceSpans[i]);
    if (layout[parts] >= 0) copyField(FIELD_1, layout[parts], layout[parts + 1]);
    out[at++] = FIELD_2;
    at = writeVarint(out, at, scopeSpans[i]);
    if (layout[parts + 2] >= 0) copyField(FIELD_1, layout[parts + 2], layout[parts + 3]);
    copyField(FIELD_2, layout[parts + 4], layout[parts + 5]);
    views[i] = out.subarray(start, at);
    at += room.tail;
  }
  return views;
}

/** Resources and scopes repeat on every stored span: this many distinct ones are kept decoded. */
const READER_MEMO_ENTRIES = 256;
/** Larger ones are decoded each time (a key that size would cost what it saves). */
const READER_MEMO_MAX_BYTES = 8 * 1024;

/**
 * Reads stored span records (SpanRecord.otlp) back into RawSpans: the same result as
 * decodeTracesProtobuf, but each distinct resource and scope is decoded once, not once per span
 * (a realistic SDK resource has a dozen attributes, often more than the span itself). The decoded
 * objects are shared between the spans that have them, as they are within one export.
 */
export class SpanRecordReader {
  private readonly resources = new Map<string, Attributes>();
  private readonly scopes = new Map<string, Scope>();

  /** Throws OtlpDecodeError for bytes that are not a span record; undefined when it holds no valid span. */
  read(otlp: Uint8Array): RawSpan | undefined {
    const request = decodeWith<SplitRequest>(splitTypes.TracesRequest, otlp, 'span record');
    const rs = request.resourceSpans[0];
    const ss = rs?.scopeSpans[0];
    const spanBytes = ss?.spans[0];
    if (!rs || !ss || !spanBytes) return undefined;
    const resource = memoized(this.resources, rs.resource, (bytes) =>
      attributesFromPb(decodeWith<PbResource>(splitTypes.Resource, bytes, 'Resource').attributes),
    ) ?? {};
    const scope = memoized(this.scopes, ss.scope, (bytes) =>
      scopeFromPb(decodeWith<PbScope>(splitTypes.InstrumentationScope, bytes, 'InstrumentationScope')),
    ) ?? scopeFromPb(null);
    const pb = decodeWith<PbSpan>(otlpTypes.Span, spanBytes, 'Span');
    return spanFromPb(pb, resource, scope, new RejectionLog());
  }
}

/** protobufjs leaves an absent bytes field as its (empty) default. */
function isPresent(bytes: Uint8Array | null | undefined): bytes is Uint8Array {
  return bytes !== null && bytes !== undefined && bytes.length > 0;
}

function memoized<T>(memo: Map<string, T>, bytes: Uint8Array, decode: (bytes: Uint8Array) => T): T | undefined {
  if (!isPresent(bytes)) return undefined;
  if (bytes.length > READER_MEMO_MAX_BYTES) return decode(bytes);
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let value = memo.get(key);
  if (value === undefined) {
    value = decode(bytes);
    if (memo.size >= READER_MEMO_ENTRIES) memo.clear();
    memo.set(key, value);
  }
  return value;
}
