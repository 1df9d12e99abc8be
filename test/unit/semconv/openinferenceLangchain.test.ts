// LangChain JS traced by @arizeai/openinference-instrumentation-langchain 4.1.1 (@langchain/core 1.4,
// @langchain/openai 1.5.8), shapes copied from captures against the project's fake OpenAI server. The
// flattened `llm.*_messages` lose tool call ids always, and the whole answer with the Responses API;
// LangChain's serialized messages in `input.value` / `output.value` keep them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeLlmCall } from '../../../src/semconv';
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const CALL_ID = 'call_d338b250d2d58d19c089d136';

/** A LangChain message as `toJSON()` serializes it. */
function lc(type: string, kwargs: Record<string, JsonValue>): JsonValue {
  return { lc: 1, type: 'constructor', id: ['langchain_core', 'messages', type], kwargs: { additional_kwargs: {}, response_metadata: {}, ...kwargs } };
}

const system = lc('SystemMessage', { content: 'Use tools.' });
const human = lc('HumanMessage', { content: 'What is the weather in Berlin?' });
const toolCall = { name: 'get_weather', args: { location: 'Berlin' }, type: 'tool_call', id: CALL_ID };
const asked = lc('AIMessage', { content: [], tool_calls: [toolCall], response_metadata: { model_provider: 'openai', model_name: 'gpt-4o-mini-2024-07-18' } });
const answered = lc('ToolMessage', { content: 'Sunny, 21C in Berlin', tool_call_id: CALL_ID, name: 'get_weather', status: 'success' });

function chatOpenAi(inputs: JsonValue[], output: JsonValue, flattened: Attributes): Attributes {
  return {
    'openinference.span.kind': 'LLM',
    'input.value': JSON.stringify({ messages: [inputs] }),
    'input.mime_type': 'application/json',
    'output.value': JSON.stringify({ generations: [[{ text: '', message: output }]] }),
    'output.mime_type': 'application/json',
    'llm.model_name': 'gpt-4o-mini',
    metadata: JSON.stringify({ ls_provider: 'openai', ls_model_name: 'gpt-4o-mini', ls_model_type: 'chat' }),
    ...flattened,
  };
}

test('LangChain with the Responses API: the answer and its tool calls come from the serialized messages, where the flattened ones hold only a role', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      chatOpenAi([system, human], asked, {
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'Use tools.',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': 'What is the weather in Berlin?',
        'llm.output_messages.0.message.role': 'assistant',
      }),
      { name: 'ChatOpenAI' },
    ),
  );
  assert.ok(llm);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: '', toolCalls: [{ name: 'get_weather', arguments: '{"location":"Berlin"}', id: CALL_ID }] }]);
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.equal(llm.provider, 'openai');
  // Python's instrumentation writes the same JSON with spaces (`"lc": 1`).
  const python = chatOpenAi([system, human], asked, { 'llm.output_messages.0.message.role': 'assistant' });
  python['output.value'] = JSON.stringify(JSON.parse(python['output.value'] as string), null, 1);
  assert.equal(normalizeLlmCall(rawSpan(python))?.outputMessages[0].toolCalls?.[0].id, CALL_ID);
});

test('LangChain: the tool result answers its call by id, and the tool span shows the result, not the serialized ToolMessage', () => {
  const final = lc('AIMessage', { content: [{ type: 'text', text: 'According to get_weather: Sunny, 21C in Berlin.' }] });
  const llm = normalizeLlmCall(
    rawSpan(
      chatOpenAi([system, human, asked, answered], final, {
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'Use tools.',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': 'What is the weather in Berlin?',
        // Flattened without the call's id, and the tool message without the id it answers.
        'llm.input_messages.2.message.role': 'assistant',
        'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
        'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"location":"Berlin"}',
        'llm.input_messages.3.message.role': 'tool',
        'llm.input_messages.3.message.content': 'Sunny, 21C in Berlin',
        'llm.output_messages.0.message.role': 'assistant',
      }),
      { name: 'ChatOpenAI' },
    ),
  );
  assert.ok(llm);
  assert.equal(llm.inputMessages[2].toolCalls?.[0].id, CALL_ID);
  assert.deepEqual(llm.inputMessages[3], { role: 'tool', content: 'Sunny, 21C in Berlin', toolCallId: CALL_ID, name: 'get_weather' });
  assert.equal(llm.outputMessages[0].content, 'According to get_weather: Sunny, 21C in Berlin.');

  const tool = normalizeLlmCall(
    rawSpan(
      {
        'openinference.span.kind': 'TOOL',
        'tool.name': 'get_weather',
        'input.value': 'Berlin',
        'input.mime_type': 'text/plain',
        'output.value': JSON.stringify({ output: answered }),
        'output.mime_type': 'application/json',
      },
      { name: 'get_weather' },
    ),
  );
  assert.deepEqual(tool?.tool, { name: 'get_weather', callId: CALL_ID, arguments: 'Berlin', result: 'Sunny, 21C in Berlin' });
});
