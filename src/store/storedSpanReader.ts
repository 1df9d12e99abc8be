// Reading stored versions back. A version's record line is where its ref says (still in memory until it
// is written, in the cache of recent records, or in its segment); OTLP records are decoded and
// normalized on the way, since the store keeps bytes, not Spans. A record that does not read back
// (disk damage, or a span stored by a version that let malformed bytes in) becomes a span built from
// its index entry, so the rest of its trace still opens.
import type { Span } from '../protocol/model';
import { SpanRecordReader } from '../otlp/splitTraces';
import type { RawLogRecord, RawSpan } from '../otlp/types';
import { decodeRecordLine, type StoredRecord } from './recordFormat';
import type { SegmentLog } from './segmentLog';
import { SpanCache } from './spanCache';
import { nanoDiffMs } from './spanMeta';
import type { SpanRef } from './traceAggregate';

export type DeriveSpan = (raw: RawSpan, logs: readonly RawLogRecord[]) => Span;

export class StoredSpanReader {
  private readonly cache: SpanCache;
  private reads = 0;
  /** Damaged records already reported (onError once each, not on every read). */
  private readonly reportedDamage = new Set<number>();

  constructor(
    private readonly log: SegmentLog,
    cacheBytes: number,
    private readonly deriveSpan: DeriveSpan,
    private readonly onError: (err: Error) => void,
    /** Called when the last read in flight is done: segment files may be deleted again (StoreWriter). */
    private readonly onReadsDone: () => void,
  ) {
    this.cache = new SpanCache(cacheBytes, ownBuffer);
  }

  /** Reads that may still open segment files: the writer must not delete any meanwhile. */
  get readsInFlight(): number {
    return this.reads;
  }

  /** A version that was replaced or deleted: its cached line is no use any more. */
  forget(seq: number): void {
    this.cache.delete(seq);
  }

  clear(): void {
    this.cache.clear();
  }

  /** The spans of `refs`, in their order; a damaged record is shown from its index entry (see spanFromRef). */
  async spans(traceId: string, refs: SpanRef[]): Promise<Span[]> {
    const records = await this.records(refs);
    return records.map((record, i) => {
      const span = record && spanFromRecord(record, this.deriveSpan);
      if (span) return span;
      const ref = refs[i];
      if (!this.reportedDamage.has(ref.seq)) {
        this.reportedDamage.add(ref.seq);
        this.onError(new Error(`Spanlight store: span ${ref.spanId} could not be read back (record ${ref.seq} is damaged); it is shown from its index entry`));
      }
      return spanFromRef(traceId, ref);
    });
  }

  /** Each ref's record; undefined where the bytes read are not the record the ref points to. */
  async records(refs: SpanRef[]): Promise<(StoredRecord | undefined)[]> {
    // The ref objects are kept across versions (a new one is copied into them): the seqs asked for are noted now.
    const seqs = refs.map((ref) => ref.seq);
    const lines = await this.lines(refs);
    return lines.map((line, i) => {
      const record = decodeRecordLine(line);
      return record && record.seq === seqs[i] ? record : undefined;
    });
  }

  /** The span a line from lines() holds, if it is the version `seq` and reads back. */
  spanOfLine(line: Buffer, seq: number): Span | undefined {
    const record = decodeRecordLine(line);
    return record && record.seq === seq ? spanFromRecord(record, this.deriveSpan) : undefined;
  }

  /**
   * Each ref's record line as stored. `cache`: whether lines read from the segments go into the cache
   * (a pass over the whole store must not push out what the views read).
   */
  async lines(refs: SpanRef[], { cache = true }: { cache?: boolean } = {}): Promise<Buffer[]> {
    const lines = new Array<Buffer>(refs.length);
    const missing: number[] = [];
    const seqs = refs.map((ref) => ref.seq);
    refs.forEach((ref, i) => {
      // A line not written yet may be a view into memory that is reused once it is (RecordArena): a
      // copy, since the read below may let the write finish first.
      const line = ref.line ? Buffer.from(ref.line) : this.cache.get(ref.seq);
      if (line !== undefined) lines[i] = line;
      else missing.push(i);
    });
    if (missing.length === 0) return lines;
    // Counted before the first await: the writer keeps segment files until reads are done.
    this.reads++;
    try {
      const read = await this.log.read(missing.map((i) => ({ segment: refs[i].segment, offset: refs[i].offset, length: refs[i].length })));
      missing.forEach((i, k) => {
        lines[i] = read[k];
        if (cache) this.cache.set(seqs[i], read[k]);
      });
    } finally {
      if (--this.reads === 0) this.onReadsDone();
    }
    return lines;
  }
}

const recordReader = new SpanRecordReader();

/** A record in contract form; OTLP bytes are decoded and normalized now (undefined when they are not readable). */
export function spanFromRecord(record: StoredRecord, derive: DeriveSpan): Span | undefined {
  if ('span' in record) return record.span;
  let raw: RawSpan | undefined;
  try {
    raw = recordReader.read(record.otlp);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    return derive(raw, record.logs);
  } catch {
    // A normalizer bug must not make a stored span unreadable: show it as received.
    return raw;
  }
}

/** A record as it was received: the span without what Spanlight derives from it, and its log records (undefined when not readable). */
export function receivedFromRecord(record: StoredRecord): { span: RawSpan; logs: readonly RawLogRecord[] } | undefined {
  if ('span' in record) {
    const { llm: _llm, source: _source, displayName: _displayName, session: _session, ...span } = record.span;
    return { span, logs: [] };
  }
  try {
    const span = recordReader.read(record.otlp);
    return span && { span, logs: record.logs };
  } catch {
    return undefined;
  }
}

/** A line that is a small view into a much larger buffer (a whole batch), copied into its own. */
function ownBuffer(line: Buffer): Buffer {
  return line.byteLength * 4 < line.buffer.byteLength && line.buffer.byteLength > 64 * 1024 ? Buffer.from(line) : line;
}

/** A span whose record does not read back, from what the index keeps of it. */
function spanFromRef(traceId: string, ref: SpanRef): Span {
  return {
    traceId,
    spanId: ref.spanId,
    parentSpanId: ref.parentSpanId,
    name: ref.name,
    kind: 'UNSPECIFIED',
    startTimeUnixNano: ref.start,
    endTimeUnixNano: ref.end,
    durationMs: nanoDiffMs(ref.start, ref.end),
    status: { code: 'ERROR', message: 'Spanlight could not read this span back: its stored record is damaged. Only what the index keeps of it is shown.' },
    attributes: {},
    events: [],
    links: [],
    resource: ref.service === undefined ? {} : { 'service.name': ref.service },
    scope: { name: '' },
  };
}
