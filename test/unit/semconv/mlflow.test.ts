// MLflow Tracing's own attributes, as its OTLP export sends them by default (every value JSON-encoded:
// see mlflow.ts). The spans below have the attributes its OpenAI and Anthropic autologging and
// `@mlflow.trace` write (mlflow/tracing/constant.py, mlflow/openai/_openai_autolog.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan, spanEvent } from './spanBuilder';

const json = (value: JsonValue) => JSON.stringify(value);
const weatherTool = { type: 'function', function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

const openAiChat: Attributes = {
  'mlflow.traceRequestId': json('tr-6b1e0b3f8d0c4c51a6e2f5b7c9d1e3f5'),
  'mlflow.spanType': json('CHAT_MODEL'),
  'mlflow.spanFunctionName': json('create'),
  'mlflow.message.format': json('openai'),
  'mlflow.spanInputs': json({
    messages: [
      { role: 'system', content: 'You are a weather bot.' },
      { role: 'user', content: 'Weather in Lyon?' },
    ],
    model: 'gpt-4o-mini',
    temperature: 0.2,
    tools: [weatherTool],
  }),
  'mlflow.spanOutputs': json({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 61, completion_tokens: 17, total_tokens: 78 },
  }),
  'mlflow.chat.tools': json([weatherTool]),
  'mlflow.llm.model': json('gpt-4o-mini'),
  'mlflow.llm.provider': json('openai'),
  'mlflow.chat.tokenUsage': json({ input_tokens: 61, output_tokens: 17, total_tokens: 78 }),
  'mlflow.llm.cost': json({ input_cost: 0.00000915, output_cost: 0.0000102, total_cost: 0.00001935 }),
};

test('an OpenAI chat span: its request and response bodies, model, usage, tools and parameters', () => {
  const llm = normalizeLlmCall(rawSpan(openAiChat, { name: 'Completions' }));
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['mlflow']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather in Lyon?' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }], finishReason: 'tool_calls' },
  ]);
  assert.deepEqual(llm.finishReasons, ['tool_calls']);
  assert.deepEqual(llm.usage, { inputTokens: 61, outputTokens: 17, totalTokens: 78 });
  assert.equal(llm.params.temperature, 0.2);
  assert.deepEqual(llm.params.tools?.map((t) => t.name), ['get_weather']);
  assert.equal(llm.reportedCostUsd, 0.00001935);
});

