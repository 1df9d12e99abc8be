// All traces in memory: lookup by id, newest-first order, totals for retention, and the list query.
import type { TraceList, TraceQuery, TraceSummary } from '../protocol/model';
import { TraceAggregate, type SpanRef } from './traceAggregate';
import { containsSearchText, searchSpellings } from './textMatch';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

function newestFirst(a: TraceAggregate, b: TraceAggregate): number {
  return b.orderKey - a.orderKey || b.arrival - a.arrival;
}

export class TraceIndex {
  private readonly traces = new Map<string, TraceAggregate>();
  /** Kept sorted lazily: after a batch, new traces sit at the end and TimSort merges them in O(n). */
  private order: TraceAggregate[] = [];
  private orderDirty = false;
  private readonly pinned = new Set<TraceAggregate>();
  /**
   * Least recently received first: a trace moves to the end when a span of it arrives. Retention's
   * order: what was just received stays, whatever its timestamps say (see retention.ts).
   */
  private readonly received = new Map<string, TraceAggregate>();
  /** The trace `received` ends with: the spans of a batch come trace by trace, and most need no move. */
  private lastReceived: TraceAggregate | undefined;
  spanCount = 0;
  bytes = 0;

  get traceCount(): number {
    return this.traces.size;
  }

  get(traceId: string): TraceAggregate | undefined {
    return this.traces.get(traceId);
  }

  values(): IterableIterator<TraceAggregate> {
    return this.traces.values();
  }

  /**
   * Adds or replaces one span. Returns the trace, whether it is new, and the ref now held for the span
   * (a replaced span keeps its ref object: the new version is copied into it).
   */
  put(traceId: string, ref: SpanRef): { trace: TraceAggregate; created: boolean; live: SpanRef } {
    let trace = this.traces.get(traceId);
    const created = trace === undefined;
    if (!trace) {
      trace = new TraceAggregate(traceId, ref.seq);
      this.traces.set(traceId, trace);
      this.order.push(trace);
      this.orderDirty = true;
    }
    if (trace !== this.lastReceived) {
      this.received.delete(traceId);
      this.received.set(traceId, trace);
      this.lastReceived = trace;
    }
    const spansBefore = trace.spans.size;
    const bytesBefore = trace.bytes;
    trace.put(ref);
    this.spanCount += trace.spans.size - spansBefore;
    this.bytes += trace.bytes - bytesBefore;
    const key = trace.startKey;
    if (key !== trace.orderKey) {
      trace.orderKey = key;
      this.orderDirty = true;
    }
    return { trace, created, live: trace.spans.get(ref.spanId) ?? ref };
  }

  setPinned(trace: TraceAggregate, pinned: boolean): void {
    trace.pinned = pinned;
    trace.invalidate();
    if (pinned && !trace.removed) this.pinned.add(trace);
    else this.pinned.delete(trace);
  }

  /** Pinned traces are few (the user picks them one by one), so callers may iterate them freely. */
  pinnedTraces(): ReadonlySet<TraceAggregate> {
    return this.pinned;
  }

  remove(trace: TraceAggregate): void {
    if (trace.removed) return;
    trace.removed = true;
    this.pinned.delete(trace);
    this.traces.delete(trace.traceId);
    this.received.delete(trace.traceId);
    if (this.lastReceived === trace) this.lastReceived = undefined;
    this.spanCount -= trace.spans.size;
    this.bytes -= trace.bytes;
    this.orderDirty = true;
  }

  /** Every trace, the one whose latest span arrived longest ago first. */
  leastRecentlyReceived(): IterableIterator<TraceAggregate> {
    return this.received.values();
  }

  /** Newest first by start time, ties by arrival. */
  sorted(): TraceAggregate[] {
    if (this.orderDirty) {
      this.order = this.order.filter((t) => !t.removed);
      this.order.sort(newestFirst);
      this.orderDirty = false;
    }
    return this.order;
  }

  list(query: TraceQuery): TraceList {
    const limit = clampInt(query.limit, DEFAULT_LIST_LIMIT, 0, MAX_LIST_LIMIT);
    const offset = clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
    const sorted = this.sorted();
    const needle = query.q?.trim().toLowerCase() ?? '';
    if (!needle && !query.service && !query.model && !query.status) {
      return { traces: sorted.slice(offset, offset + limit).map((t) => t.summary()), total: sorted.length };
    }
    // Span texts are UTF-8 (SpanMeta.text): the needle is matched as bytes too.
    const needles = searchSpellings(needle).map((text) => ({ text, bytes: Buffer.from(text, 'utf8') }));
    const traces: TraceSummary[] = [];
    let total = 0;
    for (const trace of sorted) {
      if (!matches(trace, query, needles)) continue;
      if (total >= offset && traces.length < limit) traces.push(trace.summary());
      total++;
    }
    return { traces, total };
  }
}

function matches(trace: TraceAggregate, query: TraceQuery, needles: readonly { text: string; bytes: Buffer }[]): boolean {
  if (query.status && trace.status !== query.status) return false;
  if (query.service && trace.summary().serviceName !== query.service) return false;
  if (query.model && !hasModel(trace, query.model)) return false;
  if (needles.length > 0 && !needles.some((needle) => containsText(trace, needle.text, needle.bytes))) return false;
  return true;
}

/** Summary models show what answered; the filter also accepts the model that was asked for. */
function hasModel(trace: TraceAggregate, model: string): boolean {
  if (trace.summary().models.includes(model)) return true;
  for (const ref of trace.spans.values()) if (ref.llm?.requestModel === model) return true;
  return false;
}

/** Span names, message text, models, and the services the trace passed through (not only its root's). */
function containsText(trace: TraceAggregate, needle: string, needleBytes: Buffer): boolean {
  if (trace.searchNames().includes(needle)) return true;
  for (const ref of trace.spans.values()) if (containsSearchText(ref.text, needleBytes)) return true;
  if (trace.summary().models.some((m) => m.toLowerCase().includes(needle))) return true;
  let service: string | undefined;
  for (const ref of trace.spans.values()) {
    // The spans of one service share its string: each is lowercased once.
    if (ref.service === undefined || ref.service === service) continue;
    service = ref.service;
    if (service.toLowerCase().includes(needle)) return true;
  }
  return false;
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
