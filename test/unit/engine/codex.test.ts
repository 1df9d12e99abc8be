// Codex pointed at Spanlight, through the whole engine: its captured log export (test/fixtures/otlp,
// scenario codex) is posted over loopback, and the JSON API must show each prompt as a trace of its
// model calls (tokens, cost) and tool calls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TraceDetail, TraceList } from '../../../src/protocol/model';
import { getJson, postExport, startEngine } from './engineKit';

test('Codex events: each prompt is a trace of its model calls and tool calls, with tokens, cost and errors', async () => {
  const ctx = await startEngine();
  try {
    await postExport(ctx, 'logs', readFileSync(join(__dirname, '../../fixtures/otlp/codex-http-protobuf-logs-1.bin')), 'application/x-protobuf');
    await ctx.engine.store.flush();
    const list = await getJson<TraceList>(`${ctx.url}/api/traces`);
    assert.deepEqual(list.traces.map((t) => t.rootName), ['Apply the fix, please.', 'Why does the tokenizer test fail on CRLF?']);
    const [second, first] = list.traces;
    assert.equal(first.serviceName, 'codex_exec');
    assert.equal(first.llmCallCount, 2);
    assert.equal(first.inputTokens, 18_250 + 19_020);
    assert.equal(first.outputTokens, 410 + 620);
    assert.ok((first.costUsd ?? 0) > 0, 'priced from the table');
    assert.deepEqual(first.models, ['gpt-5.1-codex']);
    assert.equal(first.durationMs, 12_100);
    assert.equal(second.status, 'ERROR');

    const detail = await getJson<TraceDetail>(`${ctx.url}/api/traces/${first.traceId}`);
    assert.deepEqual(
      detail.spans.map((s) => [s.name, s.llm?.operation]),
      [
        ['Why does the tokenizer test fail on CRLF?', 'agent'],
        ['chat gpt-5.1-codex', 'chat'],
        ['execute_tool shell', 'tool'],
        ['chat gpt-5.1-codex', 'chat'],
      ],
    );
    assert.equal(detail.spans[1].llm?.usage.cachedInputTokens, 15_360);
    assert.equal(detail.spans[2].llm?.tool?.arguments, '{"command":["cargo","test","tokenizer"]}');
    assert.match(detail.spans[2].llm?.tool?.result ?? '', /FAILED/);
    assert.deepEqual(detail.spans[0].llm?.inputMessages, [{ role: 'user', content: 'Why does the tokenizer test fail on CRLF?' }]);
  } finally {
    await ctx.close();
  }
});
