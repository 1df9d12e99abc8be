// The LLM call facts of the span detail: the cost from the price table, and beside it the cost the agent
// or SDK reported (Claude Code's `cost_usd`, Langfuse's `cost_details`) when there is one; a streamed
// call's time to first token beside its latency.
//   node --import tsx --test webview/test/*.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LlmCall, Span, TraceSummary } from '../../src/protocol/model';
import { FakeElement, installFakeDocument } from './fakeDom';

installFakeDocument();

function spanWith(llm: Partial<LlmCall>): Span {
  return {
    traceId: 'ab'.repeat(16), spanId: '01'.repeat(8), name: 'chat claude-opus-9', kind: 'INTERNAL',
    startTimeUnixNano: '1732368000000000000', endTimeUnixNano: '1732368001000000000', durationMs: 1000, status: { code: 'UNSET' },
    attributes: {}, events: [], links: [], resource: {}, scope: { name: 'claude_code' },
    llm: { operation: 'chat', params: {}, inputMessages: [], outputMessages: [], finishReasons: [], usage: { inputTokens: 10 }, convention: ['claude-code'], ...llm },
  };
}

/** The element of the rendered detail page with this test id. */
async function rendered(span: Span, testId: string): Promise<FakeElement | undefined> {
  const { renderSpan } = await import('../src/detail/spanView');
  const trace: TraceSummary = {
    traceId: span.traceId, rootName: span.name, serviceName: 'claude-code', startTimeUnixNano: span.startTimeUnixNano, durationMs: 1000,
    spanCount: 1, llmCallCount: 1, inputTokens: 10, outputTokens: 0, status: 'UNSET', models: [],
  };
  const page = renderSpan({ type: 'span', span, trace }, () => undefined) as unknown as FakeElement;
  return page.descendants().find((e) => e.dataset.testid === testId);
}

async function factText(span: Span, testId: string): Promise<string | undefined> {
  return (await rendered(span, testId))?.textContent;
}

test('a reported cost shows beside the cost; without one there is no such row', async () => {
  const reported = spanWith({ costUsd: 0.0425, reportedCostUsd: 0.0425 });
  assert.equal(await factText(reported, 'detail-cost'), '$0.043');
  assert.equal(await factText(reported, 'detail-cost-reported'), '$0.043');
  const tableOnly = spanWith({ costUsd: 0.002 });
  assert.equal(await factText(tableOnly, 'detail-cost'), '$0.002');
  assert.equal(await factText(tableOnly, 'detail-cost-reported'), undefined);
});

test("a streamed call's time to first token shows beside its latency; a call without one has no such row", async () => {
  const streamed = spanWith({ timeToFirstTokenMs: 412.5 });
  assert.equal(await factText(streamed, 'detail-latency'), '1.00 s');
  assert.equal(await factText(streamed, 'detail-ttft'), '413 ms');
  assert.equal(await factText(spanWith({}), 'detail-ttft'), undefined);
});

test('the section is titled for what the span is: an LLM call, a tool call, a retrieval, a workflow step', async () => {
  const operations = ['chat', 'embeddings', 'tool', 'agent', 'retrieval', 'rerank', 'workflow', 'other'] as const;
  const headings = await Promise.all(operations.map(async (operation) => (await rendered(spanWith({ operation }), 'llm-summary'))?.getAttribute('heading')));
  assert.deepEqual(headings, ['LLM call', 'Embeddings call', 'Tool call', 'Agent run', 'Retrieval', 'Rerank', 'Workflow step', 'GenAI operation']);
});

test("an evaluated call shows each evaluation's metric, score, label and explanation; a call without any has no such section", async () => {
  const evaluated = spanWith({
    evaluations: [
      { name: 'Relevance', score: 4, label: 'relevant', explanation: 'Answers the question, cites the timetable.' },
      { name: 'Groundedness', score: 0.5 },
    ],
  });
  const section = await rendered(evaluated, 'detail-evaluations');
  assert.equal(section?.getAttribute('heading'), 'Evaluations (2)');
  const rows = section?.descendants().filter((e) => e.dataset.testid === 'evaluation') ?? [];
  assert.equal(rows.length, 2);
  assert.match(rows[0].textContent ?? '', /Relevance.*4.*relevant.*Answers the question/s);
  assert.equal(rows[1].descendants().find((e) => e.dataset.testid === 'evaluation-label'), undefined);
  assert.equal(await rendered(spanWith({}), 'detail-evaluations'), undefined);
});

test('a span that is no model call and reports no cost has no cost row; a model call without a price shows it as unknown', async () => {
  assert.equal(await factText(spanWith({ operation: 'workflow' }), 'detail-cost'), undefined);
  assert.equal(await factText(spanWith({ operation: 'tool', costUsd: 0.001 }), 'detail-cost'), '$0.001');
  assert.equal(await factText(spanWith({ operation: 'chat' }), 'detail-cost'), '—');
});
