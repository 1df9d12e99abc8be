// Which span answered with which response id, for the GenAI evaluations that name the response they
// judged instead of its span (an evaluator run apart from the app has no span context: see
// evaluatedResponseId). Only model calls are remembered: an outer span that repeats its call's
// response id is not what was evaluated.
//
// Evaluations come soon after the calls they judge, so the most recent calls are kept, in memory: an
// evaluation of a call from before a restart, or further back than MAX_RESPONSES calls, finds nothing.

/** Model calls remembered: at the ~100 bytes each takes, a few MB at most. */
export const MAX_RESPONSES = 20_000;

export interface SpanKeyOf {
  traceId: string;
  spanId: string;
}

export class ResponseIds {
  // Map order is insertion order: the first entry is the oldest, dropped first.
  private readonly spans = new Map<string, SpanKeyOf>();

  constructor(private readonly max = MAX_RESPONSES) {}

  remember(responseId: string, span: SpanKeyOf): void {
    this.spans.delete(responseId);
    this.spans.set(responseId, { traceId: span.traceId, spanId: span.spanId });
    if (this.spans.size > this.max) this.spans.delete(this.spans.keys().next().value as string);
  }

  spanOf(responseId: string): SpanKeyOf | undefined {
    return this.spans.get(responseId);
  }
}
