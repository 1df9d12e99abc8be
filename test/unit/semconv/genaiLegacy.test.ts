// The indexed gen_ai.prompt.N / gen_ai.completion.N form. Shapes: OpenLLMetry Python
// (opentelemetry-instrumentation-openai with legacy attributes: tool_calls.M.{id,name,arguments},
// tool_call_id) and OpenLLMetry JS before 0.27 (traceloop/openllmetry-js instrumentation-together /
// -openai _endSpan: `function_call.*`, `llm.request.functions.N.arguments`, JSON-stringified content arrays).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

test('legacy indexed prompts with tool calls and tool results round trip with ids and arguments', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'llm.request.type': 'chat',
      'gen_ai.system': 'OpenAI',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.prompt.0.role': 'system',
      'gen_ai.prompt.0.content': 'You are a support bot.',
      'gen_ai.prompt.1.role': 'user',
      'gen_ai.prompt.1.content': 'Where is order 42?',
      'gen_ai.prompt.2.role': 'assistant',
      'gen_ai.prompt.2.tool_calls.0.id': 'call_lookup',
      'gen_ai.prompt.2.tool_calls.0.name': 'lookup_order',
      'gen_ai.prompt.2.tool_calls.0.arguments': '{"order_id": 42}',
      'gen_ai.prompt.3.role': 'tool',
      'gen_ai.prompt.3.content': '{"status": "shipped"}',
      'gen_ai.prompt.3.tool_call_id': 'call_lookup',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.content': '',
      'gen_ai.completion.0.tool_calls.0.id': 'call_track',
      'gen_ai.completion.0.tool_calls.0.name': 'track_parcel',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"parcel": "XY1"}',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.prompt_tokens': 88,
      'gen_ai.usage.completion_tokens': 17,
      'llm.usage.total_tokens': 105,
      'gen_ai.usage.cache_read_input_tokens': 64,
    }),
  );
  assert.ok(llm);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a support bot.' },
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_lookup', name: 'lookup_order', arguments: '{"order_id": 42}' }] },
    { role: 'tool', content: '{"status": "shipped"}', toolCallId: 'call_lookup' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_track', name: 'track_parcel', arguments: '{"parcel": "XY1"}' }], finishReason: 'tool_calls' },
  ]);
  assert.deepEqual(llm.finishReasons, ['tool_calls']);
  assert.deepEqual(llm.usage, { inputTokens: 88, outputTokens: 17, totalTokens: 105, cachedInputTokens: 64 });
  assert.deepEqual(llm.convention, ['genai', 'traceloop']);
});

test('the older function_call form and llm.request.functions become tool calls and tool definitions', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.system': 'TogetherAI',
      'llm.request.type': 'chat',
      'gen_ai.request.model': 'meta-llama/Llama-3-70b-chat-hf',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Weather in Oslo?',
      'llm.request.functions.0.name': 'get_weather',
      'llm.request.functions.0.description': 'Current weather',
      'llm.request.functions.0.arguments': '{"type":"object","properties":{"city":{"type":"string"}}}',
      'gen_ai.completion.0.finish_reason': 'function_call',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': '',
      'gen_ai.completion.0.function_call.name': 'get_weather',
      'gen_ai.completion.0.function_call.arguments': '{"city":"Oslo"}',
    }),
  );
  assert.ok(llm);
  assert.equal(llm.provider, 'togetherai');
  assert.deepEqual(llm.params.tools, [
    { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  ]);
  assert.deepEqual(llm.outputMessages[0].toolCalls, [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }]);
});

test('legacy multimodal content written as a JSON string is decoded into typed parts', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'llm.request.type': 'chat',
      'gen_ai.prompt.0.role': 'user',
      // openllmetry-js: attributes[`gen_ai.prompt.${i}.content`] = JSON.stringify(message.content)
      'gen_ai.prompt.0.content': JSON.stringify([
        { type: 'text', text: 'Describe this' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ]),
    }),
  );
  assert.deepEqual(llm?.inputMessages[0].content, [
    { type: 'text', text: 'Describe this' },
    { type: 'image', mimeType: 'image/png', data: 'data:image/png;base64,iVBORw0KGgo=' },
  ]);
});

test('a legacy text completion is a text_completion with its prompt and completion', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'llm.request.type': 'completion',
      'gen_ai.system': 'OpenAI',
      'gen_ai.request.model': 'gpt-3.5-turbo-instruct',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Say this is a test',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.content': 'This is a test.',
      'gen_ai.completion.0.finish_reason': 'stop',
      'llm.is_streaming': true,
      'llm.top_k': 5,
    }),
  );
  assert.equal(llm?.operation, 'text_completion');
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'This is a test.', finishReason: 'stop' }]);
  assert.equal(llm?.params.stream, true);
  assert.equal(llm?.params.top_k, 5);
});
