// Spans and log records recorded from the real instrumentations in node_modules (see
// captureInstrumentationFixtures.ts): @opentelemetry/instrumentation-openai 0.21.0,
// @arizeai/openinference-instrumentation-openai 4.2.7, @traceloop/instrumentation-openai 0.27.0 and
// `ai` 6.0.326 with @ai-sdk/openai 3.0.141, each calling a mock OpenAI server with the same requests:
// a chat completion with tools, an image and a tool round trip; a streamed chat; a Responses API call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeLlmCall } from '../../../src/semconv';
import type { RawLogRecord, RawSpan } from '../../../src/otlp/types';
import type { LlmCall, LlmMessage } from '../../../src/protocol/model';

interface Capture {
  spans: RawSpan[];
  logs: RawLogRecord[];
}

function load(name: string): Capture {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Capture;
}

/** The normalized call of the n-th span with `name`, given the log records tied to it. */
function call(capture: Capture, name: string, n = 0): LlmCall {
  const span = capture.spans.filter((s) => s.name === name)[n];
  assert.ok(span, `no span ${name} #${n}`);
  const llm = normalizeLlmCall(span, capture.logs.filter((l) => l.spanId === span.spanId));
  assert.ok(llm, `${name} #${n} is an LLM call`);
  return llm;
}

const toolRoundTrip: LlmMessage[] = [
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'locate', arguments: '{}' }] },
  { role: 'tool', content: 'Paris', toolCallId: 'call_0' },
];
const weatherCall = [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' }];

test('instrumentation-openai 0.21.0: chat messages come from its log records, tool calls keep ids', () => {
  const llm = call(load('otel'), 'chat gpt-4o-mini');
  assert.deepEqual(llm.convention, ['genai', 'genai-logs']);
  // The instrumentation keeps only the text of a multimodal user message.
  assert.deepEqual(llm.inputMessages, [{ role: 'system', content: 'You are a weather bot.' }, { role: 'user', content: 'Weather here?' }, ...toolRoundTrip]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: '', toolCalls: weatherCall, finishReason: 'tool_calls' }]);
  assert.deepEqual(llm.params, { temperature: 0.2, stop: ['END'] });
  assert.deepEqual(llm.usage, { inputTokens: 50, outputTokens: 10, totalTokens: 60 });
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.equal(llm.serverAddress, '127.0.0.1');
});

test('instrumentation-openai 0.21.0: a streamed chat shows the choice the instrumentation assembled', () => {
  const llm = call(load('otel'), 'chat gpt-4o-mini', 1);
  assert.deepEqual(llm.inputMessages, [{ role: 'user', content: 'Count to 3' }]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: '1, 2, 3', finishReason: 'stop' }]);
  assert.deepEqual(llm.usage, { inputTokens: 8, outputTokens: 5, totalTokens: 13 });
});

test('instrumentation-openai 0.21.0: a Responses call joins span instructions with operation-details records', () => {
  const llm = call(load('otel'), 'chat gpt-4.1-mini');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: [{ type: 'reasoning', text: 'Rain expected.' }, { type: 'text', text: 'Take an umbrella.' }], finishReason: 'stop' },
  ]);
});

test('OpenInference 4.2.7: chat with an image and a tool round trip, params from invocation parameters', () => {
  const llm = call(load('openinference'), 'OpenAI Chat Completions');
  assert.deepEqual(llm.convention, ['openinference']);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image', mimeType: 'image/png', data: 'data:image/png;base64,iVBORw0KGgo=' }] },
    ...toolRoundTrip,
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: '', toolCalls: weatherCall, finishReason: 'tool_calls' }]);
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.equal(llm.params.seed, 7);
  assert.deepEqual(llm.params.stop, ['END']);
  assert.deepEqual(llm.params.tools?.map((t) => t.name), ['get_weather']);
  assert.deepEqual(llm.usage, { inputTokens: 50, outputTokens: 10, totalTokens: 60, cachedInputTokens: 32, reasoningTokens: 0 });
});

test('OpenInference 4.2.7: streamed chat output and the Responses items as one answer', () => {
  const capture = load('openinference');
  const streamed = call(capture, 'OpenAI Chat Completions', 1);
  assert.equal(streamed.params.stream, true);
  assert.deepEqual(streamed.outputMessages, [{ role: 'assistant', content: '1, 2, 3', finishReason: 'stop' }]);
  const responses = call(capture, 'OpenAI Responses');
  assert.deepEqual(responses.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  assert.deepEqual(responses.outputMessages, [
    { role: 'assistant', content: [{ type: 'reasoning', text: 'Rain expected.' }, { type: 'text', text: 'Take an umbrella.' }] },
  ]);
  assert.equal(responses.usage.reasoningTokens, 6);
});

test('Traceloop 0.27.0: JSON-string gen_ai messages with a blob image part and OTel finish reasons', () => {
  const llm = call(load('traceloop'), 'chat gpt-4o-mini');
  assert.deepEqual(llm.convention, ['genai']);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' }] },
    ...toolRoundTrip,
  ]);
  // Traceloop maps OpenAI's `tool_calls` to the OTel `tool_call`.
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: '', toolCalls: weatherCall, finishReason: 'tool_call' }]);
  assert.deepEqual(llm.params.tools?.map((t) => t.name), ['get_weather']);
  assert.deepEqual(llm.usage, { inputTokens: 50, outputTokens: 10, totalTokens: 60 });
});

test('Vercel AI SDK 6: doGenerate, tool execution, the outer generateText and a streamed doStream', () => {
  const capture = load('vercel');
  const step = call(capture, 'ai.generateText.doGenerate');
  assert.deepEqual(step.convention, ['genai', 'vercel-ai']);
  assert.equal(step.operation, 'chat');
  assert.equal(step.provider, 'openai');
  assert.deepEqual(step.inputMessages, [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  assert.deepEqual(step.outputMessages, [{ role: 'assistant', content: '', toolCalls: weatherCall, finishReason: 'tool-calls' }]);
  assert.deepEqual(step.usage, { inputTokens: 50, outputTokens: 10, totalTokens: 60, cachedInputTokens: 32, reasoningTokens: 0 });
  assert.equal(step.params.temperature, 0.3);
  assert.equal(step.params.max_tokens, 100);

  assert.deepEqual(call(capture, 'ai.toolCall').tool, { name: 'get_weather', callId: 'call_w', arguments: '{"city":"Paris"}', result: '{"temp":14}' });
  assert.equal(call(capture, 'ai.generateText').operation, 'workflow');

  const streamed = call(capture, 'ai.streamText.doStream');
  assert.equal(streamed.params.stream, true);
  assert.deepEqual(streamed.outputMessages, [{ role: 'assistant', content: '1, 2, 3', finishReason: 'stop' }]);
  // The SDK's own figure (its ai.stream.firstChunk event, stamped a little later, is the fallback).
  assert.equal(streamed.timeToFirstTokenMs, 104.34235100000001);
});
