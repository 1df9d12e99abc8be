// The CPU-heavy half of ingesting an OTLP protobuf trace export, as pure functions so it can run on a
// worker thread (spanIndexer.ts): find each span as received, normalize its preview and keep what the
// index needs (indexPreviews); then cut each span's bytes out into its store record (recordLinesOf),
// so that all the store has left to do is give each span its seq and place. The two halves may run on
// different threads, both holding the request's bytes: the worker, the bottleneck of ingest, does only
// the first. Log records are not known here; the pipeline redoes the few spans that have some.
import { frameSpans, previewTracesProtobuf, type SpanLayout } from '../otlp/splitTraces';
import { joinedReasons } from '../otlp/rejections';
import { transcodeTracesJson, type TranscodedTraces } from '../otlp/transcodeJson';
import type { PriceOverrides } from '../pricing/cost';
import { encodeOtlpRecordsInPlace, OTLP_RECORD_ROOM } from '../store/recordFormat';
import { indexFieldsOf, type IndexFields } from '../store/spanMeta';
import { CALL_FIELDS_IN_JSON } from '../semconv';
import { responseIdOf } from '../semconv/genaiEvents';
import { DISPLAY_NAME_ATTRIBUTES } from '../semconv/displayName';
import { SOURCE_PATH_ATTRIBUTES } from '../source/resolveSource';
import { normalizeSpan } from './normalizeSpan';
import type { RecordArena } from './recordArenas';

/**
 * The long attributes the index needs whole, which the preview would leave out: stack traces and source
 * paths (the index records whether a span has a source location, and an error's first application
 * frame may be anywhere in its stack; a path can pass 1 KiB), the JSON attributes in which a convention
 * keeps a call's model or token usage (without them the trace list would show no tokens or cost where
 * the span shows some), and the attributes a span's display name comes from (a Logfire message may be long).
 */
export const PREVIEW_KEPT_WHOLE: ReadonlySet<string> = new Set([
  'exception.stacktrace',
  ...SOURCE_PATH_ATTRIBUTES,
  ...CALL_FIELDS_IN_JSON,
  ...DISPLAY_NAME_ATTRIBUTES,
]);

export interface IndexedSpan {
  fields: IndexFields;
  /** Its record line, with an empty seq slot and a newline after it: OtlpSpanWrite.line. */
  line: Buffer;
  /** A model call's response id (GenAI), by which an evaluation may name it (see responseIds.ts). */
  responseId?: string;
}

export interface IndexedTraces {
  spans: IndexedSpan[];
  rejected: number;
  errors: string[];
  /** Set when the lines are views into reused memory: seal it once they have been handed to the store. */
  arena?: RecordArena;
}

/** The index fields of each span of a request, and where its bytes are (for recordLinesOf). */
export interface IndexedPreviews {
  fields: IndexFields[];
  /** Per span, IndexedSpan.responseId. */
  responseIds: (string | undefined)[];
  layout: SpanLayout;
  rejected: number;
  errors: string[];
}

/** Throws OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
export function indexTracesProtobuf(body: Uint8Array, priceOverrides: PriceOverrides): IndexedTraces {
  const indexed = indexPreviews(body, priceOverrides);
  const lines = recordLinesOf(body, indexed.layout);
  return { spans: indexedSpans(indexed.fields, lines, indexed.responseIds), rejected: indexed.rejected, errors: indexed.errors };
}

/**
 * An OTLP/JSON export, indexed as the same export in protobuf (transcodeJson.ts): its spans are stored
 * and read like every other OTLP span. Throws OtlpDecodeError for what is not an ExportTraceServiceRequest.
 */
export function indexTracesJson(body: Uint8Array, priceOverrides: PriceOverrides): IndexedTraces {
  const transcoded = transcodeTracesJson(body);
  return withTranscodeRejections(indexTracesProtobuf(transcoded.protobuf, priceOverrides), transcoded);
}

/** An index of a transcoded export also counts the spans the transcoder left out, their reasons first. */
export function withTranscodeRejections<T extends { rejected: number; errors: string[] }>(indexed: T, transcoded: TranscodedTraces): T {
  return { ...indexed, rejected: transcoded.rejected + indexed.rejected, errors: joinedReasons(transcoded.errors, indexed.errors) };
}

/** Throws OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
export function indexPreviews(body: Uint8Array, priceOverrides: PriceOverrides): IndexedPreviews {
  // Each preview is reduced to its index fields as soon as it is found (see previewTracesProtobuf).
  const fields: IndexFields[] = [];
  const responseIds: (string | undefined)[] = [];
  const previewed = previewTracesProtobuf(
    body,
    ({ preview, texts }) => {
      const spanFields = indexFieldsOf(normalizeSpan(preview, [], priceOverrides), texts);
      fields.push(spanFields);
      responseIds.push(spanFields.llm?.modelCall ? responseIdOf(preview.attributes) : undefined);
    },
    PREVIEW_KEPT_WHOLE,
  );
  return { fields, responseIds, layout: previewed.layout, rejected: previewed.rejected, errors: previewed.errors };
}

/** Each span's index fields with its record line (and response id), as the store takes them. */
export function indexedSpans(fields: readonly IndexFields[], lines: readonly Buffer[], responseIds: readonly (string | undefined)[]): IndexedSpan[] {
  return fields.map((spanFields, i): IndexedSpan => {
    const responseId = responseIds[i];
    return responseId === undefined ? { fields: spanFields, line: lines[i] } : { fields: spanFields, line: lines[i], responseId };
  });
}

/**
 * The store record of each span of `layout`, cut out of `body` (the same bytes indexPreviews read),
 * into memory from `allocate` (one buffer for all of them).
 */
export function recordLinesOf(body: Uint8Array, layout: SpanLayout, allocate?: (size: number) => Buffer): Buffer[] {
  return encodeOtlpRecordsInPlace(frameSpans(body, layout, OTLP_RECORD_ROOM, allocate));
}
