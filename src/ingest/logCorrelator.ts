// Official GenAI instrumentations send the messages of a call as OTLP log records, in another
// request than the span, before or after it. The correlator holds them by span until both halves meet:
// once its span is stored with them (the store keeps a span's records, and merges later ones with
// them), the pipeline releases them. What waits is bounded by age, count and size: a prompt's records
// hold its images as base64, and the extension host's memory is every extension's.
import type { RawLogRecord } from '../otlp/types';

export interface LogCorrelatorOptions {
  /** How long records wait for their span. */
  ttlMs?: number;
  /** Hard cap on held records, oldest dropped first: a flood of orphan logs must not grow memory without bound. */
  maxRecords?: number;
  /** The same for their size (approximateSize: their text's length), the bound that matters for big records. */
  maxBytes?: number;
  now?: () => number;
}

interface Held {
  records: RawLogRecord[];
  touchedAt: number;
  bytes: number;
}

export const DEFAULT_MAX_HELD_BYTES = 64 * 1024 * 1024;

const NO_RECORDS: readonly RawLogRecord[] = [];

export function spanKey(traceId: string, spanId: string): string {
  return `${traceId}:${spanId}`;
}

/**
 * Whether two records of a span are the same record (sent twice), by everything but their resource
 * and scope: the stored form of a record (recordFormat.ts) keeps its fields as JSON.
 */
export function sameLogRecord(a: RawLogRecord, b: RawLogRecord): boolean {
  return (
    a.timeUnixNano === b.timeUnixNano &&
    a.observedTimeUnixNano === b.observedTimeUnixNano &&
    a.eventName === b.eventName &&
    a.severityNumber === b.severityNumber &&
    JSON.stringify(a.body) === JSON.stringify(b.body) &&
    JSON.stringify(a.attributes) === JSON.stringify(b.attributes)
  );
}

/** `stored` and the records of `added` it does not already hold (sameLogRecord). */
export function withNewRecords(stored: readonly RawLogRecord[], added: readonly RawLogRecord[]): RawLogRecord[] {
  return [...stored, ...added.filter((record) => !stored.some((s) => sameLogRecord(s, record)))];
}

export class LogCorrelator {
  // Map iteration order is insertion order, which makes "oldest first" eviction O(1).
  private readonly held = new Map<string, Held>();
  private count = 0;
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(options: LogCorrelatorOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxRecords = options.maxRecords ?? 50_000;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_HELD_BYTES;
    this.now = options.now ?? Date.now;
  }

  /**
   * Adds records that name a span; returns the new records by span key (see spanKey). A record equal to
   * one an earlier export brought (an exporter's retry of an export that was received) is not added again.
   */
  add(records: readonly RawLogRecord[]): Map<string, RawLogRecord[]> {
    const touched = new Map<string, RawLogRecord[]>();
    const now = this.now();
    for (const record of records) {
      if (!record.traceId || !record.spanId) continue;
      const key = spanKey(record.traceId, record.spanId);
      let entry = this.held.get(key);
      // Only against earlier exports: two equal records in one export are two messages (the same words,
      // sent within the same millisecond).
      const earlier = entry && entry.records.length - (touched.get(key)?.length ?? 0);
      if (entry && earlier && entry.records.slice(0, earlier).some((held) => sameLogRecord(held, record))) continue;
      if (entry) {
        // Re-insert so the Map order stays "least recently touched first".
        this.held.delete(key);
      } else {
        entry = { records: [], touchedAt: now, bytes: 0 };
      }
      const size = approximateSize(record);
      entry.records.push(record);
      entry.touchedAt = now;
      entry.bytes += size;
      this.held.set(key, entry);
      this.count++;
      this.bytes += size;
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

  /** Drops a span's records: it was stored with them. Records that come later are held again. */
  release(traceId: string, spanId: string): void {
    if (this.held.size === 0) return;
    const key = spanKey(traceId, spanId);
    const entry = this.held.get(key);
    if (entry) this.drop(key, entry);
  }

  get size(): number {
    return this.count;
  }

  /** Approximately how much the held records take (approximateSize). */
  get heldBytes(): number {
    return this.bytes;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.held) {
      const expired = now - entry.touchedAt > this.ttlMs;
      if (!expired && this.count <= this.maxRecords && this.bytes <= this.maxBytes) break;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Held): void {
    this.held.delete(key);
    this.count -= entry.records.length;
    this.bytes -= entry.bytes;
  }
}

/** Per value of a record: its overhead, give or take. */
const NODE_BYTES = 16;

/**
 * About what a record takes in memory, from the length of its text (body, attributes, keys), without
 * serializing it: what the held bytes are bounded by. A record's resource is left out: the records of
 * one export share it.
 */
export function approximateSize(record: RawLogRecord): number {
  let bytes = NODE_BYTES * 4 + (record.eventName?.length ?? 0);
  const stack: unknown[] = [record.body, record.attributes];
  while (stack.length > 0) {
    const value = stack.pop();
    bytes += NODE_BYTES;
    if (typeof value === 'string') bytes += value.length;
    else if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        bytes += key.length;
        stack.push(item);
      }
    }
  }
  return bytes;
}
