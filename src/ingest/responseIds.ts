// Which span answered with which response id, for the GenAI evaluations that name the response they
// judged instead of its span (an evaluator run apart from the app has no span context: see
// evaluatedResponseId). Only model calls are remembered: an outer span that repeats its call's
// response id is not what was evaluated.
//
// Evaluations come soon after the calls they judge, so the most recent calls are kept, in memory: an
// evaluation of a call from before a restart, or further back than MAX_RESPONSES / 2 to MAX_RESPONSES
// calls, finds nothing.

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
}
