// The CPU-heavy half of ingesting an OTLP protobuf trace export, as a pure function so it can run on
// a worker thread (spanIndexer.ts): split each span out as received, normalize its preview, and keep
// what the index needs. Log records are not known here; the pipeline redoes the few spans that have some.
import { splitTracesProtobuf } from '../otlp/splitTraces';
import type { PriceOverrides } from '../pricing/cost';
import { indexFieldsOf, type IndexFields } from '../store/spanMeta';
import { normalizeSpan } from './normalizeSpan';

export interface IndexedSpan {
  /** The span alone as an ExportTraceServiceRequest (SpanRecord.otlp). */
  otlp: Uint8Array;
  fields: IndexFields;
}

export interface IndexedTraces {
  spans: IndexedSpan[];
  rejected: number;
  errors: string[];
}

/** Throws OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
export function indexTracesProtobuf(body: Uint8Array, priceOverrides: PriceOverrides): IndexedTraces {
  const split = splitTracesProtobuf(body);
  const spans = split.records.map((record) => ({
    otlp: record.otlp,
    fields: indexFieldsOf(normalizeSpan(record.preview, [], priceOverrides), record.texts),
  }));
  return { spans, rejected: split.rejected, errors: split.errors };
}
