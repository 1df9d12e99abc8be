import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Span } from '../../../src/protocol/model';
import { CallSiteSamples, siteOf, siteTitle, siteTooltip, statsOf } from '../../../src/source/callSites';
import { span, type SpanInit } from '../store/storeFixtures';

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);
const SYSTEM = 'You are the order assistant of the call-site tests. Answer in one sentence.';

/** A chat call as the OpenAI instrumentation records it: no source, its prompt, usage and cost. */
function chatCall(init: SpanInit & { user: string; model?: string; tokens?: [number, number]; cost?: number }): Span {
  const { user, model = 'gpt-4o-mini-2024-07-18', tokens = [100, 20], cost, ...rest } = init;
  return span({
    name: 'chat gpt-4o-mini',
    ...rest,
    llm: {
      requestModel: 'gpt-4o-mini',
      responseModel: model,
      inputMessages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }],
      usage: { inputTokens: tokens[0], outputTokens: tokens[1] },
      costUsd: cost,
    },
  });
}

test('calls with the same system prompt are one site whatever their user messages; a recorded source is its own site', () => {
  const first = siteOf(chatCall({ traceId: TRACE_A, spanId: '1'.repeat(16), user: 'Where is my order 4411 today?' }));
  const second = siteOf(chatCall({ traceId: TRACE_B, spanId: '2'.repeat(16), user: 'Can I return the blue kettle?' }));
  assert.equal(first?.kind, 'prompt');
  assert.equal(first?.key, second?.key);
  assert.deepEqual(first?.kind === 'prompt' && first.needles.map((n) => n.text), [SYSTEM]);

  const recorded = siteOf(span({ traceId: TRACE_A, spanId: '3'.repeat(16), source: { path: 'src/agent.py', line: 42, origin: 'attribute', confidence: 1 } }));
  assert.deepEqual(recorded, { kind: 'recorded', key: 'source\u0000src/agent.py\u000042', path: 'src/agent.py', line: 42 });
  // A location a prompt search found earlier is not a recorded one: the call is placed by its prompt.
  const searched = chatCall({ traceId: TRACE_A, spanId: '4'.repeat(16), user: 'x', source: { path: 'triage.ts', line: 2, origin: 'search', confidence: 0.6 } });
  assert.equal(siteOf(searched)?.kind, 'prompt');
  // Without a system prompt, the whole prompt is the site's.
  const bare = span({ traceId: TRACE_A, spanId: '5'.repeat(16), llm: { inputMessages: [{ role: 'user', content: 'Summarize the release notes of this week.' }] } });
  assert.equal(siteOf(bare)?.key, 'prompt\u0000Summarize the release notes of this week.');
  // A RAG app puts the retrieved context in its system prompt, after the template's first words: one site.
  const withContext = (context: string) =>
    siteOf(span({ traceId: TRACE_A, spanId: '8'.repeat(16), llm: { inputMessages: [{ role: 'system', content: `You are a concise support agent. Context:\n${context}` }] } }));
  assert.equal(withContext('Orders ship within 2 business days.')?.key, withContext('Refunds take 5 days to reach your card.')?.key);
  // Neither a source nor a model call: no site (a tool span's place is its caller's business).
  assert.equal(siteOf(span({ traceId: TRACE_A, spanId: '6'.repeat(16), llm: { operation: 'tool' } })), undefined);
  assert.equal(siteOf(span({ traceId: TRACE_A, spanId: '7'.repeat(16) })), undefined);
});

test("a site's stats: calls, traces, models by use, p50 and p95, summed tokens and cost, errors, and the latest call", () => {
  const samples = new CallSiteSamples();
  samples.setTrace(TRACE_A, [
    chatCall({ traceId: TRACE_A, spanId: '1'.repeat(16), user: 'first question here', startMs: 0, endMs: 800, cost: 0.0004 }),
    chatCall({ traceId: TRACE_A, spanId: '2'.repeat(16), user: 'second question here', startMs: 1000, endMs: 3400, cost: 0.0006 }),
  ]);
  samples.setTrace(TRACE_B, [
    chatCall({ traceId: TRACE_B, spanId: '3'.repeat(16), user: 'third question here', startMs: 5000, endMs: 6200, model: 'gpt-4.1-mini', status: { code: 'ERROR', message: 'rate limited' } }),
  ]);
  const groups = [...samples.groups().values()];
  assert.equal(groups.length, 1);
  const stats = statsOf(groups[0].samples);
  assert.deepEqual(
    { spans: stats.spans, modelCalls: stats.modelCalls, traces: stats.traces, errors: stats.errors, p50: stats.p50Ms, p95: stats.p95Ms, models: stats.models },
    { spans: 3, modelCalls: 3, traces: 2, errors: 1, p50: 1200, p95: 2400, models: ['gpt-4o-mini-2024-07-18', 'gpt-4.1-mini'] },
  );
  assert.deepEqual([stats.inputTokens, stats.outputTokens], [300, 60]);
  // The third call has no price: the sum is of the priced ones.
  assert.ok(Math.abs((stats.costUsd ?? 0) - 0.001) < 1e-12);
  assert.equal(stats.latest.spanId, '3'.repeat(16));
  assert.equal(siteTitle(stats), '3 LLM calls · gpt-4o-mini +1 · p50 1.20 s · 360 tokens · $0.001 · 1 error');
  const tooltip = siteTooltip(stats, true, 200);
  assert.match(tooltip, /^3 LLM calls in 2 traces \(of the latest 200 traces\)$/m);
  assert.match(tooltip, /^Latency: p50 1\.20 s, p95 2\.40 s$/m);
  assert.match(tooltip, /^Tokens: 300 in, 60 out$/m);
  assert.match(tooltip, /Placed here by their prompt text/);
  assert.match(tooltip, /Click to open the latest: "chat gpt-4o-mini"$/);
});

test('a trace given again replaces what it gave; a removed trace leaves its sites; unknown usage and cost are not shown as zero', () => {
  const samples = new CallSiteSamples();
  const source = { path: '/app/worker.py', line: 7, origin: 'stacktrace' as const, confidence: 0.8 };
  const job = (spanId: string, startMs: number) => span({ traceId: TRACE_A, spanId, name: 'process_job', source, startMs, endMs: startMs + 50 });
  samples.setTrace(TRACE_A, [job('1'.repeat(16), 0)]);
  samples.setTrace(TRACE_A, [job('1'.repeat(16), 0), job('2'.repeat(16), 100)]);
  let [group] = [...samples.groups().values()];
  const stats = statsOf(group.samples);
  assert.equal(stats.spans, 2);
  assert.equal(siteTitle(stats), '2 spans · p50 50 ms');
  assert.match(siteTooltip(stats, false, 200), /Recorded at this line\./);
  samples.setTrace(TRACE_B, [chatCall({ traceId: TRACE_B, spanId: '3'.repeat(16), user: 'hello there, assistant' })]);
  samples.removeTrace(TRACE_A);
  [group] = [...samples.groups().values()];
  assert.equal(samples.groups().size, 1);
  assert.equal(group.site.kind, 'prompt');
  // A trace with no site at all is not kept.
  samples.setTrace(TRACE_B, [span({ traceId: TRACE_B, spanId: '4'.repeat(16) })]);
  assert.equal(samples.traceCount, 0);
});
