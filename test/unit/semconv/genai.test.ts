// OTel GenAI, current attribute form. Shapes follow @traceloop/instrumentation-openai 0.27.0
// (JSON-string messages, tool-call arguments as decoded objects, tools in OpenAI source format),
// @opentelemetry/instrumentation-openai 0.21.0 (Responses API parts and plain-string system
// instructions) and the semconv's own examples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall, MAX_INLINE_DATA_CHARS, TRUNCATION_MARKER_PREFIX } from '../../../src/semconv';
import type { Attributes, LlmMessage } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const conversation = [
  { role: 'system', parts: [{ type: 'text', content: 'You are a support bot.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Where is order 42?' }] },
  { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_lookup', name: 'lookup_order', arguments: { order_id: 42 } }] },
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_lookup', response: '{"status":"shipped"}' }] },
];
const expectedInputs: LlmMessage[] = [
  { role: 'system', content: 'You are a support bot.' },
  { role: 'user', content: 'Where is order 42?' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_lookup', name: 'lookup_order', arguments: '{"order_id":42}' }] },
  { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'call_lookup' },
];

// As @traceloop/instrumentation-openai 0.27.0 records a chat completion (startSpan + _endSpan).
const traceloopChat: Attributes = {
  'gen_ai.provider.name': 'openai',
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.request.temperature': 0.2,
  'gen_ai.input.messages': JSON.stringify(conversation),
  'gen_ai.tool.definitions': JSON.stringify([
    { type: 'function', function: { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { order_id: { type: 'integer' } } } } },
  ]),
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.response.id': 'chatcmpl-AbC',
  'gen_ai.usage.total_tokens': 131,
  'gen_ai.usage.output_tokens': 9,
  'gen_ai.usage.input_tokens': 122,
  'gen_ai.response.finish_reasons': ['stop'],
  'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Order 42 has shipped.' }] }]),
};

test('OTel GenAI structured messages given as a JSON string become typed messages with tool calls and results', () => {
  const llm = normalizeLlmCall(rawSpan(traceloopChat));
  assert.ok(llm);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.deepEqual(llm.inputMessages, expectedInputs);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Order 42 has shipped.', finishReason: 'stop' }]);
  assert.deepEqual(llm.finishReasons, ['stop']);
  assert.deepEqual(llm.usage, { inputTokens: 122, outputTokens: 9, totalTokens: 131 });
  assert.deepEqual(llm.params.tools, [
    { name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { order_id: { type: 'integer' } } } },
  ]);
  assert.equal(llm.params.temperature, 0.2);
  assert.deepEqual(llm.convention, ['genai']);
  assert.equal(llm.costUsd, undefined, 'cost is for pricing to fill');
});

test('OTel GenAI structured messages given as decoded OTLP arrays read the same as JSON strings', () => {
  const llm = normalizeLlmCall(
    rawSpan({ ...traceloopChat, 'gen_ai.input.messages': conversation, 'gen_ai.output.messages': JSON.parse(traceloopChat['gen_ai.output.messages'] as string) }),
  );
  assert.deepEqual(llm?.inputMessages, expectedInputs);
  assert.equal(llm?.outputMessages[0].content, 'Order 42 has shipped.');
});

test('system instructions are prepended as a system message, as parts or as the plain string instrumentation-openai records', () => {
  const cases: { instructions: Attributes[string]; expected: string }[] = [
    { instructions: JSON.stringify([{ type: 'text', content: 'Answer in French.' }]), expected: 'Answer in French.' },
    { instructions: [{ type: 'text', content: 'Answer in French.' }], expected: 'Answer in French.' },
    // @opentelemetry/instrumentation-openai 0.21.0 _startResponsesSpan: `params.instructions` as is.
    { instructions: 'Answer in French.', expected: 'Answer in French.' },
  ];
  for (const { instructions, expected } of cases) {
    const llm = normalizeLlmCall(
      rawSpan({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.system_instructions': instructions,
        'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
      }),
    );
    assert.deepEqual(llm?.inputMessages, [
      { role: 'system', content: expected },
      { role: 'user', content: 'Hi' },
    ]);
  }
});

