// Vercel AI SDK telemetry. v6 shapes read from `ai` 6.0.326 (generate-text.ts doGenerate attributes,
// execute-tool-call.ts, stream-text.ts, embed.ts, stringify-for-telemetry.ts); v4/v5 shapes are the
// same attributes with the older names (`maxTokens`, `promptTokens`, tool-call `args`, `mimeType`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { normalizeLlmCall } from '../../../src/semconv';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const v6DoGenerate: Attributes = {
  'operation.name': 'ai.generateText.doGenerate support',
  'resource.name': 'support',
  'ai.operationId': 'ai.generateText.doGenerate',
  'ai.telemetry.functionId': 'support',
  'ai.telemetry.metadata.userId': 'u-17',
  'ai.model.provider': 'openai.responses',
  'ai.model.id': 'gpt-4o-mini',
  'ai.settings.maxOutputTokens': 500,
  'ai.settings.maxRetries': 2,
  'ai.prompt.messages': JSON.stringify([
    { role: 'system', content: 'You are a weather bot.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What city is this? Then tell me its weather.' },
        { type: 'file', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Paris' } }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'weather', output: { type: 'json', value: { temp: 14 } } }] },
  ]),
  'ai.prompt.tools': [
    JSON.stringify({ type: 'function', name: 'weather', description: 'Get the weather', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }),
  ],
  'ai.prompt.toolChoice': '{"type":"auto"}',
  'gen_ai.system': 'openai.responses',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.request.max_tokens': 500,
  'gen_ai.request.temperature': 0.3,
  'ai.response.finishReason': 'stop',
  'ai.response.text': 'Paris: 14°C and rainy.',
  'ai.response.reasoning': 'The image shows the Eiffel Tower.',
  'ai.response.id': 'resp_abc',
  'ai.response.model': 'gpt-4o-mini-2024-07-18',
  'ai.response.timestamp': '2026-11-23T13:00:00.000Z',
  'ai.response.providerMetadata': '{"openai":{"responseId":"resp_abc"}}',
  'ai.usage.inputTokens': 1200,
  'ai.usage.inputTokenDetails.noCacheTokens': 200,
  'ai.usage.inputTokenDetails.cacheReadTokens': 1000,
  'ai.usage.outputTokens': 60,
  'ai.usage.outputTokenDetails.textTokens': 20,
  'ai.usage.outputTokenDetails.reasoningTokens': 40,
  'ai.usage.totalTokens': 1260,
  'ai.usage.reasoningTokens': 40,
  'ai.usage.cachedInputTokens': 1000,
  'gen_ai.response.finish_reasons': ['stop'],
  'gen_ai.response.id': 'resp_abc',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.usage.input_tokens': 1200,
  'gen_ai.usage.output_tokens': 60,
};

