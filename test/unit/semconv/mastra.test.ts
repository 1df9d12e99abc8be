// Mastra (TypeScript): the attributes @mastra/otel-exporter's gen-ai-semantics.ts writes for a model call,
// an agent run, a workflow step and a tool call; values made up. The span runs 1,250 ms (spanBuilder.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const llmOf = (attributes: Attributes, name: string) => normalizeSpan(rawSpan(attributes, { name }), []).llm;

test('a Mastra model call: GenAI attributes, and the time to first token from its completion start', () => {
  const llm = llmOf(
    {
      'gen_ai.operation.name': 'chat',
      'mastra.span.type': 'model_inference',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.provider.name': 'openai',
      'gen_ai.agent.name': 'weather-agent',
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Umbrella in Lyon?' }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Yes.' }] }]),
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.usage.reasoning_tokens': 0,
      'gen_ai.response.finish_reasons': '["stop"]',
      // The span starts at 2024-11-23T13:20:00.000Z.
      'mastra.completion_start_time': '2024-11-23T13:20:00.310Z',
    },
    'chat gpt-4o-mini',
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['mastra', 'genai']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.timeToFirstTokenMs, 310);
  assert.deepEqual(llm.finishReasons, ['stop']);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Yes.', finishReason: 'stop' }]);
});

test('a Mastra agent run and workflow step show their input and output; workflow types are the workflow', () => {
  const agent = llmOf(
    {
      'gen_ai.operation.name': 'invoke_agent',
      'mastra.span.type': 'agent_run',
      'gen_ai.agent.name': 'weather-agent',
      'gen_ai.system_instructions': 'You answer weather questions.',
      'mastra.agent_run.input': JSON.stringify([{ role: 'user', content: 'Umbrella in Lyon?' }]),
      'mastra.agent_run.output': JSON.stringify({ text: 'Yes.' }),
    },
    'invoke_agent weather-agent',
  );
  assert.equal(agent?.operation, 'agent');
  assert.equal(agent?.input, '[{"role":"user","content":"Umbrella in Lyon?"}]');
  assert.equal(agent?.output, '{"text":"Yes."}');

  for (const type of ['workflow_step', 'workflow_conditional', 'workflow_loop']) {
    const step = llmOf({ 'gen_ai.operation.name': type, 'mastra.span.type': type, [`mastra.${type}.input`]: '{"city":"Lyon"}', [`mastra.${type}.output`]: 'done' }, type);
    assert.deepEqual([step?.operation, step?.input, step?.output], ['workflow', '{"city":"Lyon"}', 'done'], type);
  }
});

test('a Mastra tool call is a tool execution with GenAI attributes, and a completion start outside the span is no figure', () => {
  const tool = llmOf(
    {
      'gen_ai.operation.name': 'execute_tool',
      'mastra.span.type': 'tool_call',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': '{"city":"Lyon"}',
      'gen_ai.tool.call.result': '{"rain":true}',
      'mastra.completion_start_time': '2024-11-23T13:25:00.000Z',
    },
    'execute_tool get_weather',
  );
  assert.deepEqual(tool?.tool, { name: 'get_weather', callId: 'call_1', arguments: '{"city":"Lyon"}', result: '{"rain":true}' });
  assert.equal(tool?.operation, 'tool');
  assert.equal(tool?.timeToFirstTokenMs, undefined);
});

test("a Mastra model step holds its call's conversation (its model call's span, 1.4, has only the answer's text); an agent's tools listed by name are kept", () => {
  const step = llmOf(
    {
      'gen_ai.operation.name': 'agent_step',
      'mastra.span.type': 'model_step',
      'mastra.model_step.input': JSON.stringify([
        { role: 'system', content: 'You answer weather questions.' },
        { role: 'user', content: 'What is the weather in Paris?' },
      ]),
      'mastra.model_step.output': JSON.stringify({ text: '', toolCalls: [{ toolCallId: 'call_cead', toolName: 'get_weather', args: { location: 'Paris' } }] }),
    },
    'agent_step Weather Agent',
  );
  assert.ok(step);
  assert.equal(step.operation, 'workflow');
  assert.deepEqual(step.inputMessages, [
    { role: 'system', content: 'You answer weather questions.' },
    { role: 'user', content: 'What is the weather in Paris?' },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: 'assistant', content: '', toolCalls: [{ name: 'get_weather', arguments: '{"location":"Paris"}', id: 'call_cead' }] }]);

  const generation = llmOf(
    {
      'gen_ai.operation.name': 'model_generation',
      'mastra.span.type': 'model_generation',
      'mastra.model_generation.input': JSON.stringify({ messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the weather in Paris?' }] }] }),
      'mastra.model_generation.output': JSON.stringify({ text: 'Sunny.', reasoning: [{ type: 'reasoning', text: 'Look it up.' }], toolCalls: [] }),
    },
    'model_generation gpt-4o-mini',
  );
  assert.deepEqual(generation?.outputMessages, [{ role: 'assistant', content: [{ type: 'reasoning', text: 'Look it up.' }, { type: 'text', text: 'Sunny.' }] }]);

  const agent = llmOf({ 'gen_ai.operation.name': 'invoke_agent', 'mastra.span.type': 'agent_run', 'gen_ai.tool.definitions': '["get_weather"]' }, 'invoke_agent Weather Agent');
  assert.deepEqual(agent?.params.tools, [{ name: 'get_weather' }]);
});
