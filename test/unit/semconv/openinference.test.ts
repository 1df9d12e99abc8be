// OpenInference. LLM span shapes are those of @arizeai/openinference-instrumentation-openai 4.2.7
// (getLLMInputMessagesAttributes, getChatCompletionLLMOutputMessagesAttributes, getUsageAttributes,
// consumeChatCompletionStreamChunks, responsesAttributes) with semantic conventions 2.12.0; TOOL,
// RETRIEVER, CHAIN and EMBEDDING spans follow the OpenInference spec as LangChain/LlamaIndex emit it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const request = {
  model: 'gpt-4o-mini',
  temperature: 0,
  tools: [weatherTool],
  tool_choice: 'auto',
  messages: [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: 'rainy, 14C' },
  ],
};
const { messages: _omit, ...invocation } = request;

const toolRoundTrip: Attributes = {
  'openinference.span.kind': 'LLM',
  'llm.model_name': 'gpt-4o-mini-2024-07-18',
  'input.value': JSON.stringify(request),
  'input.mime_type': 'application/json',
  'llm.invocation_parameters': JSON.stringify(invocation),
  'llm.system': 'openai',
  'llm.provider': 'openai',
  'llm.input_messages.0.message.role': 'user',
  'llm.input_messages.0.message.content': 'Weather in Paris?',
  'llm.input_messages.1.message.role': 'assistant',
  'llm.input_messages.1.message.tool_calls.0.tool_call.id': 'call_1',
  'llm.input_messages.1.message.tool_calls.0.tool_call.function.name': 'get_weather',
  'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
  'llm.input_messages.2.message.role': 'tool',
  'llm.input_messages.2.message.content': 'rainy, 14C',
  'llm.input_messages.2.message.tool_call_id': 'call_1',
  'llm.tools.0.tool.json_schema': JSON.stringify(weatherTool),
  'output.value': '{"id":"chatcmpl-1","choices":[]}',
  'output.mime_type': 'application/json',
  'llm.output_messages.0.message.role': 'assistant',
  'llm.output_messages.0.message.content': 'It is rainy in Paris, 14°C.',
  'llm.finish_reason': 'stop',
  'llm.token_count.completion': 12,
  'llm.token_count.prompt': 80,
  'llm.token_count.total': 92,
  'llm.token_count.prompt_details.cache_read': 64,
  'llm.token_count.completion_details.reasoning': 0,
};

test('OpenInference tool call round trip keeps arguments and ids', () => {
  const llm = normalizeLlmCall(rawSpan(toolRoundTrip, { name: 'OpenAI Chat Completions' }));
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['openinference']);
  assert.equal(llm.operation, 'chat');
  assert.deepEqual(llm.inputMessages, [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', content: 'rainy, 14C', toolCallId: 'call_1' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'It is rainy in Paris, 14°C.', finishReason: 'stop' }]);
  assert.equal(llm.input, undefined, 'the request JSON is not repeated when messages exist');
});

test('OpenInference invocation parameters, models, tools and token counts', () => {
  const llm = normalizeLlmCall(rawSpan(toolRoundTrip));
  assert.ok(llm);
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.equal(llm.params.temperature, 0);
  assert.equal(llm.params.tool_choice, 'auto');
  assert.deepEqual(llm.params.tools, [
    { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 80, outputTokens: 12, totalTokens: 92, cachedInputTokens: 64, reasoningTokens: 0 });
});

test('OpenInference output tool calls keep ids, and the deprecated function_call form is read too', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_a',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Rome"}',
      'llm.output_messages.0.message.tool_calls.1.tool_call.id': 'call_b',
      'llm.output_messages.0.message.tool_calls.1.tool_call.function.name': 'get_time',
      'llm.output_messages.0.message.tool_calls.1.tool_call.function.arguments': '{"tz":"CET"}',
      'llm.output_messages.1.message.role': 'assistant',
      'llm.output_messages.1.message.function_call_name': 'legacy_fn',
      'llm.output_messages.1.message.function_call_arguments_json': '{}',
    }),
  );
  assert.deepEqual(llm?.outputMessages[0].toolCalls, [
    { id: 'call_a', name: 'get_weather', arguments: '{"city":"Rome"}' },
    { id: 'call_b', name: 'get_time', arguments: '{"tz":"CET"}' },
  ]);
  assert.deepEqual(llm?.outputMessages[1].toolCalls, [{ name: 'legacy_fn', arguments: '{}' }]);
});

