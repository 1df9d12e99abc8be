// Anthropic Messages calls as three recorders write them, attributes copied from captures of the real
// packages against a fake Messages API (request claude-sonnet-4-5, answer claude-sonnet-4-5-20250929):
// @traceloop/instrumentation-anthropic 0.27.0, @arizeai/openinference-instrumentation-anthropic 0.2.8,
// and the Anthropic SDK's own spans (@anthropic-ai/sdk 1.17.0, scope com.anthropic.sdk.typescript).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { RawSpan } from '../../../src/otlp/types';
import type { Attributes, LlmCall } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

function call(scope: string, version: string, attributes: Attributes): LlmCall {
  const span: RawSpan = { ...rawSpan(attributes, { name: 'chat claude-sonnet-4-5' }), scope: { name: scope, version } };
  const llm = normalizeSpan(span, []).llm;
  assert.ok(llm);
  return llm;
}

const TOOL_CALL_ID = 'toolu_01A09q90qw90lq917835lq9';
const ARGUMENTS = '{"city":"Paris","unit":"celsius"}';

test("Traceloop's Anthropic instrumentation: its input count leaves out the cache, which is added back (tokens and cost)", () => {
  const usage = (input: number, cacheRead: number, cacheWrite: number, output: number): Attributes => ({
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
    'gen_ai.usage.input_tokens': input,
    'gen_ai.usage.cache_read.input_tokens': cacheRead,
    'gen_ai.usage.cache_creation.input_tokens': cacheWrite,
    'gen_ai.usage.output_tokens': output,
    'gen_ai.usage.total_tokens': input + output,
  });
  const toolCall = call('@traceloop/instrumentation-anthropic', '0.27.0', usage(5000, 2000, 1000, 80));
  assert.deepEqual(toolCall.usage, { inputTokens: 8000, outputTokens: 80, totalTokens: 8080, cachedInputTokens: 2000, cacheCreationInputTokens: 1000 });
  // $3 per 1M uncached input, $0.30 cache read, $3.75 cache write, $15 output.
  assert.equal(toolCall.costUsd, (5000 * 3 + 2000 * 0.3 + 1000 * 3.75 + 80 * 15) / 1e6);
  // Without cache, nothing changes; another recorder (or a later version) is taken at its word.
  assert.equal(call('@traceloop/instrumentation-anthropic', '0.27.0', usage(400, 0, 0, 900)).usage.inputTokens, 400);
  assert.equal(call('@traceloop/instrumentation-anthropic', '0.28.0', usage(5000, 2000, 1000, 80)).usage.inputTokens, 5000);
  assert.equal(call('opentelemetry.instrumentation.anthropic', '0.47.0', usage(8000, 2000, 1000, 80)).usage.inputTokens, 8000);
});

const OPENINFERENCE = '@arizeai/openinference-instrumentation-anthropic';

test("OpenInference's Anthropic instrumentation: the system prompt kept in the request body comes first, as a string or as text blocks", () => {
  const messages = (system: unknown) =>
    call(OPENINFERENCE, '0.2.8', {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'anthropic',
      'llm.invocation_parameters': JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 512, system }),
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': "What's the weather in Paris?",
    }).inputMessages;
  const expected = [
    { role: 'system', content: 'You are a concise assistant. Answer in one sentence.' },
    { role: 'user', content: "What's the weather in Paris?" },
  ];
  assert.deepEqual(messages('You are a concise assistant. Answer in one sentence.'), expected);
  assert.deepEqual(messages([{ type: 'text', text: 'You are a concise assistant. Answer in one sentence.', cache_control: { type: 'ephemeral' } }]), expected);
  assert.deepEqual(messages(undefined), expected.slice(1));
});

test("OpenInference's Anthropic instrumentation: tool_use content rows are the message's tool calls, once; an image keeps its media type", () => {
  const llm = call(OPENINFERENCE, '0.2.8', {
    'openinference.span.kind': 'LLM',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.contents.0.message_content.type': 'image',
    'llm.input_messages.0.message.contents.0.message_content.image.type': 'base64',
    'llm.input_messages.0.message.contents.0.message_content.image.media_type': 'image/png',
    'llm.input_messages.0.message.contents.1.message_content.type': 'text',
    'llm.input_messages.0.message.contents.1.message_content.text': "What's the weather where this was taken?",
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.contents.0.message_content.type': 'text',
    'llm.output_messages.0.message.contents.0.message_content.text': "I'll look up the weather in Paris.",
    'llm.output_messages.0.message.tool_calls.0.tool_call.id': TOOL_CALL_ID,
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': ARGUMENTS,
    'llm.output_messages.0.message.contents.1.message_content.type': 'tool_use',
    'llm.output_messages.0.message.contents.1.tool_call.id': TOOL_CALL_ID,
    'llm.output_messages.0.message.contents.1.tool_call.function.name': 'get_weather',
    'llm.output_messages.0.message.contents.1.tool_call.function.arguments': ARGUMENTS,
    'llm.finish_reason': 'tool_use',
  });
  assert.deepEqual(llm.inputMessages[0].content, [
    { type: 'image', mimeType: 'image/png' },
    { type: 'text', text: "What's the weather where this was taken?" },
  ]);
  assert.deepEqual(llm.outputMessages, [
    {
      role: 'assistant',
      content: "I'll look up the weather in Paris.",
      toolCalls: [{ name: 'get_weather', arguments: ARGUMENTS, id: TOOL_CALL_ID }],
      finishReason: 'tool_use',
    },
  ]);
});

