// Pydantic AI's agent run span, as its capabilities/instrumentation.py `wrap_run` records it; values made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { rawSpan } from './spanBuilder';

const history = [
  { role: 'user', parts: [{ type: 'text', content: 'Umbrella in Lyon today?' }] },
  { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lyon' } }] },
  { role: 'user', parts: [{ type: 'tool_call_response', id: 'call_1', name: 'get_weather', result: 'light rain, 11°C' }] },
  { role: 'assistant', parts: [{ type: 'text', content: 'Yes, take one.' }], finish_reason: 'stop' },
];

test("a Pydantic AI run: its history as the conversation and answer, its instructions first, its output; still an agent, not a call", () => {
  const llm = normalizeSpan(
    rawSpan(
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'weather',
        agent_name: 'weather',
        model_name: 'gpt-4o-mini',
        'logfire.msg': 'weather run',
        'pydantic_ai.all_messages': JSON.stringify(history),
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'Be concise.' }]),
        final_result: 'Yes, take one.',
        'gen_ai.aggregated_usage.input_tokens': 210,
        'gen_ai.aggregated_usage.output_tokens': 19,
      },
      { name: 'invoke_agent weather' },
    ),
    [],
  ).llm;
  assert.ok(llm);
  assert.equal(llm.operation, 'agent');
  assert.deepEqual(llm.convention, ['pydantic-ai', 'genai']);
  assert.deepEqual(
    llm.inputMessages.map((m) => [m.role, m.content]),
    [
      ['system', 'Be concise.'],
      ['user', 'Umbrella in Lyon today?'],
      ['assistant', ''],
      ['user', 'light rain, 11°C'],
    ],
  );
  assert.deepEqual(llm.inputMessages[2].toolCalls, [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Yes, take one.', finishReason: 'stop' }]);
  assert.equal(llm.output, 'Yes, take one.');
  assert.deepEqual(llm.usage, {}, 'the aggregated usage is the calls below it, counted there');
});