test('a Vercel v6 doGenerate span: prompt messages with file, tool call and tool result, response and usage details', () => {
  const llm = normalizeLlmCall(rawSpan(v6DoGenerate, { name: 'ai.generateText.doGenerate' }));
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['genai', 'vercel-ai']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a weather bot.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What city is this? Then tell me its weather.' },
        { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
      ],
    },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', content: '{"temp":14}', toolCallId: 'call_1' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'The image shows the Eiffel Tower.' },
        { type: 'text', text: 'Paris: 14°C and rainy.' },
      ],
      finishReason: 'stop',
    },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 1200, outputTokens: 60, totalTokens: 1260, cachedInputTokens: 1000, reasoningTokens: 40 });
  assert.equal(llm.params.max_tokens, 500);
  assert.equal(llm.params.temperature, 0.3);
  assert.equal(llm.params.maxRetries, 2);
  assert.deepEqual(llm.params.tool_choice, { type: 'auto' });
  assert.deepEqual(llm.params.tools, [
    { name: 'weather', description: 'Get the weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  ]);
});

test('a Vercel v4 doGenerate span: promptTokens/completionTokens, tool-call args and image parts with mimeType', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.chat',
      'ai.model.id': 'gpt-4o',
      'ai.settings.maxTokens': 256,
      'ai.settings.temperature': 0.7,
      'ai.prompt.format': 'messages',
      'ai.prompt.messages': JSON.stringify([
        { role: 'user', content: [{ type: 'text', text: 'Find cats' }, { type: 'image', image: 'https://example.com/cat.png', mimeType: 'image/png' }] },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'search', args: { q: 'cats' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'search', result: { hits: 3 } }] },
      ]),
      'ai.response.finishReason': 'tool-calls',
      'ai.response.toolCalls': JSON.stringify([{ toolCallType: 'function', toolCallId: 'c2', toolName: 'search', args: '{"q":"more cats"}' }]),
      'ai.usage.promptTokens': 50,
      'ai.usage.completionTokens': 10,
      'gen_ai.system': 'openai.chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.prompt_tokens': 50,
      'gen_ai.usage.completion_tokens': 10,
    }),
  );
  assert.ok(llm);
  assert.deepEqual(llm.inputMessages[0].content, [
    { type: 'text', text: 'Find cats' },
    { type: 'image', mimeType: 'image/png', uri: 'https://example.com/cat.png' },
  ]);
  assert.deepEqual(llm.inputMessages[1].toolCalls, [{ id: 'c1', name: 'search', arguments: '{"q":"cats"}' }]);
  assert.deepEqual(llm.inputMessages[2], { role: 'tool', content: '{"hits":3}', toolCallId: 'c1' });
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'c2', name: 'search', arguments: '{"q":"more cats"}' }], finishReason: 'tool-calls' },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 50, outputTokens: 10, totalTokens: 60 });
  assert.equal(llm.params.max_tokens, 256);
  assert.equal(llm.params.temperature, 0.7);
});

test('Vercel v5 usage names: inputTokens, outputTokens, totalTokens, reasoningTokens, cachedInputTokens', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': 'claude-sonnet-4-5',
      'ai.usage.inputTokens': 900,
      'ai.usage.outputTokens': 150,
      'ai.usage.totalTokens': 1050,
      'ai.usage.reasoningTokens': 100,
      'ai.usage.cachedInputTokens': 800,
    }),
  );
  assert.equal(llm?.provider, 'anthropic');
  assert.deepEqual(llm?.usage, { inputTokens: 900, outputTokens: 150, totalTokens: 1050, cachedInputTokens: 800, reasoningTokens: 100 });
});

test('the outer ai.streamText span is a workflow with the user-level prompt and the final text', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'ai.operationId': 'ai.streamText',
      'ai.model.provider': 'openai.responses',
      'ai.model.id': 'gpt-4.1',
      'ai.prompt': '{"system":"Be brief.","prompt":"Hello there"}',
      'ai.response.text': 'Hi!',
      'ai.response.finishReason': 'stop',
      'ai.usage.inputTokens': 12,
      'ai.usage.outputTokens': 3,
    }),
  );
  assert.equal(llm?.operation, 'workflow');
  assert.equal(llm?.params.stream, true);
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello there' },
  ]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Hi!', finishReason: 'stop' }]);
});

/** A doGenerate call through OpenRouter's AI SDK provider, with what it reports in `ai.response.providerMetadata`. */
function openRouterCall(model: string, usage: Record<string, unknown>, operationId = 'ai.generateText.doGenerate'): Attributes {
  return {
    'ai.operationId': operationId,
    'ai.model.provider': 'openrouter.chat',
    'ai.model.id': model,
    'ai.response.text': 'Done.',
    'ai.response.providerMetadata': JSON.stringify({ openrouter: { provider: 'DeepInfra', reasoning_details: [], usage } }),
    'ai.usage.inputTokens': 1200,
    'ai.usage.outputTokens': 300,
  };
}