test("OpenInference's Anthropic instrumentation: an image gets its data (or URL) from the request body, by position, and nothing else is guessed", () => {
  const image = (message: number, content: number): Attributes => ({
    [`llm.input_messages.${message}.message.contents.${content}.message_content.type`]: 'image',
    [`llm.input_messages.${message}.message.contents.${content}.message_content.image.media_type`]: 'image/png',
  });
  const rows: Attributes = {
    'openinference.span.kind': 'LLM',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'Remember these.',
    'llm.input_messages.1.message.role': 'user',
    ...image(1, 0),
    'llm.input_messages.1.message.contents.1.message_content.type': 'text',
    'llm.input_messages.1.message.contents.1.message_content.text': 'And this one?',
    ...image(1, 2),
  };
  const body = {
    model: 'claude-sonnet-4-5',
    messages: [
      { role: 'user', content: 'Remember these.' },
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'text', text: 'And this one?' },
          { type: 'image', source: { type: 'url', url: 'https://example.com/b.jpg' } },
        ],
      },
    ],
  };
  const parts = (attributes: Attributes) => call(OPENINFERENCE, '0.2.8', attributes).inputMessages[1].content;
  assert.deepEqual(parts({ ...rows, 'input.value': JSON.stringify(body) }), [
    { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
    { type: 'text', text: 'And this one?' },
    { type: 'image', mimeType: 'image/png', uri: 'https://example.com/b.jpg' },
  ]);
  const bare = [{ type: 'image', mimeType: 'image/png' }, { type: 'text', text: 'And this one?' }, { type: 'image', mimeType: 'image/png' }];
  // Rows that are not the body's messages one for one (here the body has one more) are not matched up.
  assert.deepEqual(parts({ ...rows, 'input.value': JSON.stringify({ ...body, messages: [{ role: 'user', content: 'x' }, ...body.messages] }) }), bare);
  assert.deepEqual(parts({ ...rows, 'input.value': '{"messages": [' }), bare);
  assert.deepEqual(parts(rows), bare);
});

test("the Anthropic SDK's own spans: the stop reason is the finish reason, image blocks are images, extended thinking is a parameter", () => {
  const llm = call('com.anthropic.sdk.typescript', '1.17.0', {
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.request.max_tokens': 2048,
    'anthropic.thinking.type': 'enabled',
    'anthropic.thinking.budget_tokens': 1024,
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'anthropic_image' }, { type: 'text', content: 'What is in this image?' }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'A small red square.' }] }]),
    'anthropic.message.stop_reason': 'end_turn',
  });
  assert.deepEqual(llm.finishReasons, ['end_turn']);
  assert.deepEqual(llm.inputMessages[0].content, [{ type: 'image' }, { type: 'text', text: 'What is in this image?' }]);
  assert.deepEqual(llm.params.thinking, { type: 'enabled', budget_tokens: 1024 });
  // Traceloop's names for the same setting.
  const traceloop = call('@traceloop/instrumentation-anthropic', '0.27.0', {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'gen_ai.request.thinking_type': 'enabled',
    'gen_ai.request.thinking.budget_tokens': 1024,
  });
  assert.deepEqual(traceloop.params.thinking, { type: 'enabled', budget_tokens: 1024 });
});

test('a call that got no response (a 429) names no response model; an empty thinking block is no part', () => {
  const failed = call(OPENINFERENCE, '0.2.8', {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'claude-sonnet-4-5',
    'llm.request.model_name': 'claude-sonnet-4-5',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'Hello',
  });
  assert.equal(failed.requestModel, 'claude-sonnet-4-5');
  assert.equal(failed.responseModel, undefined);
  // Traceloop's Anthropic instrumentation (0.27), streamed: it never gathers the thinking deltas.
  const streamed = call('@traceloop/instrumentation-anthropic', '0.27.0', {
    'gen_ai.operation.name': 'chat',
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', finish_reason: '', parts: [{ type: 'reasoning', content: '' }, { type: 'text', content: 'Autumn moonlight' }] }]),
  });
  assert.deepEqual(streamed.outputMessages[0].content, 'Autumn moonlight');
});
