// Langfuse OTel-based SDKs (LangfuseOtelSpanAttributes: langfuse.observation.*). The generation shape
// is that of the Langfuse OpenAI wrapper as asserted in langfuse-python's tests: input = the OpenAI
// messages, output = the assistant message, model.parameters and usage_details as JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

test('a Langfuse generation from the OpenAI wrapper: messages, model parameters and usage details', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o-mini',
        'langfuse.observation.metadata.suite': 'unit',
        'langfuse.observation.input': '[{"role": "user", "content": "1 + 1 = ?"}]',
        'langfuse.observation.output': '{"role": "assistant", "content": "2"}',
        'langfuse.observation.model.parameters':
          '{"temperature": 0, "max_tokens": "Infinity", "top_p": 1, "frequency_penalty": 0, "presence_penalty": 0}',
        'langfuse.observation.usage_details': '{"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4}',
        'langfuse.observation.completion_start_time': '"2026-11-23T13:00:00.250Z"',
      },
      { name: 'OpenAI-generation' },
    ),
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['langfuse']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.deepEqual(llm.inputMessages, [{ role: 'user', content: '1 + 1 = ?' }]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: '2' }]);
  assert.deepEqual(llm.params, { temperature: 0, top_p: 1, frequency_penalty: 0, presence_penalty: 0 }, '"Infinity" is not a number of tokens');
  assert.deepEqual(llm.usage, { inputTokens: 3, outputTokens: 1, totalTokens: 4 });
});

test('Langfuse usage in its own vocabulary (input, output, total) and a streamed tool-call output', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4.1',
      'langfuse.observation.model.parameters': '{"stream": true}',
      'langfuse.observation.input': '{"messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Weather in Berlin?"}]}',
      'langfuse.observation.output':
        '{"role":"assistant","content":"\\n\\n","tool_calls":[{"id":"call_weather","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\": \\"Berlin\\"}"}}]}',
      'langfuse.observation.usage_details': '{"input": 40, "output": 12, "total": 52}',
    }),
  );
  assert.equal(llm?.params.stream, true);
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'Be terse.' },
    { role: 'user', content: 'Weather in Berlin?' },
  ]);
  assert.deepEqual(llm?.outputMessages[0].toolCalls, [{ id: 'call_weather', name: 'get_weather', arguments: '{"city": "Berlin"}' }]);
  assert.deepEqual(llm?.usage, { inputTokens: 40, outputTokens: 12, totalTokens: 52 });
});

test('a Langfuse tool observation is a tool execution named after its span', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'langfuse.observation.type': 'tool',
        'langfuse.observation.input': '{"city": "Berlin"}',
        'langfuse.observation.output': '"Cloudy, 9C"',
      },
      { name: 'get_weather' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'get_weather', arguments: '{"city": "Berlin"}', result: 'Cloudy, 9C' });
});

test('a generic Langfuse span keeps its input and output as text', () => {
  const llm = normalizeLlmCall(
    rawSpan({ 'langfuse.observation.type': 'span', 'langfuse.observation.input': '{"ticket": 42}', 'langfuse.observation.output': '"done"' }),
  );
  assert.equal(llm?.operation, 'other');
  assert.equal(llm?.input, '{"ticket": 42}');
  assert.equal(llm?.output, 'done');
});

test("Langfuse's cost_details: its total, else the sum of its parts; used where the price table has no price", () => {
  const generation = (model: string, costDetails: string) =>
    normalizeSpan(
      rawSpan({
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': model,
        'langfuse.observation.usage_details': '{"input": 100, "output": 20}',
        'langfuse.observation.cost_details': costDetails,
      }),
      [],
    ).llm;
  assert.equal(generation('acme-in-house-llm', '{"input": 0.001, "output": 0.002, "total": 0.003}')?.costUsd, 0.003);
  assert.equal(generation('acme-in-house-llm', '{"input": 0.001, "output": 0.002}')?.costUsd, 0.003);
  assert.equal(generation('acme-in-house-llm', '{"total": -1}')?.costUsd, undefined, 'not a cost');
  assert.equal(generation('gpt-4o-mini', '{"total": 9}')?.costUsd, (100 * 0.15 + 20 * 0.6) / 1e6, 'the table when it knows the model');
});
