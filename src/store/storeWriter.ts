// The store's only disk writer. Upserts enqueue records and return at once; within WRITE_DELAY_MS the
// queue becomes one append per segment and index file. The same serialized loop then makes deletions
// durable (tombstones are written before any new data), deletes segments nobody needs and compacts
// one mostly-dead segment at a time. A failed write keeps its records queued (readers still get them
// from memory) and is retried with backoff; nothing here ever throws at the caller.
import { ScratchBuffer } from '../base/scratchBuffer';
import { pickSegmentToCompact } from './retention';
import { nextRetryDelay } from './retryDelay';
import type { AppendRecord, SegmentLog } from './segmentLog';
import { encodeIndexTails } from './indexFormat';
import { lineWithNewline } from './recordFormat';
import type { TombstoneLog } from './tombstones';
import type { SpanRef, TraceAggregate } from './traceAggregate';
import type { TraceIndex } from './traceIndex';

/**
 * Whoever owns the memory of queued lines that are views into a reused buffer (the ingest pipeline's
 * record arenas): told when a line is queued and when the writer is done with it (written, or dropped
 * as no longer current), so the memory is reused only once no queued line points into it.
 */
export interface LineOwner {
  hold(): void;
  retire(): void;
}

export interface QueuedRecord {
  trace: TraceAggregate;
  ref: SpanRef;
  seq: number;
  line: Buffer;
  length: number;
  owner?: LineOwner;
}

const WRITE_DELAY_MS = 10;
// Bounds the buffer of one append (and so the memory spike) when a backlog built up during an outage.
const WRITE_BATCH_BYTES = 16 * 1024 * 1024;

export interface StoreWriterDeps {
  log: SegmentLog;
  tombstones: TombstoneLog;
  index: TraceIndex;
  segmentBytes: number;
  onError: (err: Error) => void;
  /** Segment files must not be deleted while a read may still open them. */
  readsInFlight: () => number;
}

/**
 * Records to append, with their index entry tails encoded from their refs as they are now: only
 * current versions are written (isCurrent), so the ref holds exactly this version. Encoded here, at
 * write time, rather than when the span arrived: a whole batch in one call, off the request's path,
 * and never for a version that was replaced before it reached the disk.
 */
function appendRecords(items: readonly { trace: TraceAggregate; ref: SpanRef; seq: number; line: Buffer }[], scratch: ScratchBuffer): AppendRecord[] {
  const tails = encodeIndexTails(items.map((item) => ({ traceId: item.trace.traceId, fields: item.ref })), scratch);
  return items.map((item, i) => ({ seq: item.seq, data: item.line, indexTail: tails[i] }));
}

/** A record is worth writing only while it is still the current version of a live trace. */
function isCurrent(item: Pick<QueuedRecord, 'trace' | 'ref' | 'seq'>): boolean {
  return !item.trace.removed && item.ref.seq === item.seq;
}

