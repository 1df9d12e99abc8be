// The trace store: an in-memory index of every span (a small ref, never the messages) over append-only
// segment files (read back through StoredSpanReader, with its byte-bounded cache of recent records),
// durable deletions, retention by count and bytes, and one change event per batch. Writes update the
// index synchronously, so a read right after an upsert sees it, while the disk append happens moments
// later in the background (StoreWriter).
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Emitter, type Disposable, type Event } from '../base/emitter';
import type { HealthInfo, Span, TextSearchResult, TraceChange, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../protocol/model';
import { ChangeBatcher } from './changeBatcher';
import type { RawLogRecord, RawSpan } from '../otlp/types';
import { textNeedle } from './fullTextMatch';
import { searchStoredText, type TextSearchOptions } from './fullTextSearch';
import type { IndexEntry } from './indexFormat';
import { encodeOtlpRecords, encodeRecord, fillSeq, lineWithNewline, type StoredRecord } from './recordFormat';
import { selectEvictions, type RetentionLimits } from './retention';
import { SegmentLog } from './segmentLog';
import {
  displayModel,
  intern,
  isUsageCall,
  metaFromFields,
  metaFromSpan,
  SEARCH_BYTES_PER_TRACE,
  searchTextLeads,
  sharedShape,
  type IndexedSpanInfo,
  type IndexFields,
  type SpanMeta,
} from './spanMeta';
import { StateDb } from './stateDb';
import { storeError } from './storeErrors';
import { receivedFromRecord, spanFromRecord, StoredSpanReader, type DeriveSpan } from './storedSpanReader';
import { StoreWriter, type LineOwner } from './storeWriter';
import { TombstoneLog } from './tombstones';
import type { SpanRef, TraceAggregate } from './traceAggregate';
import { TraceIndex } from './traceIndex';

export interface TraceStoreOptions {
  dir: string;
  /** Live spans kept (default 100 000); oldest unpinned traces are evicted beyond. */
  maxSpans?: number;
  /** Bytes of live span records kept (default 512 MiB). */
  maxBytes?: number;
  /** Segment files roll at this size (default 32 MiB). */
  segmentBytes?: number;
  /** Bytes of recent records kept in memory for instant reads (default 64 MiB). */
  cacheBytes?: number;
  /** Disk problems the store worked around (it never throws them at the writer of spans). */
  onError?: (err: Error) => void;
  /**
   * Turns a span stored as OTLP bytes (upsertOtlpSpans) back into the contract's Span when it is read:
   * the ingest pipeline's normalization. Without it such spans read back raw (no llm, no source).
   */
  deriveSpan?: DeriveSpan;
}

/**
 * One span as received over OTLP protobuf, for upsertOtlpSpans: its record already encoded (the ingest
 * worker's output), or its bytes to encode here (a span stored again with log records).
 */
export type OtlpSpanWrite = {
  /** What the index keeps of it (indexFieldsOf its normalized preview); the ids must match the record's. */
  fields: IndexFields;
} & (
  | {
      /** Its record line from encodeOtlpRecords: the seq slot still empty (the store fills it), a newline after it. */
      line: Buffer;
    }
  | {
      /** The span alone as an ExportTraceServiceRequest (SpanRecord.otlp): what is stored. */
      otlp: Uint8Array;
      /** GenAI log records of this span, stored with it (normalization on read merges them in). */
      logs?: readonly RawLogRecord[];
    }
);

/** One version of a span as the store writes it: its record line and its meta. */
interface EncodedVersion {
  line: Buffer;
  meta: SpanMeta;
  /** Set when the line is a view into memory that is reused once the writer is done with it. */
  owner?: LineOwner;
}

/** See TraceStore.getTrace. */
export interface TraceHead {
  spans: number;
  deliver: (head: TraceDetail) => void;
}

/**
 * What a span was stored from, for re-storing it with more log records (IngestPipeline.acceptLogs) or
 * indexing it again; `seq` is the version read (see spanSeq).
 */
export type StoredSpanSource =
  | { kind: 'span'; span: Span; seq: number }
  | { kind: 'otlp'; otlp: Buffer; logs: RawLogRecord[]; seq: number };

/** See TraceStore.getTraceAsReceived. */
export interface TraceAsReceived {
  spans: RawSpan[];
  logs: RawLogRecord[];
  /** Spans whose records did not read back (left out). */
  unreadable: number;
}

/** A stored span's ids. */
export interface StoredSpanKey {
  traceId: string;
  spanId: string;
}

/** A model call that reports token usage, as the index has it: what its cost is computed from. */
export interface StoredUsageCall extends StoredSpanKey {
  /** The model its cost is priced as: the one that answered, else the one asked for. */
  model: string;
  /** Its cost as stored (absent: its model had no price). */
  costUsd: number | undefined;
}

export interface StoreStats {
  spans: number;
  traces: number;
  /** Bytes of live span records (what maxBytes limits). */
  bytes: number;
  /** Segment and index files on disk. */
  diskBytes: number;
  segments: number;
  pendingWrites: number;
}

export class TraceStore implements Disposable {
  private readonly changes = new Emitter<TraceChange>();
  /** One event per batch of writes, fired right after the index update (before the disk write). */
  readonly onDidChangeTraces: Event<TraceChange> = this.changes.event;
  private readonly index = new TraceIndex();
  private readonly batcher: ChangeBatcher;
  private readonly writer: StoreWriter;
  private readonly reader: StoredSpanReader;
  private readonly limits: RetentionLimits;
  private nextSeq = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly log: SegmentLog,
    private readonly tombstones: TombstoneLog,
    /** Small structured state (pins; other modules add sections, see stateDb.ts). */
    readonly state: StateDb,
    options: TraceStoreOptions,
    /** options.deriveSpan or its default, as open() gave it to the segment log too. */
    deriveSpan: DeriveSpan,
    private readonly onError: (err: Error) => void,
  ) {
    this.limits = { maxSpans: options.maxSpans ?? 100_000, maxBytes: options.maxBytes ?? 512 * 1024 * 1024 };
    this.reader = new StoredSpanReader(log, options.cacheBytes ?? 64 * 1024 * 1024, deriveSpan, onError, () => this.writer.schedule());
    this.batcher = new ChangeBatcher(this.changes, (id) => this.index.get(id)?.summary());
    this.writer = new StoreWriter({
      log,
      tombstones,
      index: this.index,
      segmentBytes: options.segmentBytes ?? 32 * 1024 * 1024,
      onError,
      readsInFlight: () => this.reader.readsInFlight,
    });
  }

  /** Opens (or creates) the store in `dir`, rebuilding the index from the per-segment index files. */
  static async open(options: TraceStoreOptions): Promise<TraceStore> {
    const onError = options.onError ?? ((err: Error) => console.error(err.message));
    try {
      await fs.mkdir(options.dir, { recursive: true });
    } catch (err) {
      throw storeError('create the trace store folder', options.dir, err);
    }
    const state = await StateDb.open(join(options.dir, 'state.json'), onError);
    const tombstones = await TombstoneLog.open(options.dir, onError);
    const segmentBytes = options.segmentBytes ?? 32 * 1024 * 1024;
    // The segment log may need to read records back before the store exists (an index rebuilt at open).
    const derive = options.deriveSpan ?? ((raw: RawSpan) => raw);
    const readRecord = (record: StoredRecord) => spanFromRecord(record, derive);
    const { log, entries } = await SegmentLog.open(options.dir, segmentBytes, onError, tombstones.maxSegment + 1, readRecord);
    const store = new TraceStore(log, tombstones, state, options, derive, onError);
    store.load(entries);
    // Dead segments, pruned tombstones and evictions from a lowered limit are written in the
    // background: startup must not wait for a compaction.
    store.writer.schedule();
    return store;
  }

  // ── writes ────────────────────────────────────────────────────────────────────────────────────

  /** Indexes spans now (latest version of a span id wins) and queues them for the disk. */
  upsertSpans(spans: readonly Span[]): void {
    this.upsertEach(spans, (span) => span, (span, seq, budget) => {
      return { line: lineWithNewline(encodeRecord(seq, span)), meta: metaFromSpan(span, seq, budget) };
    });
  }

  /**
   * The ingest hot path (OTLP protobuf): stores each span's bytes as received, indexes its fields.
   * Spans from the ingest worker come encoded: the store only fills in their seq.
   */
  upsertOtlpSpans(writes: readonly OtlpSpanWrite[], lineOwner?: LineOwner): void {
    // Spans to store again with their log records are encoded here, in one batch.
    const raw = writes.filter((w) => !('line' in w)) as { otlp: Uint8Array; logs?: readonly RawLogRecord[] }[];
    const rawLines = raw.length > 0 ? encodeOtlpRecords(raw) : [];
    let k = 0;
    const items = writes.map((w) => ('line' in w ? { fields: w.fields, line: w.line, owner: lineOwner } : { fields: w.fields, line: rawLines[k++] }));
    this.upsertEach(items, (write) => write.fields, (write, seq, budget) => {
      fillSeq(write.line, seq);
      return { line: write.line, meta: metaFromFields(write.fields, seq, budget), owner: write.owner };
    });
  }

  private upsertEach<T>(
    items: readonly T[],
    ids: (item: T) => { traceId?: unknown; spanId?: unknown },
    encode: (item: T, seq: number, textBudget: number) => EncodedVersion,
  ): void {
    if (this.closing) {
      // Shutdown races (a request still in flight) must not turn into a receiver error.
      this.onError(new Error(`Spanlight store: ${items.length} span(s) arrived after the store was closed and were dropped`));
      return;
    }
    let invalid = 0;
    for (const item of items) {
      const { traceId, spanId } = ids(item) ?? {};
      if (typeof traceId !== 'string' || !traceId || typeof spanId !== 'string' || !spanId) {
        invalid++;
        continue;
      }
      try {
        this.upsertOne(traceId, spanId, (seq, budget) => encode(item, seq, budget));
      } catch (err) {
        // Not plain JSON (a BigInt, a cycle) or malformed: this span is skipped, the rest of the batch kept.
        this.onError(new Error(`Spanlight store: span ${spanId} of trace ${traceId} could not be stored: ${String(err)}`));
      }
    }
    if (invalid > 0) this.onError(new Error(`Spanlight store: ignored ${invalid} span(s) without traceId/spanId`));
    this.enforceRetention();
  }

  private upsertOne(traceId: string, spanId: string, encode: (seq: number, textBudget: number) => EncodedVersion): void {
    const before = this.index.get(traceId);
    const previous = before?.spans.get(spanId);
    const seq = this.nextSeq;
    // Encode first: the step that can throw, and nothing may be half-updated when it does.
    // Encoded to UTF-8 once: the byte length, the disk write and the cache all use these bytes (see spanCache.ts).
    const budget = SEARCH_BYTES_PER_TRACE - (before?.textBytes ?? 0) + (previous?.text.length ?? 0);
    const { line, meta, owner } = encode(seq, budget);
    this.nextSeq++;
    // Snapshot the old version now: the index copies the new one into the existing ref object.
    const prevSegment = previous?.segment ?? -1;
    const supersedes = prevSegment >= 0 ? prevSegment : previous?.supersedes;
    if (previous) {
      if (prevSegment >= 0) this.log.markDead(prevSegment, previous.length);
      this.reader.forget(previous.seq);
    }
    const length = line.length;
    // The new line is not cached: the ref holds it until it is written, and from then on the OS page
    // cache does. Caching it too kept every batch's 512 views and its whole buffer alive for ~45 more
    // batches, long enough to be promoted, so the main isolate's mark-compacts came sooner and cost more.
    const { trace, created, live } = this.index.put(traceId, refFromMeta(meta, line, length, supersedes));
    this.writer.enqueue({ trace, ref: live, seq, line, length, owner });
    this.batcher.spanWritten(traceId, spanId, created);
  }

  /** Deletes a trace (pinned or not). Returns false when it does not exist. */
  deleteTrace(traceId: string): boolean {
    const trace = this.index.get(traceId);
    if (!trace) return false;
    this.remove(trace, true);
    return true;
  }

  /**
   * Deletes every trace, pinned ones included (the "Delete All" command); `keepPinned` spares them.
   * The index is empty at once; the promise resolves when the deletion is on disk.
   */
  clear(options: { keepPinned?: boolean } = {}): Promise<void> {
    const victims = [...this.index.values()].filter((t) => !options.keepPinned || !t.pinned);
    const everything = victims.length > 0 && victims.length === this.index.traceCount;
    // One "all" tombstone instead of thousands when nothing survives.
    for (const trace of victims) this.remove(trace, !everything);
    if (everything) this.tombstones.add({ seq: this.nextSeq++, segment: this.log.currentWriteSegment() + 1 });
    this.writer.requestSeal();
    return this.flush();
  }

  /** New limits (settings changed): applied now, evicting what no longer fits. */
  setRetention(limits: Partial<RetentionLimits>): void {
    if (limits.maxSpans !== undefined) this.limits.maxSpans = limits.maxSpans;
    if (limits.maxBytes !== undefined) this.limits.maxBytes = limits.maxBytes;
    this.enforceRetention();
  }

  /** Pins survive retention and restarts. Resolves once the pin is saved; false for an unknown trace. */
  async setPinned(traceId: string, pinned: boolean): Promise<boolean> {
    const trace = this.index.get(traceId);
    if (!trace) return false;
    if (trace.pinned !== pinned) {
      this.index.setPinned(trace, pinned);
      this.batcher.traceUpdated(traceId);
      if (!pinned) this.enforceRetention();
      await this.savePin(traceId, pinned);
    }
    return true;
  }

  isPinned(traceId: string): boolean {
    return this.index.get(traceId)?.pinned === true;
  }

  // ── reads ─────────────────────────────────────────────────────────────────────────────────────

  listTraces(query: TraceQuery = {}): TraceList {
    return this.index.list(query);
  }

  /**
   * Every stored span's text, not only what the list's filter indexes, newest trace first (see
   * fullTextSearch.ts). Text that is blank once trimmed matches nothing.
   */
  searchText(typed: string, options: TextSearchOptions = {}): Promise<TextSearchResult> {
    const needle = textNeedle(typed);
    if (!needle) return Promise.resolve({ matches: [], scannedSpans: 0, totalSpans: 0 });
    // A copy: the list's order array is filtered and sorted again as traces arrive.
    return searchStoredText([...this.index.sorted()], this.index.spanCount, this.reader, needle, options);
  }

  getSummary(traceId: string): TraceSummary | undefined {
    return this.index.get(traceId)?.summary();
  }

  /**
   * The trace with its spans in tree order (parents first, siblings by start; orphans are roots).
   * With `head`, a big trace's first `head.spans` spans are read and handed to `head.deliver` before
   * the rest are read: a view can paint its first screen while thousands of spans are still decoded.
   * Both parts come from one snapshot of the tree order, so together they are exactly the result.
   */
  async getTrace(traceId: string, head?: TraceHead): Promise<TraceDetail | undefined> {
    const trace = this.index.get(traceId);
    if (!trace) return undefined;
    const summary = trace.summary();
    const refs = trace.inTreeOrder();
    if (!head || refs.length <= head.spans * 2) return { summary, spans: await this.reader.spans(traceId, refs) };
    const first = await this.reader.spans(traceId, refs.slice(0, head.spans));
    head.deliver({ summary, spans: first });
    // Records in the cache decode without an await: yield once so what `deliver` posted (to a webview,
    // over the extension host's IPC) goes out now rather than after the whole trace is decoded.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { summary, spans: first.concat(await this.reader.spans(traceId, refs.slice(head.spans))) };
  }

  /**
   * The trace as it was received, in tree order, for a file (otlp/otlpJsonFile.ts): its spans without
   * what Spanlight derived from them, and the log records stored with them (GenAI messages). A record
   * that does not read back is left out and counted.
   */
  async getTraceAsReceived(traceId: string): Promise<TraceAsReceived | undefined> {
    const trace = this.index.get(traceId);
    if (!trace) return undefined;
    const out: TraceAsReceived = { spans: [], logs: [], unreadable: 0 };
    for (const record of await this.reader.records(trace.inTreeOrder())) {
      const received = record && receivedFromRecord(record);
      if (!received) {
        out.unreadable++;
        continue;
      }
      out.spans.push(received.span);
      out.logs.push(...received.logs);
    }
    return out;
  }

  /**
   * The trace's spans as the index knows them, in tree order, without reading a record: what the span
   * tree needs. Undefined for an unknown trace, or when a span was indexed before shapes were
   * (then read the trace with getTrace).
   */
  getTraceIndex(traceId: string): { summary: TraceSummary; spans: IndexedSpanInfo[] } | undefined {
    const trace = this.index.get(traceId);
    if (!trace) return undefined;
    const refs = trace.inTreeOrder();
    for (const ref of refs) if (!ref.shape) return undefined;
    return { summary: trace.summary(), spans: refs as IndexedSpanInfo[] };
  }

  /** One span as the index knows it (see getTraceIndex); undefined if unknown or indexed before shapes. */
  getSpanIndex(traceId: string, spanId: string): IndexedSpanInfo | undefined {
    const ref = this.index.get(traceId)?.spans.get(spanId);
    return ref?.shape ? (ref as IndexedSpanInfo) : undefined;
  }

  async getSpan(traceId: string, spanId: string): Promise<Span | undefined> {
    const ref = this.index.get(traceId)?.spans.get(spanId);
    return ref ? (await this.reader.spans(traceId, [ref]))[0] : undefined;
  }

  /** The stored form of a span, so a writer can store it again with more log records. */
  async getSpanSource(traceId: string, spanId: string): Promise<StoredSpanSource | undefined> {
    const ref = this.index.get(traceId)?.spans.get(spanId);
    if (!ref) return undefined;
    // The ref object is kept across versions (a new one is copied into it): note which one is read.
    const seq = ref.seq;
    const [record] = await this.reader.records([ref]);
    if (!record) return undefined;
    return 'span' in record ? { kind: 'span', span: record.span, seq } : { kind: 'otlp', otlp: record.otlp, logs: record.logs, seq };
  }

  /** The seq of a span's current version: a writer that read an older one (getSpanSource) must not store it over it. */
  spanSeq(traceId: string, spanId: string): number | undefined {
    return this.index.get(traceId)?.spans.get(spanId)?.seq;
  }

  /** Every stored span. */
  spanKeys(): StoredSpanKey[] {
    const keys: StoredSpanKey[] = [];
    for (const trace of this.index.values()) for (const spanId of trace.spans.keys()) keys.push({ traceId: trace.traceId, spanId });
    return keys;
  }

  /**
   * Whether the index holds `fields` for the span, storing them again would change nothing it shows. Its
   * search text is only checked to start with `leading` (the span's session ids, by which the filter finds
   * a conversation's turns): the rest of a long span's text was made from its ingest preview, and would
   * differ from one derived from the whole record without anything shown being wrong.
   */
  indexHolds({ traceId, spanId }: StoredSpanKey, fields: IndexFields, leading = ''): boolean {
    const ref = this.index.get(traceId)?.spans.get(spanId);
    return (
      ref !== undefined &&
      ref.parentSpanId === fields.parentSpanId &&
      ref.name === fields.name &&
      ref.start === fields.start &&
      ref.end === fields.end &&
      ref.status === fields.status &&
      ref.service === fields.service &&
      isDeepStrictEqual(ref.llm, fields.llm) &&
      isDeepStrictEqual(ref.shape, fields.shape) &&
      searchTextLeads(ref.text, leading)
    );
  }

  /** Every stored model call that reports token usage (the spans that have a cost, or would with a price). */
  usageCalls(): StoredUsageCall[] {
    const calls: StoredUsageCall[] = [];
    for (const trace of this.index.values()) {
      for (const ref of trace.spans.values()) {
        const model = isUsageCall(ref) ? displayModel(ref) : undefined;
        if (model) calls.push({ traceId: trace.traceId, spanId: ref.spanId, model, costUsd: ref.llm?.costUsd });
      }
    }
    return calls;
  }

  health(version: string): HealthInfo {
    return { ok: !this.closing, version, spans: this.index.spanCount, traces: this.index.traceCount };
  }

  stats(): StoreStats {
    return {
      spans: this.index.spanCount,
      traces: this.index.traceCount,
      bytes: this.index.bytes,
      diskBytes: this.log.diskBytes(),
      segments: this.log.allSegments().length,
      pendingWrites: this.writer.pending,
    };
  }

  // ── lifecycle ─────────────────────────────────────────────────────────────────────────────────

  /** Resolves when everything written so far is on disk (or its write failed and was reported). */
  async flush(): Promise<void> {
    await this.writer.flush();
    await this.state.flush();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.batcher.fireNow();
      await this.writer.close();
      await this.state.close();
      await this.log.close();
      this.reader.clear();
      this.changes.dispose();
    })();
    return this.closing;
  }

  /** For VS Code's disposables; `deactivate` should await `close()` so the last writes land. */
  dispose(): void {
    this.close().catch((err: unknown) => this.onError(err instanceof Error ? err : new Error(String(err))));
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────────

  private remove(trace: TraceAggregate, tombstone: boolean): void {
    this.index.remove(trace);
    for (const ref of trace.spans.values()) {
      if (ref.segment >= 0) this.log.markDead(ref.segment, ref.length);
      this.reader.forget(ref.seq);
      ref.line = undefined;
    }
    // Victims may still be in flight to the segment after the current one (see tombstones.ts).
    if (tombstone) this.tombstones.add({ seq: this.nextSeq++, traceId: trace.traceId, segment: this.log.currentWriteSegment() + 1 });
    if (trace.pinned) void this.savePin(trace.traceId, false);
    this.batcher.traceRemoved(trace.traceId);
    this.writer.schedule();
  }

  private enforceRetention(): void {
    for (const trace of selectEvictions(this.index, this.limits)) this.remove(trace, true);
  }

  private async savePin(traceId: string, pinned: boolean): Promise<void> {
    await this.state
      .update((s) => {
        const others = s.pinnedTraceIds.filter((id) => id !== traceId);
        s.pinnedTraceIds = pinned ? [...others, traceId] : others;
      })
      .catch((err: Error) => this.onError(err));
  }

  /** Builds the index from the segments' index entries: latest version per span, minus deletions. */
  private load(entries: IndexEntry[]): void {
    let maxSeq = this.tombstones.maxSeq;
    const winners = new Map<string, Map<string, IndexEntry>>();
    for (const entry of entries) {
      const { seq, traceId, spanId } = entry.meta;
      if (seq > maxSeq) maxSeq = seq;
      if (this.tombstones.kills(traceId, seq)) continue;
      let spans = winners.get(traceId);
      if (!spans) winners.set(traceId, (spans = new Map()));
      const current = spans.get(spanId);
      // Equal seq: a compaction copy and its original; the later segment is the copy that stays.
      if (!current || seq > current.meta.seq || (seq === current.meta.seq && entry.segment > current.segment)) {
        spans.set(spanId, entry);
      }
    }
    this.nextSeq = maxSeq + 1;
    // In the order each trace last received a span, as TraceIndex keeps them: retention's order outlives a restart.
    const received = [...winners].map(([traceId, spans]) => ({ traceId, spans, latest: latestSeq(spans) }));
    for (const { traceId, spans } of received.sort((a, b) => a.latest - b.latest)) {
      for (const entry of spans.values()) {
        const ref = refFromMeta(entry.meta, undefined, entry.length, undefined);
        ref.segment = entry.segment;
        ref.offset = entry.offset;
        this.index.put(traceId, ref);
        this.log.markLive(entry.segment, entry.length);
      }
    }
    const pins = this.state.get('pinnedTraceIds');
    for (const id of pins) {
      const trace = this.index.get(id);
      if (trace) this.index.setPinned(trace, true);
    }
    const kept = pins.filter((id) => this.index.get(id));
    if (kept.length !== pins.length) {
      this.state.update((s) => void (s.pinnedTraceIds = kept)).catch((err: Error) => this.onError(err));
    }
    this.tombstones.prune(this.log.oldestSegmentId());
    // Limits may have been lowered since the last run.
    this.enforceRetention();
    this.batcher.reset();
  }
}

/**
 * The index entry of a version, whichever way it came (ingest, the worker, an index file at open).
 * Span names and shapes repeat on nearly every span: the index holds one copy of each.
 */
function refFromMeta(meta: SpanMeta, line: Buffer | undefined, length: number, supersedes: number | undefined): SpanRef {
  const { seq, spanId, parentSpanId, start, end, status, service, llm, text } = meta;
  const name = intern(meta.name) as string;
  const shape = meta.shape && sharedShape(meta.shape);
  return {
    seq, spanId, parentSpanId, name, start, end, status, service, llm, text, shape,
    segment: -1, offset: 0, length, line, supersedes, hasModelDesc: false, hasUsageDesc: false,
  };
}

function latestSeq(spans: ReadonlyMap<string, IndexEntry>): number {
  let latest = -1;
  for (const entry of spans.values()) if (entry.meta.seq > latest) latest = entry.meta.seq;
  return latest;
}
