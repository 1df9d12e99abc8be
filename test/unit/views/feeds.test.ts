// The host halves of the sidebar: which messages a store change turns into, for the list and the tree.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Emitter } from '../../../src/base/emitter';
import type { Span, TextSearchResult, TraceChange, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../../../src/protocol/model';
import type { SidebarInbound } from '../../../src/protocol/messages';
import { SelectedTraceFeed } from '../../../src/views/selectedTraceFeed';
import type { TraceHead } from '../../../src/store/traceStore';
import type { TraceAccess, ViewTraceSource } from '../../../src/views/traceAccess';
import { TraceListFeed } from '../../../src/views/traceListFeed';

const T = 'ab'.repeat(16);

function summary(id: string, extra: Partial<TraceSummary> = {}): TraceSummary {
  return { traceId: id, rootName: 'root', serviceName: 'svc', startTimeUnixNano: '1700000000000000000', durationMs: 1, spanCount: 1, llmCallCount: 0, inputTokens: 0, outputTokens: 0, status: 'UNSET', models: [], ...extra };
}

function span(spanId: string, start: string, parentSpanId?: string): Span {
  return { traceId: T, spanId, parentSpanId, name: spanId, kind: 'INTERNAL', startTimeUnixNano: start, endTimeUnixNano: start, durationMs: 5, status: { code: 'UNSET' }, attributes: {}, events: [], links: [], resource: {}, scope: { name: 't' } };
}

/** An in-memory source: what the feeds read, with a log of list queries. */
class FakeSource implements ViewTraceSource {
  readonly changes = new Emitter<TraceChange>();
  readonly onDidChangeTraces = this.changes.event;
  spans = new Map<string, Span>();
  traces: TraceSummary[] = [];
  queries: TraceQuery[] = [];
  async listTraces(query: TraceQuery): Promise<TraceList> {
    this.queries.push(query);
    return { traces: this.traces.slice(query.offset ?? 0, (query.offset ?? 0) + (query.limit ?? 100)), total: this.traces.length };
  }
  async searchText(): Promise<TextSearchResult> {
    return { matches: [], scannedSpans: 0, totalSpans: 0 };
  }
  /** Set: reads in parts as the store does (the head first, then the rest a tick later). */
  headFirst = false;
  events: string[] = [];
  async getTrace(traceId: string, head?: TraceHead): Promise<TraceDetail | undefined> {
    if (traceId !== T) return undefined;
    const detail = { summary: summary(T, { startTimeUnixNano: '1700000000000000000' }), spans: [...this.spans.values()] };
    if (this.headFirst && head && detail.spans.length > head.spans * 2) {
      head.deliver({ summary: detail.summary, spans: detail.spans.slice(0, head.spans) });
      await settle();
    }
    this.events.push('whole trace read');
    return detail;
  }
  async getSpan(_traceId: string, spanId: string): Promise<Span | undefined> {
    return this.spans.get(spanId);
  }
  async getSummary(traceId: string): Promise<TraceSummary | undefined> {
    return traceId === T ? summary(T) : undefined;
  }
  async getTraceFile(): Promise<undefined> {
    return undefined;
  }
  async setPinned(traceId: string): Promise<boolean> {
    return traceId === T;
  }
  async deleteTrace(): Promise<void> {}
  async clear(): Promise<void> {}
}

function setup(): { source: FakeSource; access: TraceAccess; posted: SidebarInbound[]; errors: Error[] } {
  const source = new FakeSource();
  const access = { current: () => source } as unknown as TraceAccess;
  return { source, access, posted: [], errors: [] };
}

const settle = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));
const change = (c: Partial<TraceChange>): TraceChange => ({ added: [], updated: [], removed: [], spanIds: {}, ...c });

