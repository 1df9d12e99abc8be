// The ingest hot path for OTLP protobuf traces. A full decode turns every prompt into a JS string and
// every attribute into objects, only for the store to serialize them again; most of that is never
// looked at unless someone opens the span. Here each span's own bytes are cut out as received (they are
// what the store keeps; reading a span decodes them fully, see decodeTracesProtobuf) and the span is
// decoded once more, shallowly, into a preview: every field and small attribute, with long strings left
// empty. The preview has what the index needs (ids, times, status, model, tokens), and the start and end
// of each long string are kept as text for search.
import protobuf from 'protobufjs';
import type { Attributes, Scope } from '../protocol/model';
import { decodeWith, scopeFromPb, spanFromPb, type PbResource, type PbScope, type PbSpan } from './decodeProtobuf';
import { otlpTypes, splitTypes } from './otlpSchema';
import { RejectionLog } from './rejections';
import type { RawSpan, SpanRecord, SplitTraces } from './types';
import { attributesFromPb, utf8, type PbKeyValue } from './values';

/** String attributes longer than this (in UTF-8 bytes) are left out of the preview: prompts, outputs, documents. */
export const PREVIEW_STRING_BYTES = 1024;
/** Bytes kept from each end of a left-out string for search: a prompt's start and its latest turn. */
const TEXT_EDGE_BYTES = 200;

interface SplitRequest {
  resourceSpans: { resource: Uint8Array; scopeSpans: { scope: Uint8Array; spans: Uint8Array[] }[] }[];
}

const hasOwn = Object.prototype.hasOwnProperty;

export function splitTracesProtobuf(buf: Uint8Array): SplitTraces {
  const request = decodeWith<SplitRequest>(splitTypes.TracesRequest, buf, 'ExportTraceServiceRequest');
  const records: SpanRecord[] = [];
  const rejections = new RejectionLog();
  for (const rs of request.resourceSpans) {
    // Shared by every span of this ResourceSpans, as in decodeTracesProtobuf.
    const resource: Attributes = isPresent(rs.resource)
      ? attributesFromPb(decodeWith<PbResource>(splitTypes.Resource, rs.resource, 'Resource').attributes)
      : {};
    for (const ss of rs.scopeSpans) {
      const scope = scopeFromPb(isPresent(ss.scope) ? decodeWith<PbScope>(splitTypes.InstrumentationScope, ss.scope, 'InstrumentationScope') : null);
      for (const spanBytes of ss.spans) {
        const pb = decodeWith<PbSpan>(splitTypes.Span, spanBytes, 'Span');
        const texts: string[] = [];
        leaveOutLongStrings(pb.attributes, texts);
        for (const event of pb.events) leaveOutLongStrings(event.attributes, texts);
        const preview = spanFromPb(pb, resource, scope, rejections);
        if (preview) records.push({ otlp: frameSpan(rs.resource, ss.scope, spanBytes), preview, texts });
      }
    }
  }
  return { records, rejected: rejections.count, errors: rejections.messages };
}

/** protobufjs leaves an absent bytes field as its (empty) default. */
function isPresent(bytes: Uint8Array | null | undefined): bytes is Uint8Array {
  return bytes !== null && bytes !== undefined && bytes.length > 0;
}

/**
 * Stack traces stay whole: the index records whether a span has a source location, and an error's
 * first application frame may be anywhere in its stack.
 */
const KEPT_WHOLE: ReadonlySet<string> = new Set(['exception.stacktrace']);

/** Empties long top-level string values in place (they are views into the request, never decoded). */
function leaveOutLongStrings(attributes: readonly PbKeyValue[], texts: string[]): void {
  for (const kv of attributes) {
    const value = kv.value;
    if (KEPT_WHOLE.has(kv.key)) continue;
    if (!value || !hasOwn.call(value, 'stringValue')) continue;
    const bytes = value.stringValue;
    if (typeof bytes === 'string' || bytes === undefined || bytes.length <= PREVIEW_STRING_BYTES) continue;
    texts.push(edgesAsText(bytes));
    value.stringValue = '';
  }
}

/**
 * The first and last bytes of a long string as loose text. Message attributes are JSON whose escapes
 * (Python's json.dumps writes every non-ASCII character as \uXXXX) would hide words from search.
 */
function edgesAsText(bytes: Uint8Array): string {
  const head = utf8(bytes.subarray(0, TEXT_EDGE_BYTES));
  const tail = utf8(bytes.subarray(bytes.length - TEXT_EDGE_BYTES));
  const text = `${head} … ${tail}`;
  if (!text.includes('\\')) return text;
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\[nrt]/g, ' ')
    .replace(/\\(["\\/])/g, '$1');
}

/** One span alone as an ExportTraceServiceRequest: ResourceSpans { resource, ScopeSpans { scope, span } }. */
function frameSpan(resource: Uint8Array, scope: Uint8Array, span: Uint8Array): Uint8Array {
  // Tags are (field number << 3) | 2, length-delimited: 10 is field 1, 18 is field 2.
  const w = protobuf.Writer.create();
  w.uint32(10).fork();
  if (isPresent(resource)) w.uint32(10).bytes(resource);
  w.uint32(18).fork();
  if (isPresent(scope)) w.uint32(10).bytes(scope);
  w.uint32(18).bytes(span);
  w.ldelim().ldelim();
  return w.finish();
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