export class StoreWriter {
  private queue: QueuedRecord[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private retryDelay = 0;
  private sealRequested = false;
  private closed = false;
  // Segments whose delete or compaction failed are left alone until the next open, not retried in a loop.
  private readonly skip = new Set<number>();
  /** The index tails of the batch being appended: the loop appends one batch at a time, and the log copies them. */
  private readonly tails = new ScratchBuffer();

  constructor(private readonly deps: StoreWriterDeps) {}

  get pending(): number {
    return this.queue.length;
  }

  enqueue(item: QueuedRecord): void {
    item.owner?.hold();
    this.queue.push(item);
    this.schedule();
  }

  /** After a clear: start a new segment so every old one becomes deletable. */
  requestSeal(): void {
    this.sealRequested = true;
    this.schedule();
  }

  schedule(delay = WRITE_DELAY_MS): void {
    if (this.timer || this.running || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, delay);
  }

  /** Writes everything queued so far (one attempt if the disk is failing) and resolves; never rejects. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.run();
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): Promise<void> {
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
      if (this.retryDelay === 0 && this.hasWork()) this.schedule();
    });
    return this.running;
  }

  private hasWork(): boolean {
    return (
      this.queue.length > 0 ||
      this.deps.tombstones.hasUnwritten() ||
      this.sealRequested ||
      this.deletableSegments().length > 0 ||
      this.compactionCandidate() !== undefined
    );
  }

  private async loop(): Promise<void> {
    while (this.hasWork()) {
      try {
        // Deletions first: a crash between the two must not bring back a deleted trace.
        if (this.deps.tombstones.hasUnwritten()) await this.deps.tombstones.write();
        await this.writeQueued();
        if (this.sealRequested) {
          this.sealRequested = false;
          await this.deps.log.close();
        }
        await this.deleteDeadSegments();
        const candidate = this.compactionCandidate();
        if (candidate !== undefined) await this.compact(candidate);
        this.retryDelay = 0;
      } catch (err) {
        this.deps.onError(err instanceof Error ? err : new Error(String(err)));
        this.retryDelay = nextRetryDelay(this.retryDelay);
        if (!this.closed) {
          this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.run();
          }, this.retryDelay);
        }
        return;
      }
    }
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      let bytes = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || bytes < WRITE_BATCH_BYTES)) bytes += this.queue[take++].length;
      const batch: QueuedRecord[] = [];
      for (const item of this.queue.splice(0, take)) {
        if (isCurrent(item)) batch.push(item);
        else item.owner?.retire(); // Superseded or deleted before it was written: the writer is done with it.
      }
      if (batch.length === 0) continue;
      let locations;
      try {
        locations = await this.deps.log.append(appendRecords(batch, this.tails));
      } catch (err) {
        // Put them back in front, in order: the retry writes them before anything newer.
        this.queue = batch.concat(this.queue);
        throw err;
      }
      batch.forEach((item, i) => {
        item.owner?.retire();
        if (!isCurrent(item)) return; // Superseded or deleted while being written: dead on disk.
        const loc = locations[i];
        item.ref.segment = loc.segment;
        item.ref.offset = loc.offset;
        item.ref.line = undefined;
        item.ref.supersedes = undefined;
        this.deps.log.markLive(loc.segment, item.length);
      });
    }
  }

  /**
   * Sealed segments without live records. A segment that holds the previous version of a span whose
   * new version is still queued is kept until that write lands, so a crash cannot lose both.
   */
  private deletableSegments(): number[] {
    if (this.deps.readsInFlight() > 0) return [];
    const activeId = this.deps.log.activeId;
    const blocked = new Set<number>();
    for (const item of this.queue) if (item.ref.supersedes !== undefined && isCurrent(item)) blocked.add(item.ref.supersedes);
    return this.deps.log
      .allSegments()
      .filter((s) => s.id !== activeId && s.liveCount <= 0 && !blocked.has(s.id) && !this.skip.has(s.id))
      .map((s) => s.id);
  }

  private async deleteDeadSegments(): Promise<void> {
    const ids = this.deletableSegments();
    for (const id of ids) {
      try {
        await this.deps.log.deleteSegment(id);
      } catch (err) {
        this.skip.add(id);
        this.deps.onError(err instanceof Error ? err : new Error(String(err)));
      }
    }
    if (ids.length > 0) this.deps.tombstones.prune(this.deps.log.oldestSegmentId());
  }

  private compactionCandidate(): number | undefined {
    const { log, segmentBytes } = this.deps;
    return pickSegmentToCompact(log.allSegments(), log.activeId, segmentBytes, this.skip)?.id;
  }

  /**
   * Copies some of a segment's live records to the active segment, at most an eighth of a segment (4 MiB)
   * at a time: the loop writes what was queued meanwhile before the next part. A whole segment at once
   * kept acknowledged exports off the disk for up to 200 ms, and a process killed then lost them. The
   * emptied segment is then deleted.
   */
  private async compact(segmentId: number): Promise<void> {
    const budget = Math.max(1, Math.floor(this.deps.segmentBytes / 8));
    const moving: { trace: TraceAggregate; ref: SpanRef; seq: number }[] = [];
    let bytes = 0;
    scan: for (const trace of this.deps.index.values()) {
      for (const ref of trace.spans.values()) {
        if (ref.segment !== segmentId) continue;
        moving.push({ trace, ref, seq: ref.seq });
        bytes += ref.length;
        if (bytes >= budget) break scan;
      }
    }
    const { log } = this.deps;
    if (moving.length === 0) {
      log.forgetLive(segmentId);
      return;
    }
    let lines: Buffer[];
    try {
      lines = await log.read(moving.map(({ ref }) => ({ segment: segmentId, offset: ref.offset, length: ref.length })));
    } catch (err) {
      this.skip.add(segmentId);
      throw err;
    }
    const still = moving.map((m, i) => ({ ...m, line: lineWithNewline(lines[i]) })).filter((m) => isCurrent(m) && m.ref.segment === segmentId);
    if (still.length === 0) return;
    const locations = await log.append(appendRecords(still, this.tails));
    still.forEach((m, i) => {
      if (!isCurrent(m) || m.ref.segment !== segmentId) return;
      log.markDead(segmentId, m.ref.length);
      m.ref.segment = locations[i].segment;
      m.ref.offset = locations[i].offset;
      log.markLive(m.ref.segment, m.ref.length);
    });
  }
}
