// Pydantic Logfire's OpenAI and Anthropic integrations
// (pydantic/logfire logfire/_internal/integrations/llm_providers/openai.py and anthropic.py:
// get_endpoint_config → request_data + gen_ai.*, on_response → response_data + gen_ai.*).
// Dict attributes reach OTLP as JSON strings (Logfire serializes them and describes them in logfire.json_schema).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
const requestData = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Weather in Paris?' },
  ],
  temperature: 0,
  tools,
  tool_choice: 'auto',
  user: 'u-17',
};
const responseData = {
  message: {
    content: null,
    refusal: null,
    role: 'assistant',
    annotations: [],
    audio: null,
    function_call: null,
    tool_calls: [{ id: 'call_w', function: { arguments: '{"city":"Paris"}', name: 'get_weather' }, type: 'function' }],
  },
  usage: {
    completion_tokens: 15,
    prompt_tokens: 60,
    total_tokens: 75,
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    prompt_tokens_details: { cached_tokens: 32, audio_tokens: 0 },
  },
};
const logfireMarks: Attributes = {
  'logfire.span_type': 'span',
  'logfire.msg_template': 'Chat Completion with {request_data[model]!r}',
  'logfire.msg': "Chat Completion with 'gpt-4o'",
  'code.filepath': 'bot.py',
  'code.lineno': 31,
  'code.function': 'answer',
  async: false,
};

test('older Logfire request_data/response_data give messages, params, usage and the model', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...logfireMarks,
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      request_data: JSON.stringify(requestData),
      response_data: JSON.stringify(responseData),
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
    }),
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['genai', 'logfire']);
  assert.equal(llm.operation, 'chat');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 60, outputTokens: 15, totalTokens: 75, cachedInputTokens: 32, reasoningTokens: 0 });
  assert.equal(llm.params.temperature, 0);
  assert.equal(llm.params.tool_choice, 'auto');
  assert.equal(llm.params.user, 'u-17');
  assert.deepEqual(llm.params.tools?.map((t) => t.name), ['get_weather']);
  assert.equal(llm.responseModel, 'gpt-4o-2024-08-06');
});

test('current Logfire: the gen_ai messages win and request_data only fills the gaps', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...logfireMarks,
      request_data: JSON.stringify(requestData),
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.temperature': 0,
      'gen_ai.tool.definitions': JSON.stringify(tools),
      'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a helpful assistant.' }]),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }]),
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 60,
      'gen_ai.usage.output_tokens': 15,
      response_data: JSON.stringify(responseData),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }], finish_reason: 'tool_calls' },
      ]),
      'gen_ai.response.finish_reasons': ['tool_calls'],
    }),
  );
  assert.ok(llm);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  assert.deepEqual(llm.outputMessages[0].toolCalls, [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  assert.equal(llm.outputMessages[0].finishReason, 'tool_calls');
  assert.equal(llm.params.user, 'u-17', 'filled from request_data');
  assert.equal(llm.usage.cachedInputTokens, 32, 'filled from response_data');
});

test('a streamed Logfire call without a final snapshot keeps the combined chunk content', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...logfireMarks,
      'gen_ai.system': 'openai',
      request_data: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'Count to 3' }] }),
      response_data: '{"combined_chunk_content":"1, 2, 3","chunk_count":5}',
    }),
  );
  assert.equal(llm?.params.stream, true);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: '1, 2, 3' }]);
});

test('a Logfire Anthropic call: top-level system, image and tool_use/tool_result blocks, Anthropic usage', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...logfireMarks,
      'logfire.msg_template': 'Message with {request_data[model]!r}',
      'gen_ai.system': 'anthropic',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.operation.name': 'chat',
      request_data: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: 'You describe images.',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'text', text: 'Where is this?' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'geocode', input: { q: 'Eiffel Tower' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'Paris, France' }] }] },
        ],
      }),
      // anthropic.py on_response: tool_use blocks as OpenAI-like tool_calls, arguments = model_dump_json(include={'input'}).
      response_data: JSON.stringify({
        message: { role: 'assistant', content: 'This is Paris.' },
        usage: { input_tokens: 1500, output_tokens: 12, cache_read_input_tokens: 1200, cache_creation_input_tokens: 0 },
      }),
    }),
  );
  assert.ok(llm);
  assert.equal(llm.provider, 'anthropic');
  assert.equal(llm.params.max_tokens, 1024);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You describe images.' },
    {
      role: 'user',
      content: [
        { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
        { type: 'text', text: 'Where is this?' },
      ],
    },
    { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_1', name: 'geocode', arguments: '{"q":"Eiffel Tower"}' }] },
    { role: 'user', content: 'Paris, France', toolCallId: 'toolu_1' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'This is Paris.' }]);
  assert.deepEqual(llm.usage, { inputTokens: 1500, outputTokens: 12, totalTokens: 1512, cachedInputTokens: 1200, cacheCreationInputTokens: 0 });
});