describe('trace list feed', () => {
  test('without filters, a change becomes an insert delta with the new total', async () => {
    const { source, access, posted, errors } = setup();
    source.traces = [summary('a'), summary('b')];
    const feed = new TraceListFeed(access, (m) => posted.push(m), (e) => errors.push(e));
    feed.onChange(change({ added: [summary('b')], updated: [summary('a')], removed: ['gone'] }));
    await settle();
    assert.deepEqual(posted, [{ type: 'tracesChanged', mode: 'insert', upserted: [summary('b'), summary('a')], removed: ['gone'], total: 2 }]);
    assert.deepEqual(errors, []);
    // Another window's JSON API refuses limit=0: the total is asked with limit 1.
    assert.deepEqual(source.queries, [{ limit: 1 }]);
  });

  test('with a filter, listed traces are patched and newcomers come with a re-query', async () => {
    const { source, access, posted } = setup();
    source.traces = [summary('a')];
    const feed = new TraceListFeed(access, (m) => posted.push(m), () => undefined);
    await feed.answer({ q: 'weather', offset: 0, limit: 50 });
    posted.length = 0;
    feed.onChange(change({ added: [summary('new')], updated: [summary('a')] }));
    feed.onChange(change({ added: [summary('new2')] }));
    await settle();
    assert.deepEqual(posted, [{ type: 'tracesChanged', mode: 'patch', upserted: [summary('a')], removed: [] }]);
    await settle(400);
    const refreshes = posted.filter((m) => m.type === 'traces');
    assert.equal(refreshes.length, 1, 'two changes, one throttled re-query');
    assert.deepEqual(source.queries.at(-1), { q: 'weather', offset: 0, limit: 500 });
    feed.dispose();
  });

  test('a later page appends; the answer echoes the query it answers', async () => {
    const { source, access, posted } = setup();
    source.traces = Array.from({ length: 700 }, (_, i) => summary(`t${i}`));
    const feed = new TraceListFeed(access, (m) => posted.push(m), () => undefined);
    await feed.answer({ offset: 500, limit: 500 });
    const answer = posted[0];
    assert.equal(answer.type, 'traces');
    if (answer.type === 'traces') {
      assert.equal(answer.traces.length, 200);
      assert.deepEqual(answer.query, { offset: 500, limit: 500 });
    }
  });
});

describe('selected trace feed', () => {
  test('with an index, a change becomes a delta built from it, without reading the span', async () => {
    const { source, access, posted } = setup();
    source.spans.set('llm', span('llm', '1700000000000000000', 'root'));
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    await feed.select(T);
    let spanReads = 0;
    Object.assign(source, {
      getSpan: async () => {
        spanReads++;
        return undefined;
      },
      getSpanIndex: (traceId: string, spanId: string) =>
        traceId === T && spanId === 'root'
          ? { spanId: 'root', name: 'root', start: '1699999999750000000', end: '1700000001000000000', status: 'ERROR', shape: { db: false, source: true, exception: false } }
          : undefined,
    });
    feed.onChange(change({ updated: [summary(T)], spanIds: { [T]: ['root'] } }));
    await settle();
    assert.equal(spanReads, 0);
    const delta = posted[1];
    assert.equal(delta.type, 'traceRowsDelta');
    if (delta.type === 'traceRowsDelta') {
      assert.deepEqual([delta.rows.spanIds, delta.rows.starts], [['root'], [-250]]);
    }
  });

  test('rows are sent once, then only the changed spans, relative to the first start', async () => {
    const { source, access, posted } = setup();
    source.spans.set('llm', span('llm', '1700000000000000000', 'root'));
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    assert.equal(await feed.select(T), true);
    assert.equal(posted[0].type, 'traceRows');
    // The root ends last and started 250 ms before the first span sent.
    source.spans.set('root', span('root', '1699999999750000000'));
    feed.onChange(change({ updated: [summary(T)], spanIds: { [T]: ['root'] } }));
    await settle();
    const delta = posted[1];
    assert.equal(delta.type, 'traceRowsDelta');
    if (delta.type === 'traceRowsDelta') {
      assert.deepEqual([delta.rows.spanIds, delta.rows.starts], [['root'], [-250]]);
      assert.equal(delta.startTimeUnixNano, '1700000000000000000');
    }
  });

  test('changes of other traces and of a previous selection send nothing', async () => {
    const { source, access, posted } = setup();
    source.spans.set('a', span('a', '1700000000000000000'));
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    await feed.select(T);
    posted.length = 0;
    feed.onChange(change({ spanIds: { ['cd'.repeat(16)]: ['x'] } }));
    await feed.select(undefined);
    feed.onChange(change({ spanIds: { [T]: ['a'] } }));
    await settle();
    assert.deepEqual(posted, []);
  });

  test('an unknown trace resolves false and posts nothing', async () => {
    const { access, posted } = setup();
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    assert.equal(await feed.select('ef'.repeat(16)), false);
    assert.deepEqual(posted, []);
  });

  test('a deleted selection is dropped', async () => {
    const { source, access, posted } = setup();
    source.spans.set('a', span('a', '1700000000000000000'));
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    await feed.select(T);
    feed.onChange(change({ removed: [T] }));
    assert.equal(feed.selected, undefined);
    assert.equal(posted.length, 1);
  });
});

