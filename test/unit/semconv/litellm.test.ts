// LiteLLM's OpenTelemetry callback (`litellm.callbacks = ["otel"]`, and the proxy's): the attributes its
// integrations/opentelemetry.py set_attributes() writes on `litellm_request`. GenAI's names, but messages
// turned into GenAI parts with OpenAI's `tool_calls` / `tool_call_id` kept beside them and OpenAI's content
// blocks passed through as parts, its call type as the operation, and its own cost. Values made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const llmOf = (attributes: Attributes) => normalizeSpan(rawSpan(attributes, { name: 'litellm_request' }), []).llm;
const json = (value: unknown) => JSON.stringify(value);
const CALL = { id: 'call_Lyon1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } };

/** The attributes of one call, as set_attributes() writes them; `extra` replaces or adds some. */
function litellmCall(extra: Attributes = {}): Attributes {
  return {
    'metadata.user_api_key_hash': 'a1b2',
    hidden_params: json({ model_id: 'gpt-4o-mini', api_base: 'https://api.openai.com/v1' }),
    'gen_ai.cost.input_cost': 0.000018,
    'gen_ai.cost.output_cost': 0.000006,
    'gen_ai.cost.total_cost': 0.000024,
    'gen_ai.request.model': 'gpt-4o-mini',
    'llm.request.type': 'acompletion',
    'gen_ai.system': 'openai',
    'gen_ai.request.temperature': 0.2,
    'llm.is_streaming': 'False',
    'gen_ai.response.id': 'chatcmpl-1',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.usage.total_tokens': 130,
    'gen_ai.usage.output_tokens': 10,
    'gen_ai.usage.input_tokens': 120,
    'llm.request.functions.0.name': 'get_weather',
    'llm.request.functions.0.description': 'Current weather of a city',
    'llm.request.functions.0.parameters': json({ type: 'object', properties: { city: { type: 'string' } } }),
    'gen_ai.input.messages': json([
      { role: 'system', parts: [{ type: 'text', content: 'Answer in one sentence.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Umbrella in Lyon? Here is the sky.' },
          { type: 'image_url', image_url: { url: 'https://example.com/sky.png' } },
        ],
      },
      // An assistant message with no content: LiteLLM writes no parts, and its calls beside them.
      { role: 'assistant', parts: [], tool_calls: [CALL] },
      { role: 'tool', parts: [{ type: 'text', content: 'Light rain, 11°C' }], tool_call_id: CALL.id },
    ]),
    'gen_ai.operation.name': 'acompletion',
    'gen_ai.output.messages': json([{ role: 'assistant', parts: [{ type: 'text', content: 'Yes, take one.' }], finish_reason: 'stop' }]),
    'gen_ai.response.finish_reasons': json(['stop']),
    ...extra,
  };
}

test('a LiteLLM call: the conversation with its tool call and result, the image, the async call type as a chat', () => {
  const llm = llmOf(litellmCall());
  assert.ok(llm);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'Answer in one sentence.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Umbrella in Lyon? Here is the sky.' },
        { type: 'image', uri: 'https://example.com/sky.png' },
      ],
    },
    { role: 'assistant', content: '', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}', id: 'call_Lyon1' }] },
    { role: 'tool', content: 'Light rain, 11°C', toolCallId: 'call_Lyon1' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Yes, take one.', finishReason: 'stop' }]);
  assert.deepEqual(llm.params?.tools?.map((t) => t.name), ['get_weather']);
  assert.deepEqual([llm.usage?.inputTokens, llm.usage?.outputTokens], [120, 10]);
});

test("a LiteLLM answer that calls a tool: the calls beside its (empty) parts are the answer's", () => {
  const llm = llmOf(
    litellmCall({
      'gen_ai.output.messages': json([{ role: 'assistant', parts: [], tool_calls: [CALL], finish_reason: 'tool_calls' }]),
      'gen_ai.response.finish_reasons': json(['tool_calls']),
      // set_attributes() lists them again in the legacy indexed form.
      'gen_ai.completion.0.function_call.name': 'get_weather',
      'gen_ai.completion.0.function_call.arguments': '{"city":"Lyon"}',
    }),
  );
  assert.deepEqual(llm?.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Lyon"}', id: 'call_Lyon1' }], finishReason: 'tool_calls' },
  ]);
});

test("LiteLLM's call types are operations: async chat, text completion, embeddings, responses, Anthropic messages", () => {
  const cases: [string, string][] = [
    ['acompletion', 'chat'],
    ['chat', 'chat'],
    ['anthropic_messages', 'chat'],
    ['atext_completion', 'text_completion'],
    ['text_completion', 'text_completion'],
    ['aembedding', 'embeddings'],
    ['embedding', 'embeddings'],
    ['aresponses', 'responses'],
    ['agenerate_content', 'generate_content'],
    ['arerank', 'rerank'],
  ];
  for (const [callType, operation] of cases) {
    const llm = llmOf(litellmCall({ 'gen_ai.operation.name': callType, 'llm.request.type': callType }));
    assert.equal(llm?.operation, operation, callType);
  }
});

test("LiteLLM's own cost is the cost of a model the price table does not know; a known model is priced by the table", () => {
  // A model served under a deployment name of the proxy's config: only LiteLLM knows what it charged.
  const internal = llmOf(
    litellmCall({ 'gen_ai.request.model': 'team-llama-70b', 'gen_ai.response.model': 'team-llama-70b', 'gen_ai.system': 'hosted_vllm', 'gen_ai.cost.total_cost': 0.0031 }),
  );
  assert.equal(internal?.costUsd, 0.0031);
  // gpt-4o-mini at the table's $0.15 / $0.60 per million: 120 in, 10 out. The user's overrides apply to every span alike.
  const known = llmOf(litellmCall({ 'gen_ai.cost.total_cost': 0.5 }));
  assert.ok(Math.abs(known!.costUsd! - 0.000024) < 1e-12);
  // Zero is what it writes for a model it has no price for either: no cost, not a misleading zero.
  const unpriced = llmOf(litellmCall({ 'gen_ai.request.model': 'team-llama-70b', 'gen_ai.response.model': 'team-llama-70b', 'gen_ai.cost.total_cost': 0 }));
  assert.equal(unpriced?.costUsd, undefined);
});

test('structured messages in OpenAI form (content, not parts) keep their blocks; a part no format knows stays as it came', () => {
  const llm = llmOf({
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.input.messages': json([
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      { role: 'user', parts: [{ type: 'hologram', frames: 3 }] },
    ]),
  });
  assert.deepEqual(llm?.inputMessages, [
    { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', mimeType: 'image/png', data: 'data:image/png;base64,iVBORw0KGgo=' }] },
    { role: 'user', content: [{ type: 'other', value: { type: 'hologram', frames: 3 } }] },
  ]);
});