test("an Anthropic span: the system prompt, cached tokens, the stop reason; the price table's cost, MLflow's beside it", () => {
  const attributes: Attributes = {
    'mlflow.spanType': json('CHAT_MODEL'),
    'mlflow.message.format': json('anthropic'),
    'mlflow.spanInputs': json({ model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'Answer briefly.', messages: [{ role: 'user', content: 'Hi' }] }),
    'mlflow.spanOutputs': json({ id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hello!' }], stop_reason: 'end_turn', usage: { input_tokens: 12, output_tokens: 3 } }),
    'mlflow.llm.model': json('claude-sonnet-4-5'),
    'mlflow.llm.provider': json('anthropic'),
    'mlflow.chat.tokenUsage': json({ input_tokens: 1_012, output_tokens: 3, total_tokens: 1_015, cache_read_input_tokens: 1_000 }),
    'mlflow.llm.cost': json({ total_cost: 0.5 }),
  };
  const llm = normalizeSpan(rawSpan(attributes, { name: 'Messages' }), []).llm;
  assert.ok(llm);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: 'Hi' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Hello!', finishReason: 'end_turn' }]);
  assert.equal(llm.params.max_tokens, 1024);
  assert.deepEqual(llm.usage, { inputTokens: 1_012, outputTokens: 3, totalTokens: 1_015, cachedInputTokens: 1_000 });
  assert.equal(llm.costUsd, (12 * 3 + 1_000 * 0.3 + 3 * 15) / 1e6, 'a model in the table: the table decides');
  assert.equal(llm.reportedCostUsd, 0.5);
});

test('a tool span is a tool execution with its arguments and result; chains, agents and retrievers keep their input and output', () => {
  const tool = normalizeLlmCall(
    rawSpan({ 'mlflow.spanType': json('TOOL'), 'mlflow.spanInputs': json({ city: 'Lyon' }), 'mlflow.spanOutputs': json('Light rain, 11°C') }, { name: 'get_weather' }),
  );
  assert.equal(tool?.operation, 'tool');
  assert.deepEqual(tool?.tool, { name: 'get_weather', arguments: '{"city":"Lyon"}', result: 'Light rain, 11°C' });

  const chain = normalizeLlmCall(rawSpan({ 'mlflow.spanType': json('CHAIN'), 'mlflow.spanInputs': json({ question: 'Weather in Lyon?' }), 'mlflow.spanOutputs': json('Take an umbrella.') }));
  assert.equal(chain?.operation, 'workflow');
  assert.equal(chain?.input, '{"question":"Weather in Lyon?"}');
  assert.equal(chain?.output, 'Take an umbrella.');

  const kinds: [string, string][] = [['AGENT', 'agent'], ['RETRIEVER', 'retrieval'], ['EMBEDDING', 'embeddings'], ['RERANKER', 'rerank'], ['LLM', 'text_completion'], ['UNKNOWN', 'other'], ['PARSER', 'other']];
  for (const [type, operation] of kinds) {
    assert.equal(normalizeLlmCall(rawSpan({ 'mlflow.spanType': json(type) }))?.operation, operation, type);
  }
});

test("an @mlflow.trace function is a span with its arguments and return value; a span MLflow did not type is not MLflow's", () => {
  const traced = normalizeLlmCall(rawSpan({ 'mlflow.spanType': json('UNKNOWN'), 'mlflow.spanInputs': json({ x: 2 }), 'mlflow.spanOutputs': json(4) }, { name: 'square' }));
  assert.deepEqual([traced?.operation, traced?.input, traced?.output], ['other', '{"x":2}', '4']);
  assert.equal(normalizeLlmCall(rawSpan({ 'mlflow.traceRequestId': json('tr-1') })), undefined);
});

test('bodies cut short or of an unknown format are shown as text; the model and usage still come from their attributes', () => {
  const llm = normalizeLlmCall(
    rawSpan({ ...openAiChat, 'mlflow.spanInputs': '{"messages": [{"role": "user", "content": "Weather in Ly', 'mlflow.spanOutputs': json({ candidates: [] }) }),
  );
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: '{"messages": [{"role": "user", "content": "Weather in Ly' }]);
  assert.deepEqual(llm?.outputMessages, []);
  assert.equal(llm?.output, '{"candidates":[]}');
  assert.equal(llm?.requestModel, 'gpt-4o-mini');
  assert.equal(llm?.usage.inputTokens, 61);
});

test("a Responses API call: its input and instructions are the conversation, its output items the answer", () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'mlflow.spanType': json('CHAT_MODEL'),
      'mlflow.spanInputs': json({ model: 'gpt-4.1-mini', instructions: 'Answer in French.', input: 'Hello' }),
      'mlflow.spanOutputs': json({ id: 'resp_1', object: 'response', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Bonjour' }] }] }),
      'mlflow.llm.model': json('gpt-4.1-mini'),
    }),
  );
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'Answer in French.' },
    { role: 'user', content: 'Hello' },
  ]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Bonjour' }]);
});

test('its LangChain autologging: the chat model\'s message lists and the LLMResult, streamed tokens as the time to first token', () => {
  const human = { content: 'Weather in Lyon?', additional_kwargs: {}, response_metadata: {}, type: 'human', name: null, id: null, example: false };
  const system = { ...human, content: 'Be brief.', type: 'system' };
  const answer = { content: 'Light rain.', additional_kwargs: {}, response_metadata: { finish_reason: 'stop' }, type: 'ai', usage_metadata: { input_tokens: 20, output_tokens: 3, total_tokens: 23 } };
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'mlflow.spanType': json('CHAT_MODEL'),
        'mlflow.message.format': json('langchain'),
        'mlflow.spanInputs': json([[system, human]]),
        'mlflow.spanOutputs': json({ generations: [[{ text: 'Light rain.', generation_info: { finish_reason: 'stop' }, type: 'ChatGeneration', message: answer }]], llm_output: { token_usage: { prompt_tokens: 20 }, model_name: 'gpt-4o-mini' }, run: null, type: 'LLMResult' }),
        'mlflow.chat.tokenUsage': json({ input_tokens: 20, output_tokens: 3, total_tokens: 23 }),
        'mlflow.llm.model': json('gpt-4o-mini'),
      },
      { name: 'ChatOpenAI', events: [spanEvent('new_token', { token: 'Light' }, '1732368000410000000'), spanEvent('new_token', { token: ' rain' }, '1732368000450000000')] },
    ),
  );
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Lyon?' },
  ]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Light rain.', finishReason: 'stop' }]);
  assert.deepEqual(llm?.usage, { inputTokens: 20, outputTokens: 3, totalTokens: 23 });
  assert.equal(llm?.timeToFirstTokenMs, 410);
});