test('request params, usage details and the endpoint are read from their gen_ai and server attributes', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'Azure.AI.OpenAI',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.request.max_tokens': 512,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['END', '###'],
      'gen_ai.request.seed': '7', // int64 as OTLP/JSON sends it
      'gen_ai.request.frequency_penalty': 0.5,
      'gen_ai.request.presence_penalty': -0.5,
      'gen_ai.request.choice.count': 2,
      'gen_ai.output.type': 'json',
      'gen_ai.request.reasoning.level': 'high',
      'gen_ai.usage.input_tokens': 2048,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 1024,
      'gen_ai.usage.cache_creation.input_tokens': 512,
      'gen_ai.usage.reasoning.output_tokens': 200,
      'server.address': 'myres.openai.azure.com',
      'server.port': 443,
    }),
  );
  assert.ok(llm);
  assert.equal(llm.provider, 'azure.ai.openai');
  assert.deepEqual(llm.params, {
    max_tokens: 512,
    top_p: 0.9,
    top_k: 40,
    stop: ['END', '###'],
    seed: 7,
    frequency_penalty: 0.5,
    presence_penalty: -0.5,
    n: 2,
    output_type: 'json',
    reasoning_effort: 'high',
  });
  assert.deepEqual(llm.usage, {
    inputTokens: 2048,
    outputTokens: 300,
    totalTokens: 2348,
    cachedInputTokens: 1024,
    cacheCreationInputTokens: 512,
    reasoningTokens: 200,
  });
  assert.equal(llm.serverAddress, 'myres.openai.azure.com');
  assert.equal(llm.serverPort, 443);
});

test("tokens written to the provider's cache are read under the registry's current name, cache_write, and the earlier cache_creation", () => {
  const usageOf = (attributes: Attributes) =>
    normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.usage.input_tokens': 5120, ...attributes }))?.usage;
  // As the Copilot CLI and opentelemetry-util-genai record a call that wrote 500 tokens to the cache.
  assert.equal(usageOf({ 'gen_ai.usage.cache_write.input_tokens': 500, 'gen_ai.usage.cache_read.input_tokens': 4500 })?.cacheCreationInputTokens, 500);
  assert.equal(usageOf({ 'gen_ai.usage.cache_creation.input_tokens': 300 })?.cacheCreationInputTokens, 300);
  // Both: the current name wins.
  assert.equal(usageOf({ 'gen_ai.usage.cache_write.input_tokens': 500, 'gen_ai.usage.cache_creation.input_tokens': 300 })?.cacheCreationInputTokens, 500);
});

test('several output messages (n > 1) stay separate choices, each with its finish reason', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.finish_reasons': ['stop', 'length'],
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'text', content: 'Option A' }] },
        { role: 'assistant', parts: [{ type: 'text', content: 'Option B, which is lo' }] },
      ],
    }),
  );
  assert.deepEqual(llm?.outputMessages, [
    { role: 'assistant', content: 'Option A', finishReason: 'stop' },
    { role: 'assistant', content: 'Option B, which is lo', finishReason: 'length' },
  ]);
});

test('multimodal parts keep their type, MIME type and URI, and large inline data is truncated with a marker', () => {
  const bigAudio = 'A'.repeat(MAX_INLINE_DATA_CHARS + 100);
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'chat',
      'gen_ai.input.messages': [
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'What is in these?' },
            { type: 'uri', modality: 'image', mime_type: 'image/png', uri: 'https://example.com/cat.png' },
            { type: 'blob', modality: 'audio', mime_type: 'audio/wav', content: bigAudio },
            { type: 'file', modality: 'document', mime_type: 'application/pdf', file_id: 'file-123' },
            { type: 'blob', modality: 'image', media_type: 'image/jpeg', content: '/9j/4AAQ' }, // Logfire writes media_type
          ],
        },
      ],
    }),
  );
  const content = llm?.inputMessages[0].content;
  assert.ok(Array.isArray(content));
  assert.deepEqual(content[0], { type: 'text', text: 'What is in these?' });
  assert.deepEqual(content[1], { type: 'image', mimeType: 'image/png', uri: 'https://example.com/cat.png' });
  const audio = content[2];
  assert.equal(audio.type, 'audio');
  assert.ok(audio.type === 'audio' && audio.data?.startsWith('AAAA'));
  assert.ok(audio.type === 'audio' && audio.data?.endsWith(`${TRUNCATION_MARKER_PREFIX}${bigAudio.length}]`));
  assert.ok(audio.type === 'audio' && audio.data !== undefined && audio.data.length < bigAudio.length);
  assert.deepEqual(content[3], { type: 'file', mimeType: 'application/pdf', name: 'file-123' });
  assert.deepEqual(content[4], { type: 'image', mimeType: 'image/jpeg', data: '/9j/4AAQ' });
});

