// The sidebar's trace list state: pages, live deltas, newest-first order, filters' patch mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TraceSummary } from '../../../src/protocol/model';
import { compareNano, TraceListState } from '../../../webview/src/sidebar/traceListState';

/** A trace that started `second` seconds after an arbitrary epoch (bigger = newer). */
function trace(id: string, second: number, extra: Partial<TraceSummary> = {}): TraceSummary {
  return {
    traceId: id,
    rootName: `root ${id}`,
    serviceName: 'svc',
    startTimeUnixNano: `${1_700_000_000 + second}000000000`,
    durationMs: 10,
    spanCount: 1,
    llmCallCount: 0,
    inputTokens: 0,
    outputTokens: 0,
    status: 'UNSET',
    models: [],
    ...extra,
  };
}

function loaded(state: TraceListState, ids: string[], total = ids.length): void {
  state.replace(ids.map((id, i) => trace(id, 1000 - i * 10)), total, {});
}

describe('trace list state', () => {
  test('nanosecond strings compare by magnitude, not lexically', () => {
    assert.ok(compareNano('999', '1000') < 0);
    assert.ok(compareNano('1700000000000000001', '1700000000000000000') > 0);
    assert.equal(compareNano('5', '5'), 0);
  });

  test('a new trace is inserted newest first', () => {
    const state = new TraceListState();
    loaded(state, ['c', 'b', 'a']);
    state.applyDelta({ mode: 'insert', upserted: [trace('new', 2000)], removed: [], total: 4 });
    assert.deepEqual(state.ids(), ['new', 'c', 'b', 'a']);
    state.applyDelta({ mode: 'insert', upserted: [trace('mid', 995)], removed: [], total: 5 });
    assert.deepEqual(state.ids(), ['new', 'c', 'mid', 'b', 'a']);
    assert.equal(state.total, 5);
  });

  test('an update replaces the summary in place and moves it when its start changed', () => {
    const state = new TraceListState();
    loaded(state, ['c', 'b', 'a']);
    state.applyDelta({ mode: 'insert', upserted: [trace('b', 990, { spanCount: 7 })], removed: [], total: 3 });
    assert.equal(state.get('b')?.spanCount, 7);
    assert.deepEqual(state.ids(), ['c', 'b', 'a']);
    // The root arrived and started earlier than every other trace's first span.
    state.applyDelta({ mode: 'insert', upserted: [trace('c', 1, { rootName: 'late root' })], removed: [], total: 3 });
    assert.deepEqual(state.ids(), ['b', 'a', 'c']);
  });

  test('a trace older than everything loaded waits for its page instead of jumping in', () => {
    const state = new TraceListState();
    loaded(state, ['c', 'b', 'a'], 10);
    state.applyDelta({ mode: 'insert', upserted: [trace('ancient', 1)], removed: [], total: 11 });
    assert.deepEqual(state.ids(), ['c', 'b', 'a']);
    assert.equal(state.total, 11);
    assert.ok(state.hasMore());
  });

  test('with every trace loaded, an old newcomer goes to the end', () => {
    const state = new TraceListState();
    loaded(state, ['c', 'b', 'a']);
    state.applyDelta({ mode: 'insert', upserted: [trace('ancient', 1)], removed: [], total: 4 });
    assert.deepEqual(state.ids(), ['c', 'b', 'a', 'ancient']);
  });

  test('patch mode (a filter is active) never inserts, only replaces listed traces', () => {
    const state = new TraceListState();
    loaded(state, ['b', 'a']);
    state.applyDelta({ mode: 'patch', upserted: [trace('new', 5000), trace('a', 990, { status: 'ERROR' })], removed: [] });
    assert.deepEqual(state.ids(), ['b', 'a']);
    assert.equal(state.get('a')?.status, 'ERROR');
    assert.equal(state.total, 2);
  });

  test('removals drop rows and lower the total', () => {
    const state = new TraceListState();
    loaded(state, ['c', 'b', 'a'], 3);
    state.applyDelta({ mode: 'patch', upserted: [], removed: ['b', 'unknown'] });
    assert.deepEqual(state.ids(), ['c', 'a']);
    assert.equal(state.total, 2);
    state.applyDelta({ mode: 'insert', upserted: [], removed: ['c', 'a'], total: 0 });
    assert.equal(state.size, 0);
    assert.equal(state.total, 0);
  });

  test('pages append without repeating traces a delta already placed', () => {
    const state = new TraceListState();
    loaded(state, ['e', 'd'], 5);
    state.applyDelta({ mode: 'insert', upserted: [trace('x', 5000)], removed: [], total: 6 });
    state.appendPage([trace('d', 990), trace('c', 980), trace('b', 970)], 6);
    assert.deepEqual(state.ids(), ['x', 'e', 'd', 'c', 'b']);
    assert.ok(state.hasMore());
  });

  test('a large burst sorts once and ends in the same order as one-by-one inserts', () => {
    const burst = Array.from({ length: 500 }, (_, i) => trace(`t${i}`, (i * 7919) % 1000));
    const bulk = new TraceListState();
    bulk.applyDelta({ mode: 'insert', upserted: burst, removed: [], total: 500 });
    const single = new TraceListState();
    for (const t of burst) single.applyDelta({ mode: 'insert', upserted: [t], removed: [], total: single.size + 1 });
    const starts = (s: TraceListState): string[] => s.ids().map((id) => s.get(id)?.startTimeUnixNano ?? '');
    assert.deepEqual(starts(bulk), starts(single));
    const sorted = [...starts(bulk)].sort((a, b) => compareNano(b, a));
    assert.deepEqual(starts(bulk), sorted);
  });

  // How fast: bench/webview.ts (the list at 10,000 traces), not a timed unit test.
  test('10,000 live traces arriving one batch at a time are all listed, newest first', () => {
    const state = new TraceListState();
    for (let i = 0; i < 10_000; i += 10) {
      state.applyDelta({ mode: 'insert', upserted: Array.from({ length: 10 }, (_, j) => trace(`t${i + j}`, i + j)), removed: [], total: i + 10 });
    }
    assert.equal(state.size, 10_000);
    assert.equal(state.at(0)?.traceId, 't9999');
  });

  test('keyboard neighbours clamp at both ends; nothing selected starts at the top', () => {
    const state = new TraceListState();
    loaded(state, ['c', 'b', 'a']);
    assert.equal(state.neighbour(undefined, 1), 'c');
    assert.equal(state.neighbour('c', -1), 'c');
    assert.equal(state.neighbour('b', 1), 'a');
    assert.equal(state.neighbour('b', 100), 'a');
  });

  test('filter options collect every service and model seen', () => {
    const state = new TraceListState();
    state.replace([trace('a', 1, { serviceName: 'web', models: ['gpt-4o'] }), trace('b', 2, { serviceName: 'api', models: ['o4-mini', 'gpt-4o'] })], 2, {});
    assert.deepEqual(state.serviceOptions(), ['api', 'web']);
    assert.deepEqual(state.modelOptions(), ['gpt-4o', 'o4-mini']);
  });

  test("a removed trace's place goes to the next row not removed too, else the nearest above", () => {
    const state = new TraceListState();
    loaded(state, ['a', 'b', 'c', 'd']);
    assert.equal(state.replacementFor('b', new Set(['b'])), 'c');
    assert.equal(state.replacementFor('b', new Set(['b', 'c', 'd'])), 'a');
    assert.equal(state.replacementFor('d', new Set(['d'])), 'c');
    assert.equal(state.replacementFor('a', new Set(['a', 'b', 'c', 'd'])), undefined);
    assert.equal(state.replacementFor('unlisted', new Set(['unlisted'])), undefined);
  });
});
