// Official GenAI instrumentations send the messages of a call as OTLP log records, in another
// request than the span, before or after it. The correlator holds them by span until both halves meet.
import type { RawLogRecord } from '../otlp/types';

export interface LogCorrelatorOptions {
  /** How long records wait for their span (and stay available for re-normalization). */
  ttlMs?: number;
  /** Hard cap on held records, oldest dropped first: a flood of orphan logs must not grow memory without bound. */
  maxRecords?: number;
  now?: () => number;
}

interface Held {
  records: RawLogRecord[];
  touchedAt: number;
}

const NO_RECORDS: readonly RawLogRecord[] = [];

export function spanKey(traceId: string, spanId: string): string {
  return `${traceId}:${spanId}`;
}

export class LogCorrelator {
  // Map iteration order is insertion order, which makes "oldest first" eviction O(1).
  private readonly held = new Map<string, Held>();
  private count = 0;
  private readonly ttlMs: number;
  private readonly maxRecords: number;
  private readonly now: () => number;

  constructor(options: LogCorrelatorOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxRecords = options.maxRecords ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Adds records that name a span; returns the new records by span key (see spanKey). */
  add(records: readonly RawLogRecord[]): Map<string, RawLogRecord[]> {
    const touched = new Map<string, RawLogRecord[]>();
    const now = this.now();
    for (const record of records) {
      if (!record.traceId || !record.spanId) continue;
      const key = spanKey(record.traceId, record.spanId);
      let entry = this.held.get(key);
      if (entry) {
        // Re-insert so the Map order stays "least recently touched first".
        this.held.delete(key);
      } else {
        entry = { records: [], touchedAt: now };
      }
      entry.records.push(record);
      entry.touchedAt = now;
      this.held.set(key, entry);
      this.count++;
      const added = touched.get(key);
      if (added) added.push(record);
      else touched.set(key, [record]);
    }
    this.evict(now);
    return touched;
  }

  /** The records held for a span (empty when none): they stay held for records that arrive later. */
  recordsFor(traceId: string, spanId: string): readonly RawLogRecord[] {
    // Most apps send no GenAI log records: skip building a key per span then.
    if (this.held.size === 0) return NO_RECORDS;
    return this.held.get(spanKey(traceId, spanId))?.records ?? NO_RECORDS;
  }

  get size(): number {
    return this.count;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.held) {
      const expired = now - entry.touchedAt > this.ttlMs;
      if (!expired && this.count <= this.maxRecords) break;
      this.held.delete(key);
      this.count -= entry.records.length;
    }
  }
}
