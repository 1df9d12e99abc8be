// The search of all stored text (GET /api/search; Spanlight: Search All Trace Text): every live span's
// record read from the segments, newest trace first, a batch at a time with a yield to the event loop
// between batches (the receiver keeps answering meanwhile), and tested by fullTextMatch.ts: its bytes
// first, then, if they may hold the text, the span read back.
import { shownName, type TextSearchMatch, type TextSearchResult } from '../protocol/model';
import { findTextInSpan, recordMayHold, type TextNeedle } from './fullTextMatch';
import type { StoredSpanReader } from './storedSpanReader';
import type { SpanRef, TraceAggregate } from './traceAggregate';

export interface TextSearchOptions {
  /** Matches to stop at: TEXT_SEARCH_LIMIT by default, at most TEXT_SEARCH_MAX_LIMIT. */
  limit?: number;
  signal?: AbortSignal;
  /** After each batch: spans read so far, out of the spans stored when the search started. */
  onProgress?: (scanned: number, total: number) => void;
  /** Each match as it is found (the result has them all too). */
  onMatch?: (match: TextSearchMatch) => void;
}

export const TEXT_SEARCH_LIMIT = 200;
export const TEXT_SEARCH_MAX_LIMIT = 1000;
/** Spans, and bytes of records, read between two yields to the event loop. */
const BATCH_SPANS = 512;
const BATCH_BYTES = 8 * 1024 * 1024;

/** `traces` newest first, as the list shows them; `totalSpans` their spans. */
export async function searchStoredText(
  traces: readonly TraceAggregate[],
  totalSpans: number,
  reader: StoredSpanReader,
  needle: TextNeedle,
  options: TextSearchOptions = {},
): Promise<TextSearchResult> {
  const limit = Math.min(TEXT_SEARCH_MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? TEXT_SEARCH_LIMIT)));
  const matches: TextSearchMatch[] = [];
  let scannedSpans = 0;
  let next = 0;
  while (next < traces.length) {
    if (options.signal?.aborted) return { matches, scannedSpans, totalSpans, stopped: 'cancelled' };
    // Refs are taken now, not when the search started: compaction may have moved records meanwhile.
    const batch: { trace: TraceAggregate; ref: SpanRef; seq: number }[] = [];
    let bytes = 0;
    while (next < traces.length && batch.length < BATCH_SPANS && bytes < BATCH_BYTES) {
      const trace = traces[next++];
      if (trace.removed) continue;
      for (const ref of trace.spans.values()) {
        batch.push({ trace, ref, seq: ref.seq });
        bytes += ref.length;
      }
    }
    const lines = await reader.lines(
      batch.map((item) => item.ref),
      { cache: false },
    );
    for (let i = 0; i < batch.length; i++) {
      scannedSpans++;
      if (!recordMayHold(lines[i], needle)) continue;
      const { trace, seq } = batch[i];
      const span = reader.spanOfLine(lines[i], seq);
      const hit = span && findTextInSpan(span, needle);
      if (!span || !hit) continue;
      const match: TextSearchMatch = {
        traceId: trace.traceId,
        spanId: span.spanId,
        spanName: shownName(span),
        traceName: trace.summary().rootName,
        startTimeUnixNano: span.startTimeUnixNano,
        ...hit,
      };
      matches.push(match);
      options.onMatch?.(match);
      if (matches.length >= limit) return { matches, scannedSpans, totalSpans, stopped: 'limit' };
    }
    options.onProgress?.(scannedSpans, totalSpans);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { matches, scannedSpans, totalSpans };
}
