// Long text folds both ways (a 260 K-character tool output shown whole had no way back), and a trace row
// says to a screen reader what it shows (it said only the name, service and duration).
//   node --import tsx --test webview/test/*.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceSummary } from '../../src/protocol/model';
import { FakeElement, installFakeDocument } from './fakeDom';

installFakeDocument();

test('"Show more" unfolds a long text and "Show less" folds it again', async () => {
  const { longText } = await import('../src/detail/common');
  const text = 'x'.repeat(300_000);
  const box = longText(text) as unknown as FakeElement;
  const pre = box.descendants().find((e) => e.tagName === 'PRE');
  const toggle = box.descendants().find((e) => e.dataset.testid === 'show-more');
  assert.ok(pre && toggle);
  const shortLength = pre.textContent.length;
  assert.ok(shortLength < text.length);
  toggle.fire('click');
  assert.equal(pre.textContent.length, text.length);
  assert.equal(toggle.textContent, 'Show less');
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  toggle.fire('click');
  assert.equal(pre.textContent.length, shortLength);
  assert.match(toggle.textContent, /^Show more \(/);
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
});

test("a trace row's accessible name has its age, error and pinned state, counts, tokens, cost and models", async () => {
  const { createTraceRow, renderTraceRow } = await import('../src/sidebar/traceRowView');
  const summary: TraceSummary = {
    traceId: 'ab'.repeat(16), rootName: 'answer_question', serviceName: 'support-bot', startTimeUnixNano: '1732368000000000000', durationMs: 1250,
    spanCount: 9, llmCallCount: 2, inputTokens: 167, outputTokens: 38, costUsd: 0.0021, status: 'ERROR', models: ['gpt-4o-mini-2024-07-18'], pinned: true,
  };
  const row = createTraceRow() as unknown as FakeElement;
  renderTraceRow(row as unknown as HTMLElement, summary, { selected: false, focusable: true, nowMs: 1732368060000, position: 1, setSize: 1 });
  const label = row.getAttribute('aria-label') ?? '';
  for (const part of ['answer_question', 'error', 'pinned', '1m ago', 'support-bot', '9 spans', '167 → 38 tokens', '$0.0021', 'gpt-4o-mini-2024-07-18']) {
    assert.ok(label.includes(part), `"${label}" lacks ${part}`);
  }
  // Its hover actions' keys, which Tab does not reach.
  assert.equal(row.getAttribute('aria-keyshortcuts'), 'P Delete');
});

test("a span row's accessible name has its model and tokens", async () => {
  const { createSpanRow, renderSpanRow } = await import('../src/sidebar/spanRowView');
  const row = createSpanRow() as unknown as FakeElement;
  renderSpanRow(
    row as unknown as HTMLElement,
    { spanId: '01'.repeat(8), name: 'chat gpt-4o-mini', kindIcon: 'llm', error: false, model: 'gpt-4o-mini-2024-07-18', inputTokens: 63, outputTokens: 10, durationMs: 812, startOffsetMs: 0 } as never,
    { visible: { id: '01'.repeat(8), depth: 1, hasChildren: false, posInSet: 1, setSize: 1 } as never, layout: { offsetPct: 0, widthPct: 50 }, selected: false, focusable: true, expanded: false },
  );
  const label = row.getAttribute('aria-label') ?? '';
  for (const part of ['chat gpt-4o-mini', 'gpt-4o-mini-2024-07-18', '63 → 10 tokens', '812 ms']) assert.ok(label.includes(part), `"${label}" lacks ${part}`);
});
