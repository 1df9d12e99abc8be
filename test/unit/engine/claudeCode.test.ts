// Claude Code pointed at Spanlight, through the whole engine: its captured exports (test/fixtures/otlp,
// scenario claude-code, made with the OTel JS SDK exporters Claude Code itself uses) are posted over
// loopback, and the JSON API must show each user prompt as a trace with its model calls, tokens and cost.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TraceDetail, TraceList } from '../../../src/protocol/model';
import { allTraces, getJson, postExport, startEngine, type RunningEngine } from './engineKit';

const FIXTURES = join(__dirname, '../../fixtures/otlp');

const byPrompt = (all: TraceDetail[], prompt: string) => all.find((t) => t.spans[0]?.attributes['user_prompt'] === prompt);

for (const [transport, ext, contentType] of [
  ['http-protobuf', 'bin', 'application/x-protobuf'],
  ['http-json', 'json', 'application/json'],
] as const) {
  describe(`Claude Code over ${transport}`, () => {
    let ctx: RunningEngine;
    let all: TraceDetail[];
    before(async () => {
      ctx = await startEngine();
      await postExport(ctx, 'logs', readFileSync(join(FIXTURES, `claude-code-${transport}-logs-1.${ext}`)), contentType);
      await postExport(ctx, 'traces', readFileSync(join(FIXTURES, `claude-code-${transport}-traces-1.${ext}`)), contentType);
      all = await allTraces(ctx);
    });
    after(() => ctx.close());

    test('its events: each user prompt is a trace of its model calls and tool uses, with tokens and cost', () => {
      const first = byPrompt(all, 'Why does test/login.spec.ts time out?');
      assert.ok(first, 'a trace for the first prompt');
      assert.equal(first.summary.rootName, 'Why does test/login.spec.ts time out?', 'the list shows what was asked');
      assert.equal(first.summary.serviceName, 'claude-code');
      assert.deepEqual(
        first.spans.map((s) => [s.name, s.llm?.operation]),
        [
          ['Why does test/login.spec.ts time out?', 'agent'],
          ['chat claude-sonnet-4-5-20250929', 'chat'],
          ['execute_tool Bash', 'tool'],
          ['chat claude-sonnet-4-5-20250929', 'chat'],
        ],
        'named as GenAI names its spans, so the rows say what each one is',
      );
      assert.equal(first.summary.llmCallCount, 2);
      assert.equal(first.summary.inputTokens, 6 + 18_034 + 1_920 + 1_902 + 19_954);
      assert.equal(first.summary.outputTokens, 212 + 388);
      assert.ok((first.summary.costUsd ?? 0) > 0, 'priced from the table');
      assert.deepEqual(first.summary.models, ['claude-sonnet-4-5-20250929']);
      assert.equal(first.summary.durationMs, 15_020, 'from the prompt to the end of the last call');
      assert.equal(first.spans[2].llm?.tool?.name, 'Bash');
      assert.match(first.spans[2].llm?.tool?.arguments ?? '', /playwright test/);
      assert.equal(first.spans[0].llm?.input, 'Why does test/login.spec.ts time out?');
    });

    test('a failed model call is an error span, and the prompt that retried it an error trace', () => {
      const second = byPrompt(all, 'Add a retry to fetch.');
      assert.ok(second);
      const failed = second.spans.find((s) => s.status.code === 'ERROR');
      assert.equal(failed?.status.message, 'Overloaded');
      assert.equal(failed?.llm?.requestModel, 'claude-opus-4-1-20250805');
      assert.equal(second.summary.status, 'ERROR');
      assert.equal(second.summary.outputTokens, 95);
    });

    test('its tracing beta: the interaction span with its model call, tool and tool step', () => {
      const traced = all.find((t) => t.spans[0]?.attributes['user_prompt'] === 'Rename getUser to fetchUser');
      assert.ok(traced);
      assert.deepEqual(
        traced.spans.map((s) => s.name),
        ['claude_code.interaction', 'claude_code.llm_request', 'claude_code.tool', 'claude_code.tool.execution'],
      );
      assert.equal(traced.summary.inputTokens, 4 + 21_000 + 600);
      assert.ok((traced.summary.costUsd ?? 0) > 0);
      assert.equal(traced.spans[2].llm?.tool?.name, 'Edit');
    });

    test('the trace list finds a prompt by its words', async () => {
      const found = await getJson<TraceList>(`${ctx.url}/api/traces?q=${encodeURIComponent('login.spec')}`);
      assert.equal(found.total, 1);
    });
  });
}

describe('a prompt whose events come in several exports, across a restart', () => {
  let ctx: RunningEngine;
  after(() => ctx.close());

  /** One OTLP/JSON logs export of Claude Code events, as its exporter sends them. */
  const exportOf = (...records: { name: string; atMs: number; sequence: number; attributes?: Record<string, string | number> }[]) =>
    JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeLogs: [{
          scope: { name: 'com.anthropic.claude_code.events', version: '2.1.175' },
          logRecords: records.map((r) => ({
            timeUnixNano: String(BigInt(r.atMs) * 1_000_000n),
            eventName: r.name,
            body: { stringValue: `claude_code.${r.name}` },
            attributes: Object.entries({ 'session.id': 's-1', 'prompt.id': 'p-1', 'event.sequence': r.sequence, ...r.attributes }).map(([key, v]) => ({
              key,
              value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
            })),
          })),
        }],
      }],
    });
  const T0 = Date.UTC(2026, 11, 4, 9, 0, 0);

  test('the root widens with each export and keeps the prompt; a restart in between changes nothing', async () => {
    ctx = await startEngine();
    await postExport(ctx, 'logs', exportOf({ name: 'user_prompt', atMs: T0, sequence: 1, attributes: { prompt: 'Summarize the diff' } }), 'application/json');
    await postExport(ctx, 'logs', exportOf({ name: 'api_request', atMs: T0 + 2_000, sequence: 2, attributes: { model: 'claude-haiku-4-5', input_tokens: 100, output_tokens: 10, duration_ms: 1_500 } }), 'application/json');
    let [trace] = await allTraces(ctx);
    assert.equal(trace.summary.durationMs, 2_000);
    assert.equal(trace.summary.spanCount, 2);

    await ctx.close({ remove: false });
    ctx = await startEngine(ctx.dir);
    await postExport(ctx, 'logs', exportOf({ name: 'api_request', atMs: T0 + 9_000, sequence: 3, attributes: { model: 'claude-haiku-4-5', input_tokens: 200, output_tokens: 20, duration_ms: 3_000 } }), 'application/json');
    // The same export again (an exporter retry): the same span, stored again rather than added.
    await postExport(ctx, 'logs', exportOf({ name: 'api_request', atMs: T0 + 9_000, sequence: 3, attributes: { model: 'claude-haiku-4-5', input_tokens: 200, output_tokens: 20, duration_ms: 3_000 } }), 'application/json');
    const all = await allTraces(ctx);
    assert.equal(all.length, 1);
    [trace] = all;
    assert.equal(trace.summary.spanCount, 3);
    assert.equal(trace.summary.durationMs, 9_000);
    assert.equal(trace.summary.inputTokens, 300);
    assert.equal(trace.spans[0].attributes['user_prompt'], 'Summarize the diff');
    assert.equal(trace.spans[0].llm?.input, 'Summarize the diff');
  });
});