test('Responses API parts from instrumentation-openai keep reasoning text and link calls by call_id', () => {
  // ConvertResponseInputsToInputMessagesUseCase / ...Outputs... in @opentelemetry/instrumentation-openai 0.21.0.
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.input.messages': [
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'fc_01', name: 'get_weather', arguments: '{"city":"Paris"}', call_id: 'call_9' }] },
        { role: 'user', parts: [{ type: 'tool_call_response', id: 'fco_01', response: 'rainy', call_id: 'call_9' }] },
      ],
      'gen_ai.output.messages': [
        { role: 'assistant', finish_reason: 'stop', parts: [{ type: 'reasoning', text: 'It rains, suggest an umbrella.' }, { type: 'text', content: 'Take an umbrella.' }] },
      ],
    }),
  );
  assert.deepEqual(llm?.inputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { role: 'user', content: 'rainy', toolCallId: 'call_9' },
  ]);
  assert.deepEqual(llm?.outputMessages[0].content, [
    { type: 'reasoning', text: 'It rains, suggest an umbrella.' },
    { type: 'text', text: 'Take an umbrella.' },
  ]);
});

test('a tool execution span reads the tool name, call id, arguments and result', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup_order',
        'gen_ai.tool.call.id': 'call_lookup',
        'gen_ai.tool.call.arguments': { order_id: 42 },
        'gen_ai.tool.call.result': '{"status":"shipped"}',
        'gen_ai.tool.type': 'function',
      },
      { name: 'execute_tool lookup_order' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'lookup_order', callId: 'call_lookup', arguments: '{"order_id":42}', result: '{"status":"shipped"}' });
});

test('an agent span is an agent operation with its conversation', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': 'openai',
        'gen_ai.agent.name': 'Support',
        'gen_ai.request.model': 'gpt-4.1',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'refund please' }] }]),
      },
      { name: 'invoke_agent Support' },
    ),
  );
  assert.equal(llm?.operation, 'agent');
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: 'refund please' }]);
});

test('a malformed JSON messages attribute does not throw and keeps the raw text as content', () => {
  // Instrumentations cut long attributes (OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT), leaving broken JSON.
  const truncated = '[{"role":"user","parts":[{"type":"text","content":"a very long prom';
  const llm = normalizeLlmCall(
    rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': truncated, 'gen_ai.tool.definitions': '[{"type":' }),
  );
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: truncated }]);
  assert.equal(llm?.params.tools, undefined);
});