test('OpenInference multimodal contents become text and image parts', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'What is this?',
      'llm.input_messages.0.message.contents.1.message_content.type': 'image',
      'llm.input_messages.0.message.contents.1.message_content.image.image.url': 'data:image/jpeg;base64,/9j/4AAQSkZJRg==',
      'llm.input_messages.0.message.contents.2.message_content.type': 'image',
      'llm.input_messages.0.message.contents.2.message_content.image.image.url': 'https://example.com/dog.jpg',
    }),
  );
  assert.deepEqual(llm?.inputMessages[0].content, [
    { type: 'text', text: 'What is this?' },
    { type: 'image', mimeType: 'image/jpeg', data: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' },
    { type: 'image', uri: 'https://example.com/dog.jpg' },
  ]);
});

test('an OpenInference streamed completion shows the assembled output and the stream parameter', () => {
  // consumeChatCompletionStreamChunks: output.value text/plain, one assembled output message.
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.invocation_parameters': '{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true}}',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Count to 3',
      'output.value': '1, 2, 3',
      'output.mime_type': 'text/plain',
      'llm.output_messages.0.message.content': '1, 2, 3',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.finish_reason': 'stop',
    }),
  );
  assert.equal(llm?.params.stream, true);
  assert.deepEqual(llm?.params.stream_options, { include_usage: true });
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: '1, 2, 3', finishReason: 'stop' }]);
});

test('OpenInference Responses API items: reasoning content, function call output, output items joined into one answer', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'tool',
      'llm.input_messages.1.message.tool_call_id': 'call_7',
      'llm.input_messages.1.message.content': '{"temp":14}',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.contents.0.message_content.type': 'reasoning',
      'llm.output_messages.0.message.contents.0.message_content.text': 'Check the tool output.',
      'llm.output_messages.1.message.role': 'assistant',
      'llm.output_messages.1.message.contents.0.message_content.type': 'output_text',
      'llm.output_messages.1.message.contents.0.message_content.text': 'It is 14 degrees.',
      'output.value': '{"id":"resp_1","object":"response","status":"completed","output":[]}',
    }),
  );
  // A Responses call, which its replay sends through that API.
  assert.equal(llm?.operation, 'responses');
  assert.deepEqual(llm?.inputMessages[1], { role: 'tool', content: '{"temp":14}', toolCallId: 'call_7' });
  assert.deepEqual(llm?.outputMessages, [
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Check the tool output.' },
        { type: 'text', text: 'It is 14 degrees.' },
      ],
    },
  ]);
});

test("OpenInference: a Responses call is one by its output's body, as JavaScript and Python write it; a chat completion stays a chat", () => {
  const operationOf = (outputValue: string) =>
    normalizeLlmCall(
      rawSpan({
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'Hi',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'Hello.',
        'output.value': outputValue,
      }),
    )?.operation;
  // Python's pydantic dump: spaced, and "object" after the instructions, which may be long.
  assert.equal(operationOf(`{"id": "resp_2", "created_at": 1, "instructions": "${'Be brief. '.repeat(200)}", "object": "response", "output": []}`), 'responses');
  assert.equal(operationOf('{"id":"chatcmpl-1","object":"chat.completion","choices":[]}'), 'chat');
  assert.equal(operationOf('Hello.'), 'chat');
});

test('an OpenInference TOOL span reads its name, arguments and result', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'openinference.span.kind': 'TOOL',
        'tool.name': 'get_weather',
        'tool.description': 'Weather by city',
        'tool.parameters': '{"type":"object"}',
        'input.value': '{"city": "Paris"}',
        'input.mime_type': 'application/json',
        'output.value': 'rainy, 14C',
      },
      { name: 'get_weather' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'get_weather', arguments: '{"city": "Paris"}', result: 'rainy, 14C' });
});

test('retrieved documents of a RETRIEVER span become its output text', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'RETRIEVER',
      'input.value': 'refund policy',
      'retrieval.documents.0.document.id': 'kb-12',
      'retrieval.documents.0.document.content': 'Refunds within 30 days.',
      'retrieval.documents.0.document.score': 0.91,
      'retrieval.documents.1.document.id': 'kb-7',
      'retrieval.documents.1.document.content': 'Shipping takes 3 days.',
      'retrieval.documents.1.document.score': 0.42,
    }),
  );
  assert.equal(llm?.operation, 'retrieval');
  assert.equal(llm?.input, 'refund policy');
  assert.equal(llm?.output, '[1] kb-12 (score 0.91)\nRefunds within 30 days.\n\n[2] kb-7 (score 0.42)\nShipping takes 3 days.');
});

