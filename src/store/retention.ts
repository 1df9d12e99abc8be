// Which traces to evict so the store fits its limits: the least recently received first (the trace whose
// latest span arrived longest ago), pinned traces never. Not by start time: a trace whose spans say it
// started before everything stored (a replayed or imported trace, a span without a start time, an app
// whose clock is behind, as WSL's is after a sleep) was then evicted as it arrived, answered 200 and
// never seen. For spans sent as they happen, the two orders are the same.
// Pinned traces do not count toward the limits: they are kept on top of them, so the store can exceed
// maxSpans/maxBytes by the size of what is pinned. (Counting them would let a few large pinned traces
// use the whole budget, and then every new trace would be evicted the moment it arrives.)
import type { SegmentInfo } from './segmentLog';
import type { TraceAggregate } from './traceAggregate';
import type { TraceIndex } from './traceIndex';

export interface RetentionLimits {
  maxSpans: number;
  /** Bytes of live span records (the JSON lines), not of the files on disk. */
  maxBytes: number;
}

export function selectEvictions(index: TraceIndex, limits: RetentionLimits): TraceAggregate[] {
  let spans = index.spanCount;
  let bytes = index.bytes;
  for (const trace of index.pinnedTraces()) {
    spans -= trace.spans.size;
    bytes -= trace.bytes;
  }
  if (spans <= limits.maxSpans && bytes <= limits.maxBytes) return [];
  const evict: TraceAggregate[] = [];
  for (const trace of index.leastRecentlyReceived()) {
    if (spans <= limits.maxSpans && bytes <= limits.maxBytes) break;
    if (trace.pinned) continue;
    evict.push(trace);
    spans -= trace.spans.size;
    bytes -= trace.bytes;
  }
  return evict;
}

/**
 * Disk side of retention. Evictions and re-sent spans leave dead records in sealed segments; a segment
 * is compacted (its live records copied forward, then deleted) when it is mostly dead, or when dead
 * bytes across segments exceed two segments' worth (then the one that frees the most goes first). So
 * disk use stays about maxBytes + the active segment + two segments, plus the index files (~5–10%).
 */
export const COMPACT_DEAD_RATIO = 0.5;

export function pickSegmentToCompact(
  segments: SegmentInfo[],
  activeId: number | undefined,
  segmentBytes: number,
  skip: ReadonlySet<number>,
): SegmentInfo | undefined {
  let totalDead = 0;
  let mostDead: SegmentInfo | undefined;
  let mostDeadBytes = 0;
  let mostlyDead: SegmentInfo | undefined;
  let bestRatio = COMPACT_DEAD_RATIO;
  for (const s of segments) {
    if (s.id === activeId || s.liveCount <= 0 || s.size === 0 || skip.has(s.id)) continue;
    // Each live record also owns its newline byte.
    const dead = s.size - s.liveBytes - s.liveCount;
    totalDead += dead;
    if (dead > mostDeadBytes) {
      mostDead = s;
      mostDeadBytes = dead;
    }
    const ratio = dead / s.size;
    if (ratio >= bestRatio) {
      mostlyDead = s;
      bestRatio = ratio;
    }
  }
  return mostlyDead ?? (totalDead > 2 * segmentBytes ? mostDead : undefined);
}
