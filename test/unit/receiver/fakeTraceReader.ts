// An in-memory TraceReader: the API routes are tested against the interface, not the real store.
import type { HealthInfo, Span, TextSearchResult, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../../../src/protocol/model';
import type { TextSearchOptions } from '../../../src/store/fullTextSearch';
import type { RawLogRecord } from '../../../src/otlp/types';
import type { TraceReader } from '../../../src/receiver/apiRoutes';
import type { TraceAsReceived } from '../../../src/store/traceStore';

export const TRACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
export const SPAN_A1 = 'a1a1a1a1a1a1a1a1';

function summary(traceId: string, serviceName: string, status: TraceSummary['status']): TraceSummary {
  return {
    traceId,
    rootName: `root of ${serviceName}`,
    serviceName,
    startTimeUnixNano: '1700000000000000000',
    durationMs: 12,
    spanCount: 1,
    llmCallCount: 1,
    inputTokens: 10,
    outputTokens: 5,
    status,
    models: ['gpt-4o-mini'],
  };
}

export const SPAN: Span = {
  traceId: TRACE_A,
  spanId: SPAN_A1,
  name: 'chat gpt-4o-mini',
  kind: 'CLIENT',
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000000012000000',
  durationMs: 12,
  status: { code: 'OK' },
  attributes: { 'gen_ai.request.model': 'gpt-4o-mini' },
  events: [],
  links: [],
  resource: { 'service.name': 'checkout' },
  scope: { name: 'openai' },
};

export const LOG_A1: RawLogRecord = {
  timeUnixNano: '1700000000001000000',
  observedTimeUnixNano: '1700000000001000000',
  severityNumber: 9,
  eventName: 'gen_ai.user.message',
  body: { content: 'Where is my order?' },
  attributes: { 'gen_ai.system': 'openai' },
  traceId: TRACE_A,
  spanId: SPAN_A1,
  resource: { 'service.name': 'checkout' },
  scope: { name: 'openai' },
};

export class FakeTraceReader implements TraceReader {
  /** Every query the routes passed in, to check parameter parsing. */
  readonly queries: TraceQuery[] = [];
  readonly summaries: TraceSummary[] = [
    summary(TRACE_A, 'checkout', 'OK'),
    summary('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'search', 'ERROR'),
  ];

  listTraces(q: TraceQuery): TraceList {
    this.queries.push(q);
    const matching = this.summaries.filter((s) => (!q.service || s.serviceName === q.service) && (!q.status || s.status === q.status));
    const offset = q.offset ?? 0;
    return { traces: matching.slice(offset, offset + (q.limit ?? 50)), total: matching.length };
  }

  /** Every text search the routes passed on. */
  readonly searches: { q: string; limit?: number }[] = [];

  async searchText(q: string, options: TextSearchOptions): Promise<TextSearchResult> {
    this.searches.push({ q, limit: options.limit });
    const matches = q === 'lisbon' ? [{ traceId: TRACE_A, spanId: SPAN_A1, spanName: SPAN.name, traceName: 'root of checkout', startTimeUnixNano: SPAN.startTimeUnixNano, where: 'user message', snippet: 'Weather in Lisbon?' }] : [];
    return { matches, scannedSpans: 1, totalSpans: 1 };
  }

  async getTrace(traceId: string): Promise<TraceDetail | undefined> {
    return traceId === TRACE_A ? { summary: this.summaries[0], spans: [SPAN] } : undefined;
  }

  async getSpan(traceId: string, spanId: string): Promise<Span | undefined> {
    return traceId === TRACE_A && spanId === SPAN_A1 ? SPAN : undefined;
  }

  /** Trace A as received: its span, and one GenAI log record; one more span did not read back. */
  async getTraceAsReceived(traceId: string): Promise<TraceAsReceived | undefined> {
    return traceId === TRACE_A ? { spans: [SPAN], logs: [LOG_A1], unreadable: 1 } : undefined;
  }

  health(): HealthInfo {
    return { ok: true, version: '0.1.0-test', spans: 1, traces: this.summaries.length };
  }
}