describe('big traces', () => {
  test('a large trace is sent as a first screenful, then the rest', async () => {
    const { source, access, posted } = setup();
    for (let i = 0; i < 3000; i++) source.spans.set(`s${i}`, span(`s${i}`, String(1700000000000000000n + BigInt(i)), i === 0 ? undefined : 's0'));
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    await feed.select(T);
    assert.deepEqual(posted.map((m) => m.type), ['traceRows', 'traceRowsDelta']);
    const [first, rest] = posted;
    if (first.type === 'traceRows' && rest.type === 'traceRowsDelta') {
      assert.equal(first.rows.spanIds.length + rest.rows.spanIds.length, 3000);
      assert.ok(first.rows.spanIds.length <= 500);
      assert.equal(rest.rows.parentIds[0], 's0', 'parents in the first chunk are named by id');
    }
  });

  test('a source with an index gives the rows without reading the trace', async () => {
    const { source, access, posted } = setup();
    for (let i = 0; i < 3000; i++) source.spans.set(`s${i}`, span(`s${i}`, String(1700000000000000000n + BigInt(i)), i === 0 ? undefined : 's0'));
    const indexed = [...source.spans.values()].map((s) => ({
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      start: s.startTimeUnixNano,
      end: s.endTimeUnixNano,
      status: s.status.code,
      shape: { db: false, source: false, exception: false },
    }));
    let reads = 0;
    const withIndex = Object.assign(source, {
      getTraceIndex: (traceId: string) => (traceId === T ? { summary: summary(T), spans: indexed } : undefined),
    });
    const getTrace = withIndex.getTrace.bind(withIndex);
    withIndex.getTrace = async (...args: Parameters<typeof getTrace>) => {
      reads++;
      return getTrace(...args);
    };
    const feed = new SelectedTraceFeed(access, (m) => posted.push(m), () => undefined);
    await feed.select(T);
    assert.equal(reads, 0);
    assert.deepEqual(posted.map((m) => m.type), ['traceRows', 'traceRowsDelta']);
    const ids = posted.flatMap((m) => (m.type === 'traceRows' || m.type === 'traceRowsDelta' ? m.rows.spanIds : []));
    assert.deepEqual(ids, [...source.spans.keys()]);
  });

  test('from a source that reads in parts, the first screenful is posted before the rest is read', async () => {
    const { source, access, posted } = setup();
    source.headFirst = true;
    for (let i = 0; i < 3000; i++) source.spans.set(`s${i}`, span(`s${i}`, String(1700000000000000000n + BigInt(i)), i === 0 ? undefined : 's0'));
    const feed = new SelectedTraceFeed(access, (m) => {
      posted.push(m);
      source.events.push(`posted ${m.type}`);
    }, () => undefined);
    await feed.select(T);
    assert.deepEqual(source.events, ['posted traceRows', 'whole trace read', 'posted traceRowsDelta']);
    const ids = posted.flatMap((m) => (m.type === 'traceRows' || m.type === 'traceRowsDelta' ? m.rows.spanIds : []));
    assert.equal(ids.length, 3000);
    assert.equal(new Set(ids).size, 3000, 'no span is sent twice');
  });
});