test('CHAIN and AGENT spans keep their generic input and output values', () => {
  const llm = normalizeLlmCall(
    rawSpan({ 'openinference.span.kind': 'CHAIN', 'input.value': '{"question":"hi"}', 'input.mime_type': 'application/json', 'output.value': 'hello' }),
  );
  assert.equal(llm?.operation, 'workflow');
  assert.equal(llm?.input, '{"question":"hi"}');
  assert.equal(llm?.output, 'hello');
  assert.equal(normalizeLlmCall(rawSpan({ 'openinference.span.kind': 'AGENT', 'input.value': 'x' }))?.operation, 'agent');
});

test('an OpenInference completions call (plain-text prompt) is a text_completion with prompt and completion messages', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-3.5-turbo-instruct',
      'llm.invocation_parameters': '{"model":"gpt-3.5-turbo-instruct","max_tokens":16}',
      'input.value': 'Say this is a test',
      'input.mime_type': 'text/plain',
      'output.value': 'This is a test.',
      'output.mime_type': 'text/plain',
    }),
  );
  assert.equal(llm?.operation, 'text_completion');
  assert.equal(llm?.params.max_tokens, 16);
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: 'Say this is a test' }]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'This is a test.' }]);
});

test('an OpenInference EMBEDDING span reads the model and the embedded texts', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'EMBEDDING',
      'embedding.model_name': 'text-embedding-3-small',
      'embedding.embeddings.0.embedding.text': 'first',
      'embedding.embeddings.1.embedding.text': 'second',
      'embedding.embeddings.0.embedding.vector': [0.1, 0.2],
      'llm.system': 'openai',
    }),
  );
  assert.equal(llm?.operation, 'embeddings');
  assert.equal(llm?.requestModel, 'text-embedding-3-small');
  assert.equal(llm?.input, 'first\nsecond');
});

test("an OpenInference call's own cost (llm.cost.total) stands where the price table has no price; the table's price comes first", () => {
  const call = (model: string, cost: number) =>
    normalizeSpan(
      rawSpan({ 'openinference.span.kind': 'LLM', 'llm.model_name': model, 'llm.token_count.prompt': 100, 'llm.token_count.completion': 10, 'llm.cost.total': cost }),
      [],
    ).llm;
  assert.deepEqual([call('acme-local-llm', 0.0042)?.costUsd, call('acme-local-llm', 0.0042)?.reportedCostUsd], [0.0042, 0.0042]);
  // gpt-4o-mini at the table's $0.15 in, $0.60 out per 1M tokens.
  assert.ok(Math.abs(call('gpt-4o-mini', 1)!.costUsd! - (100 * 0.15 + 10 * 0.6) / 1e6) < 1e-12);
  assert.equal(call('acme-local-llm', 0)?.costUsd, undefined, 'zero is no figure');
});

test("the OpenAI Agents bridge records the Responses API's response as invocation parameters: its own fields are no parameters, its model is no request model", () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.invocation_parameters': JSON.stringify({
        id: 'resp_23df',
        created_at: 1796417593,
        model: 'gpt-4o-mini-2024-07-18',
        parallel_tool_calls: true,
        store: true,
        temperature: 0.3,
        tool_choice: 'auto',
        top_p: 1,
        truncation: 'disabled',
      }),
    }),
  );
  assert.ok(llm);
  assert.equal(llm.requestModel, undefined);
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.deepEqual(llm.params, { parallel_tool_calls: true, store: true, temperature: 0.3, tool_choice: 'auto', top_p: 1, truncation: 'disabled' });
});

test("the OpenAI Agents bridge's Chat Completions path: the model that answered is read from the response it records as the output", () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-mini',
      'llm.invocation_parameters': '{"temperature":0.3}',
      'output.value': JSON.stringify([{ id: 'chatcmpl-84b1', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18', choices: [] }]),
      'output.mime_type': 'application/json',
    }),
  );
  assert.equal(llm?.requestModel, 'gpt-4o-mini');
  assert.equal(llm?.responseModel, 'gpt-4o-mini-2024-07-18');
});
