// Which traces to evict so the store fits its limits: oldest start time first, pinned traces never.
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
  const newestFirst = index.sorted();
  const evict: TraceAggregate[] = [];
  for (let i = newestFirst.length - 1; i >= 0 && (spans > limits.maxSpans || bytes > limits.maxBytes); i--) {
    const trace = newestFirst[i];
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
