// The CPU-heavy half of ingesting an OTLP protobuf trace export, as a pure function so it can run on
// a worker thread (spanIndexer.ts): split each span out as received, normalize its preview, keep what
// the index needs, and encode the span's store record, so that all the main thread has left to do is
// give each span its seq and place. (The index entry is encoded when the record is written, see
// storeWriter.ts: on the main thread, which has the time to spare, where this is the bottleneck.) Log records are not known here; the pipeline redoes
// the few spans that have some.
import { splitTracesProtobuf } from '../otlp/splitTraces';
import type { PriceOverrides } from '../pricing/cost';
import { encodeOtlpRecordsInPlace, OTLP_RECORD_ROOM } from '../store/recordFormat';
import { indexFieldsOf, type IndexFields } from '../store/spanMeta';
import { normalizeSpan } from './normalizeSpan';

export interface IndexedSpan {
  fields: IndexFields;
  /** Its record line, with an empty seq slot and a newline after it: OtlpSpanWrite.line. */
  line: Buffer;
}

export interface IndexedTraces {
  spans: IndexedSpan[];
  rejected: number;
  errors: string[];
}

/** Throws OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
export function indexTracesProtobuf(body: Uint8Array, priceOverrides: PriceOverrides, options: { onWorker?: boolean } = {}): IndexedTraces {
  const split = splitTracesProtobuf(body, OTLP_RECORD_ROOM);
  // Inline (small exports) the fields stay on this thread, in the index: their text must not pin a message.
  const toAnotherThread = options.onWorker === true;
  const fields = split.records.map((record) =>
    indexFieldsOf(normalizeSpan(record.preview, [], priceOverrides), record.texts, { toAnotherThread }),
  );
  const lines = encodeOtlpRecordsInPlace(split.records.map((r) => r.otlp));
  const spans = fields.map((f, i): IndexedSpan => ({ fields: f, line: lines[i] }));
  return { spans, rejected: split.rejected, errors: split.errors };
}
