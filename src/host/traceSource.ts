// Where a window's views read traces from: the store itself in the window that owns it, or the
// owner window's JSON API (plus its change stream) in every other window. Views only see this interface.
import type { Disposable, Event } from '../base/emitter';
import { otlpJsonLines } from '../otlp/otlpJsonFile';
import type { Span, TextSearchResult, TraceChange, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../protocol/model';
import type { TextSearchOptions } from '../store/fullTextSearch';
import type { IndexedSpanInfo } from '../store/spanMeta';
import type { TraceHead, TraceStore } from '../store/traceStore';

export interface TraceSource extends Disposable {
  readonly onDidChangeTraces: Event<TraceChange>;
  listTraces(query: TraceQuery): Promise<TraceList>;
  /** Every stored span's text (TraceStore.searchText); a source may report progress and matches only at the end. */
  searchText(q: string, options?: TextSearchOptions): Promise<TextSearchResult>;
  /** `head`: see TraceStore.getTrace (a source may also ignore it and answer in one piece). */
  getTrace(traceId: string, head?: TraceHead): Promise<TraceDetail | undefined>;
  /** The span tree's data without reading records, when the source has it (TraceStore.getTraceIndex). */
  getTraceIndex?(traceId: string): { summary: TraceSummary; spans: IndexedSpanInfo[] } | undefined;
  /** One span's tree data from the index (TraceStore.getSpanIndex), when the source has it. */
  getSpanIndex?(traceId: string, spanId: string): IndexedSpanInfo | undefined;
  getSpan(traceId: string, spanId: string): Promise<Span | undefined>;
  getSummary(traceId: string): Promise<TraceSummary | undefined>;
  /** The trace as a file of OTLP/JSON lines, as it was received (TraceStore.getTraceAsReceived). */
  getTraceFile(traceId: string): Promise<TraceFile | undefined>;
  /** False when the trace is not stored (deleted meanwhile, or removed by retention). */
  setPinned(traceId: string, pinned: boolean): Promise<boolean>;
  deleteTrace(traceId: string): Promise<void>;
  clear(): Promise<void>;
}

/** A trace as a file (otlp/otlpJsonFile.ts). */
export interface TraceFile {
  text: string;
  /** Spans the file holds. */
  spans: number;
  /** Spans whose records did not read back, left out of the file. */
  unreadable: number;
}

/** The owner window: straight to the store. */
export class LocalTraceSource implements TraceSource {
  readonly onDidChangeTraces: Event<TraceChange>;

  constructor(private readonly store: TraceStore) {
    this.onDidChangeTraces = store.onDidChangeTraces;
  }

  async listTraces(query: TraceQuery): Promise<TraceList> {
    return this.store.listTraces(query);
  }
  searchText(q: string, options?: TextSearchOptions): Promise<TextSearchResult> {
    return this.store.searchText(q, options);
  }
  getTrace(traceId: string, head?: TraceHead): Promise<TraceDetail | undefined> {
    return this.store.getTrace(traceId, head);
  }
  getTraceIndex(traceId: string): { summary: TraceSummary; spans: IndexedSpanInfo[] } | undefined {
    return this.store.getTraceIndex(traceId);
  }
  getSpanIndex(traceId: string, spanId: string): IndexedSpanInfo | undefined {
    return this.store.getSpanIndex(traceId, spanId);
  }
  getSpan(traceId: string, spanId: string): Promise<Span | undefined> {
    return this.store.getSpan(traceId, spanId);
  }
  async getSummary(traceId: string): Promise<TraceSummary | undefined> {
    return this.store.getSummary(traceId);
  }
  async getTraceFile(traceId: string): Promise<TraceFile | undefined> {
    const trace = await this.store.getTraceAsReceived(traceId);
    return trace && { text: otlpJsonLines(trace.spans, trace.logs), spans: trace.spans.length, unreadable: trace.unreadable };
  }
  setPinned(traceId: string, pinned: boolean): Promise<boolean> {
    return this.store.setPinned(traceId, pinned);
  }
  async deleteTrace(traceId: string): Promise<void> {
    this.store.deleteTrace(traceId);
  }
  clear(): Promise<void> {
    return this.store.clear();
  }
  dispose(): void {
    // The store belongs to the engine, which disposes it.
  }
}