test('older Logfire Responses API spans: the events list splits into inputs and the trailing assistant output', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...logfireMarks,
      'logfire.msg_template': 'Responses API with {request_data[model]!r}',
      'gen_ai.system': 'openai',
      request_data: '{"model":"gpt-4.1","stream":false}',
      events: JSON.stringify([
        { 'event.name': 'gen_ai.system.message', content: 'reply concisely', role: 'system' },
        { 'event.name': 'gen_ai.user.message', content: 'what color is the sky?', role: 'user' },
        { 'event.name': 'gen_ai.assistant.message', content: 'Blue.', role: 'assistant' },
      ]),
    }),
  );
  assert.equal(llm?.operation, 'responses');
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'reply concisely' },
    { role: 'user', content: 'what color is the sky?' },
  ]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Blue.' }]);
});

test('a plain Logfire span without LLM data is not an LLM call', () => {
  assert.equal(normalizeLlmCall(rawSpan({ ...logfireMarks, 'logfire.msg_template': 'processing {item}', item: 'x' })), undefined);
});

test("Logfire's OpenAI Agents SDK integration: a function tool with its arguments and output, an agent run", () => {
  // integrations/openai_agents.py: the SDK's FunctionSpanData / AgentSpanData as attributes, `gen_ai.system` beside them.
  const tool = normalizeLlmCall(
    rawSpan(
      {
        'logfire.msg_template': 'Function: {name}',
        'logfire.msg': 'Function: get_weather',
        'logfire.span_type': 'span',
        'gen_ai.system': 'openai',
        name: 'get_weather',
        input: '{"city":"Lyon"}',
        output: 'light rain, 11°C',
      },
      { name: 'Function: {name}' },
    ),
  );
  assert.ok(tool);
  assert.equal(tool.operation, 'tool');
  assert.deepEqual(tool.tool, { name: 'get_weather', arguments: '{"city":"Lyon"}', result: 'light rain, 11°C' });
  const agent = normalizeLlmCall(
    rawSpan({ 'logfire.msg_template': 'Agent run: {name!r}', 'gen_ai.system': 'openai', name: 'Weather agent', tools: '["get_weather"]' }, { name: 'Agent run: {name!r}' }),
  );
  assert.equal(agent?.operation, 'agent');
  // A Logfire span of another integration (a web request) is no LLM span.
  assert.equal(normalizeLlmCall(rawSpan({ 'logfire.msg_template': 'GET /weather', 'logfire.span_type': 'span', 'http.route': '/weather' })), undefined);
});

test("Logfire's Claude Agent SDK integration: the run's cost as Logfire reports it, where the price table has none", () => {
  // integrations/claude_agent_sdk.py `_record_result`: the run's usage and the SDK's total_cost_usd as `operation.cost`.
  const run = (model: string) =>
    normalizeLlmCall(
      rawSpan(
        {
          'logfire.msg_template': 'invoke_agent',
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': model,
          'gen_ai.usage.input_tokens': 12000,
          'gen_ai.usage.output_tokens': 800,
          'operation.cost': 0.0521,
        },
        { name: 'invoke_agent' },
      ),
    );
  const unknown = run('claude-next-preview');
  assert.equal(unknown?.operation, 'agent');
  assert.equal(unknown?.reportedCostUsd, 0.0521);
  assert.deepEqual(unknown?.convention, ['genai'], "Pydantic's cost name is read with GenAI's attributes (Pydantic AI writes it without Logfire too)");
});