test('operation names map onto the contract vocabulary', () => {
  const table: [string, string][] = [
    ['chat', 'chat'],
    ['text_completion', 'text_completion'],
    ['embeddings', 'embeddings'],
    ['generate_content', 'generate_content'],
    ['execute_tool', 'tool'],
    ['invoke_agent', 'agent'],
    ['create_agent', 'agent'],
    ['invoke_workflow', 'workflow'],
    ['plan', 'workflow'],
    ['run_step', 'workflow'],
    ['agent_step', 'workflow'],
    ['conversation', 'workflow'],
    ['initiate_chats', 'workflow'],
    ['speaker_selection', 'workflow'],
    ['execute_code', 'tool'],
    ['image_generation', 'other'],
  ];
  for (const [name, expected] of table) {
    assert.equal(normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': name, 'gen_ai.request.model': 'm' }))?.operation, expected, name);
  }
});

test("a provider's own tools (server tool calls and their responses) are tool calls and results; a compaction stays as it came", () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'compaction', id: 'cmp_1', content: 'Earlier: the user asked about trains to Lyon.' }, { type: 'text', content: 'And the weather there?' }] },
        { role: 'user', parts: [{ type: 'compaction', id: 'cmp_2' }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        {
          role: 'assistant',
          parts: [
            { type: 'server_tool_call', id: 'srvtoolu_1', name: 'web_search', server_tool_call: { type: 'web_search', query: 'Lyon weather' } },
            { type: 'server_tool_call_response', id: 'srvtoolu_1', server_tool_call_response: { type: 'web_search_tool_result', content: [{ title: 'Lyon', url: 'https://example.com' }] } },
            { type: 'text', content: 'Light rain.' },
          ],
        },
      ]),
    }),
  );
  // The provider's summary of the conversation so far is no message of the user's: shown as the part it is.
  assert.deepEqual(llm?.inputMessages, [
    {
      role: 'user',
      content: [
        { type: 'other', value: { type: 'compaction', id: 'cmp_1', content: 'Earlier: the user asked about trains to Lyon.' } },
        { type: 'text', text: 'And the weather there?' },
      ],
    },
    { role: 'user', content: [{ type: 'other', value: { type: 'compaction', id: 'cmp_2' } }] },
  ]);
  assert.deepEqual(llm?.outputMessages, [
    {
      role: 'assistant',
      content: [
        { type: 'tool_result', result: '{"type":"web_search_tool_result","content":[{"title":"Lyon","url":"https://example.com"}]}', id: 'srvtoolu_1' },
        { type: 'text', text: 'Light rain.' },
      ],
      toolCalls: [{ name: 'web_search', arguments: '{"type":"web_search","query":"Lyon weather"}', id: 'srvtoolu_1' }],
    },
  ]);
});

test('a GenAI retrieval span shows the query as input and the documents as output', () => {
  // gen_ai.retrieval.* from @opentelemetry/semantic-conventions 1.45.0 (retrieval-documents schema: id, score).
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': 'kb-main',
      'gen_ai.retrieval.query.text': 'refund policy',
      'gen_ai.retrieval.documents': [
        { id: 'doc_123', score: 0.95 },
        { id: 'doc_456', score: 0.87 },
      ],
    }),
  );
  assert.equal(llm?.operation, 'retrieval');
  assert.equal(llm?.input, 'refund policy');
  assert.equal(llm?.output, '[1] doc_123 (score 0.95)\n\n[2] doc_456 (score 0.87)');
});

test('a memory search is a retrieval of its records; a memory write shows the records it stores', () => {
  const records = JSON.stringify([
    { id: 'mem_1', content: 'Prefers window seats.', score: 0.92, metadata: { user: 'u1' } },
    { id: 'mem_2', content: 'Travels to Lyon monthly.', score: 0.71 },
  ]);
  const search = normalizeLlmCall(
    rawSpan({ 'gen_ai.operation.name': 'search_memory', 'gen_ai.memory.store.id': 'prefs', 'gen_ai.memory.query.text': 'seat preference', 'gen_ai.memory.records': records }),
  );
  assert.deepEqual([search?.operation, search?.input], ['retrieval', 'seat preference']);
  assert.equal(search?.output, '[1] mem_1 (score 0.92)\nPrefers window seats.\n\n[2] mem_2 (score 0.71)\nTravels to Lyon monthly.');
  const write = normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'create_memory', 'gen_ai.memory.record.count': 1, 'gen_ai.memory.records': JSON.stringify([{ content: 'Prefers window seats.' }]) }));
  assert.deepEqual([write?.operation, write?.input, write?.output], ['other', '[1]\nPrefers window seats.', undefined]);
});

test('gen_ai.request.stream marks a streamed call', () => {
  const llm = normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.request.stream': true }));
  assert.equal(llm?.params.stream, true);
});

test('a span with a model and token usage but no operation name is a model call (embeddings by its model), without usage it stays "other"', () => {
  const base = { 'gen_ai.system': 'openai' };
  const chat = normalizeLlmCall(rawSpan({ ...base, 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 30, 'gen_ai.usage.output_tokens': 5 }, { name: 'llm' }));
  assert.equal(chat?.operation, 'chat');
  const embed = normalizeLlmCall(rawSpan({ ...base, 'gen_ai.request.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 8 }, { name: 'embed' }));
  assert.equal(embed?.operation, 'embeddings');
  const bare = normalizeLlmCall(rawSpan({ ...base, 'gen_ai.request.model': 'gpt-4o-mini' }, { name: 'setup' }));
  assert.equal(bare?.operation, 'other');
});
