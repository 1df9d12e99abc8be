// The span tree state: tree order with depths, orphans, expansion kept across streaming deltas, and the
// waterfall numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SpanRow } from '../../../src/protocol/messages';
import { SpanTreeState } from '../../../webview/src/sidebar/treeState';

function row(spanId: string, parentSpanId: string | undefined, start: number, duration = 10, extra: Partial<SpanRow> = {}): SpanRow {
  return { spanId, parentSpanId, name: spanId, startOffsetMs: start, durationMs: duration, status: 'UNSET', kindIcon: 'other', hasSource: false, error: false, ...extra };
}

function shape(state: SpanTreeState): string[] {
  return state.visibleRows().map((r) => `${'  '.repeat(r.depth)}${r.id}`);
}

const TRACE = 't1';

describe('span tree state', () => {
  test('depth-first, siblings by start, with depth and sibling positions', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0, 100), row('b', 'root', 50), row('a', 'root', 10), row('a1', 'a', 12)]);
    assert.deepEqual(shape(state), ['root', '  a', '    a1', '  b']);
    const b = state.visibleRows()[3];
    assert.deepEqual([b.depth, b.posInSet, b.setSize, b.hasChildren], [1, 2, 2, false]);
    assert.equal(state.visibleRows()[0].hasChildren, true);
  });

  test('siblings that start in the same millisecond: the one that ended first comes first, loaded or streamed in', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0, 30), row('chat', 'root', 20, 9), row('tool', 'root', 20, 0.08)]);
    assert.deepEqual(shape(state), ['root', '  tool', '  chat']);
    const streamed = new SpanTreeState();
    streamed.load(TRACE, [row('root', undefined, 0, 30), row('chat', 'root', 20, 9)]);
    streamed.applyDelta(TRACE, [row('tool', 'root', 20, 0.08)]);
    assert.deepEqual(shape(streamed), ['root', '  tool', '  chat']);
    // A span that ends later than it said moves after its tied sibling.
    streamed.applyDelta(TRACE, [row('tool', 'root', 20, 12)]);
    assert.deepEqual(shape(streamed), ['root', '  chat', '  tool']);
  });

  test('an orphan is a root until its parent arrives, then moves under it', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('child', 'root', 20), row('grandchild', 'child', 25)]);
    assert.deepEqual(shape(state), ['child', '  grandchild']);
    assert.equal(state.parentOf('child'), undefined);
    state.applyDelta(TRACE, [row('root', undefined, 0, 100)]);
    assert.deepEqual(shape(state), ['root', '  child', '    grandchild']);
    assert.equal(state.parentOf('child'), 'root');
  });

  test('collapsed spans stay collapsed while new spans stream in', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0, 100), row('a', 'root', 10), row('a1', 'a', 11)]);
    state.setExpanded('a', false);
    assert.deepEqual(shape(state), ['root', '  a']);
    state.applyDelta(TRACE, [row('a2', 'a', 15), row('b', 'root', 40)]);
    assert.deepEqual(shape(state), ['root', '  a', '  b']);
    assert.equal(state.visibleRows()[1].hasChildren, true);
    state.setExpanded('a', true);
    assert.deepEqual(shape(state), ['root', '  a', '    a1', '    a2', '  b']);
  });

  test('reloading the same trace keeps expansion; another trace starts fresh', () => {
    const state = new SpanTreeState();
    const rows = [row('root', undefined, 0, 100), row('a', 'root', 10), row('a1', 'a', 11)];
    state.load(TRACE, rows);
    state.setExpanded('a', false);
    state.load(TRACE, rows);
    assert.ok(state.collapsed.has('a'));
    state.load('t2', rows);
    assert.equal(state.collapsed.size, 0);
  });

  test('a changed row in place keeps the visible list; a moved row restructures it', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0, 100), row('a', 'root', 10), row('b', 'root', 20)]);
    const before = state.visibleRows();
    state.applyDelta(TRACE, [row('a', 'root', 10, 30, { model: 'gpt-4o', error: true })]);
    assert.equal(state.visibleRows(), before, 'same array: no flatten for a data-only change');
    assert.equal(state.row('a')?.model, 'gpt-4o');
    state.applyDelta(TRACE, [row('a', 'root', 25)]);
    assert.deepEqual(shape(state), ['root', '  b', '  a']);
  });

  test('deltas for another trace are ignored', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0)]);
    assert.equal(state.applyDelta('other', [row('x', undefined, 0)]), false);
    assert.equal(state.size, 1);
  });

  test('waterfall numbers are percentages of the trace range, including spans that start before the first one sent', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('llm', 'root', 0, 50), row('tool', 'root', 50, 50)]);
    assert.deepEqual(state.layout(state.row('tool') as SpanRow), { offsetPct: 50, widthPct: 50 });
    // The root ends last, so it arrives last, and it started 100 ms before the first span sent.
    state.applyDelta(TRACE, [row('root', undefined, -100, 200)]);
    assert.deepEqual(state.layout(state.row('root') as SpanRow), { offsetPct: 0, widthPct: 100 });
    assert.deepEqual(state.layout(state.row('llm') as SpanRow), { offsetPct: 50, widthPct: 25 });
    assert.deepEqual(state.bounds(), { start: -100, end: 100 });
  });

  test('collapse all leaves the roots; expand all shows everything', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0, 100), row('a', 'root', 10), row('a1', 'a', 11)]);
    state.collapseAll();
    assert.deepEqual(shape(state), ['root']);
    state.expandAll();
    assert.equal(state.visibleRows().length, 3);
  });

  test('a parent cycle (malformed data) shows its spans instead of losing or looping on them', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0), row('x', 'y', 5), row('y', 'x', 6), row('self', 'self', 7)]);
    assert.deepEqual(shape(state), ['root', 'x', '  y', 'self']);
  });

  test('hidden descendants of a collapsed span are not mistaken for a cycle', () => {
    const state = new SpanTreeState();
    state.load(TRACE, [row('root', undefined, 0), row('a', 'root', 1), row('a1', 'a', 2), row('a11', 'a1', 3)]);
    state.setExpanded('a', false);
    assert.deepEqual(shape(state), ['root', '  a']);
  });

  // How fast: bench/webview.ts (opening a 10,000-span trace), not a timed unit test.
  test('a 10,000-span agent loop (deep and wide) loads and flattens without recursion', () => {
    const rows: SpanRow[] = [row('root', undefined, 0, 100_000)];
    for (let i = 0; i < 5000; i++) rows.push(row(`deep${i}`, i === 0 ? 'root' : `deep${i - 1}`, i, 1));
    for (let i = 0; i < 4999; i++) rows.push(row(`wide${i}`, 'root', 5000 + i, 1));
    const state = new SpanTreeState();
    state.load(TRACE, rows);
    const visible = state.visibleRows();
    assert.equal(visible.length, 10_000);
    assert.equal(visible[5000].depth, 5000);
    assert.equal(state.indexOf('wide0'), 5001);
  });
});