test('a model the price table does not know costs what OpenRouter charged for it (providerMetadata.openrouter.usage.cost)', () => {
  const usage = { promptTokens: 1200, completionTokens: 300, totalTokens: 1500, cost: 0.000162 };
  const span = normalizeSpan(rawSpan(openRouterCall('meta-llama/llama-3.3-70b-instruct', usage)), []);
  assert.equal(span.llm?.reportedCostUsd, 0.000162);
  assert.equal(span.llm?.costUsd, 0.000162);
  // A free model: OpenRouter charged nothing, which is a cost, not a missing one.
  const free = normalizeSpan(rawSpan(openRouterCall('meta-llama/llama-3.3-70b-instruct:free', { ...usage, cost: 0 })), []);
  assert.equal(free.llm?.costUsd, 0);
});

test("with the user's own provider key (BYOK) the call costs OpenRouter's fee plus what the provider billed", () => {
  const usage = { promptTokens: 1200, completionTokens: 300, totalTokens: 1500, cost: 0.0002, costDetails: { upstreamInferenceCost: 0.004 } };
  const llm = normalizeLlmCall(rawSpan(openRouterCall('qwen/qwen3-235b-a22b', usage)));
  assert.equal(llm?.reportedCostUsd, 0.0042);
});

test("OpenRouter's charge: the price table comes first, an outer span's (its last step's) is not the run's, other providers' metadata is no cost", () => {
  const usage = { promptTokens: 1200, completionTokens: 300, totalTokens: 1500, cost: 0.05 };
  // gpt-4o at $2.50 / $10 per 1M tokens: 1200 in, 300 out.
  assert.equal(normalizeSpan(rawSpan(openRouterCall('openai/gpt-4o', usage)), []).llm?.costUsd, 0.006);
  const outer = normalizeLlmCall(rawSpan(openRouterCall('meta-llama/llama-3.3-70b-instruct', usage, 'ai.generateText')));
  assert.equal(outer?.operation, 'workflow');
  assert.equal(outer?.reportedCostUsd, undefined);
  const openai = normalizeLlmCall(rawSpan({ ...openRouterCall('acme-model', usage), 'ai.response.providerMetadata': '{"openai":{"responseId":"resp_1"}}' }));
  assert.equal(openai?.reportedCostUsd, undefined);
});

test('a streamed doStream call is a chat with stream set; timing attributes stay raw', () => {
  const attributes: Attributes = {
    'ai.operationId': 'ai.streamText.doStream',
    'ai.model.provider': 'openai.chat',
    'ai.model.id': 'gpt-4o-mini',
    'ai.prompt.messages': '[{"role":"user","content":[{"type":"text","text":"Count to 3"}]}]',
    'ai.response.text': '1, 2, 3',
    'ai.response.finishReason': 'stop',
    'ai.response.msToFirstChunk': 412.5,
    'ai.response.msToFinish': 1200.1,
    'ai.response.avgOutputTokensPerSecond': 40,
  };
  const llm = normalizeLlmCall(rawSpan(attributes));
  assert.equal(llm?.operation, 'chat');
  assert.equal(llm?.params.stream, true);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: '1, 2, 3', finishReason: 'stop' }]);
  assert.equal(JSON.stringify(llm).includes('msToFirstChunk'), false);
});

test('an ai.toolCall span is a tool execution with name, id, arguments and result', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'operation.name': 'ai.toolCall',
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': 'weather',
        'ai.toolCall.id': 'call_1',
        'ai.toolCall.args': '{"city":"Paris"}',
        'ai.toolCall.result': '{"temp":14}',
      },
      { name: 'ai.toolCall' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'weather', callId: 'call_1', arguments: '{"city":"Paris"}', result: '{"temp":14}' });
});

test('an ai.embed.doEmbed span is an embeddings call with its values and token count', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'ai.operationId': 'ai.embed.doEmbed',
      'ai.model.provider': 'openai.embedding',
      'ai.model.id': 'text-embedding-3-small',
      'ai.values': ['"sunny day at the beach"'],
      'ai.usage.tokens': 6,
    }),
  );
  assert.equal(llm?.operation, 'embeddings');
  assert.equal(llm?.provider, 'openai');
  assert.equal(llm?.input, 'sunny day at the beach');
  assert.equal(llm?.usage.inputTokens, 6);
});
