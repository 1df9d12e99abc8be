// VS Code's Copilot Chat pointed at Spanlight (github.copilot.chat.otel.*): the span tree its docs show
// for one agent turn (invoke_agent → chat → execute_tool → chat), GenAI attributes plus its own
// `github.copilot.*`, sent as OTLP protobuf. The agent span repeats the turn's total usage: the trace
// must count each model call once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceDetail, TraceList } from '../../../src/protocol/model';
import { encodeTraceRequest, traceRequestObject } from '../otlp/otlpPayloads';
import { getJson, postExport, startEngine } from './engineKit';

const TRACE = Buffer.from('6a1f0c3e9b2d4f5a8c7e1d0b3a2f4e5d', 'hex');
const T0 = 1_764_838_800_000_000_000n;

function span(id: number, parent: number | undefined, name: string, startMs: number, endMs: number, attributes: Record<string, string | number>): object {
  return {
    traceId: TRACE,
    spanId: Buffer.alloc(8, id),
    ...(parent === undefined ? {} : { parentSpanId: Buffer.alloc(8, parent) }),
    name,
    kind: name.startsWith('chat') ? 3 : 1,
    startTimeUnixNano: String(T0 + BigInt(startMs) * 1_000_000n),
    endTimeUnixNano: String(T0 + BigInt(endMs) * 1_000_000n),
    attributes: Object.entries(attributes).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } })),
  };
}

test('a Copilot Chat agent turn: two model calls counted once each, the agent span\'s totals not again', async () => {
  const ctx = await startEngine();
  try {
    const common = { 'gen_ai.provider.name': 'github', 'gen_ai.conversation.id': 'conv-81', 'github.copilot.chat.session_id': 'sess-4' };
    const chat = (input: number, output: number) => ({
      ...common, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-11-20',
      'gen_ai.usage.input_tokens': input, 'gen_ai.usage.output_tokens': output,
    });
    const body = encodeTraceRequest(
      traceRequestObject(
        [
          span(2, 1, 'chat gpt-4o', 100, 3_100, chat(5_200, 140)),
          span(3, 1, 'execute_tool readFile', 3_150, 3_200, { ...common, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'readFile', 'gen_ai.tool.type': 'function' }),
          span(4, 1, 'chat gpt-4o', 3_250, 7_250, chat(6_100, 320)),
          span(1, undefined, 'invoke_agent copilot', 0, 7_300, {
            ...common, 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'copilot', 'github.copilot.turn_count': 2,
            'gen_ai.usage.input_tokens': 11_300, 'gen_ai.usage.output_tokens': 460,
          }),
        ],
        'copilot-chat',
      ),
    );
    await postExport(ctx, 'traces', body, 'application/x-protobuf');
    await ctx.engine.store.flush();
    const list = await getJson<TraceList>(`${ctx.url}/api/traces`);
    assert.equal(list.total, 1);
    const [summary] = list.traces;
    assert.equal(summary.rootName, 'invoke_agent copilot');
    assert.equal(summary.llmCallCount, 2);
    assert.equal(summary.inputTokens, 5_200 + 6_100);
    assert.equal(summary.outputTokens, 140 + 320);
    assert.deepEqual(summary.models, ['gpt-4o-2024-11-20']);
    const detail = await getJson<TraceDetail>(`${ctx.url}/api/traces/${summary.traceId}`);
    assert.deepEqual(detail.spans.map((s) => s.llm?.operation), ['agent', 'chat', 'tool', 'chat']);
    assert.equal(detail.spans[2].llm?.tool?.name, 'readFile');
  } finally {
    await ctx.close();
  }
});
