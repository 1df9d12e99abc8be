// Which span answered with which response id, for the GenAI evaluations that name the response they
// judged instead of its span (an evaluator run apart from the app has no span context: see
// evaluatedResponseId). Only model calls are remembered: an outer span that repeats its call's
// response id is not what was evaluated.
//
// Evaluations come soon after the calls they judge, so the most recent calls are kept, in memory, and
// saved beside the store when it closes (saveResponseIds): an evaluator that runs after a reload of
// VS Code still finds them. An evaluation of a call further back than MAX_RESPONSES / 2 to
// MAX_RESPONSES calls, or from before a crash, finds nothing.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Model calls remembered at most: at the ~100 bytes each takes, a few MB. */
export const MAX_RESPONSES = 20_000;

export interface SpanKeyOf {
  traceId: string;
  spanId: string;
}

export class ResponseIds {
  // Two generations, the older dropped whole when the newer is full: O(1) per call. Dropping one entry
  // at a time (a Map's oldest key) slowed down as the Map filled with the holes deletions leave, which
  // its iterator steps over: 2 ms per 512-span export after 40k calls, on the receiver's main thread.
  private recent = new Map<string, SpanKeyOf>();
  private older = new Map<string, SpanKeyOf>();

  constructor(private readonly max = MAX_RESPONSES) {}

  remember(responseId: string, span: SpanKeyOf): void {
    this.recent.set(responseId, { traceId: span.traceId, spanId: span.spanId });
    if (this.recent.size >= this.max / 2) {
      this.older = this.recent;
      this.recent = new Map();
    }
  }

  spanOf(responseId: string): SpanKeyOf | undefined {
    return this.recent.get(responseId) ?? this.older.get(responseId);
  }

  /** Every call remembered, oldest first (what restore() takes back). */
  entries(): [string, SpanKeyOf][] {
    return [...this.older, ...this.recent];
  }

  /** Remembers saved entries, oldest first; anything that is not one is skipped. */
  restore(entries: unknown): void {
    if (!Array.isArray(entries)) return;
    for (const entry of entries as unknown[]) {
      if (!Array.isArray(entry)) continue;
      const [responseId, span] = entry as [unknown, Partial<SpanKeyOf> | null];
      if (typeof responseId === 'string' && typeof span?.traceId === 'string' && typeof span.spanId === 'string') {
        this.remember(responseId, { traceId: span.traceId, spanId: span.spanId });
      }
    }
  }
}

/** What a store saved (a missing file: nothing, as for a store written before). Throws for a damaged one. */
export function loadResponseIds(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`Spanlight: the response ids saved in ${file} could not be read (${(err as Error).message}); evaluations of calls from before the restart will not find them`, {
      cause: err,
    });
  }
}

/** Saves `ids` to `file` whole or not at all (a new file, renamed over the old one). */
export function saveResponseIds(file: string, ids: ResponseIds): void {
  const written = `${file}.tmp`;
  writeFileSync(written, JSON.stringify(ids.entries()));
  renameSync(written, file);
}
