// GenAI message events as log records and as span events. Log shapes are those of
// @opentelemetry/instrumentation-openai 0.21.0 (chat completions: `event.name` attribute, content in
// the body; Responses API: `gen_ai.client.inference.operation.details` with structured attributes);
// span-event shapes are the Azure SDK's (`gen_ai.event.content` JSON) and semconv 1.26's
// `gen_ai.content.prompt` / `gen_ai.content.completion`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import type { Attributes } from '../../../src/protocol/model';
import { deepFreeze, logRecord, rawSpan, spanEvent } from './spanBuilder';

// _startChatCompletionsSpan / _onChatCompletionsCreateResult span attributes.
const chatSpan: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.system': 'openai',
  'server.address': 'api.openai.com',
  'server.port': 443,
  'gen_ai.response.finish_reasons': ['tool_calls'],
  'gen_ai.response.id': 'chatcmpl-1',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.usage.input_tokens': 90,
  'gen_ai.usage.output_tokens': 20,
};

const T0 = '1732368000100000000';
const T1 = '1732368001200000000';
const chatLogs = [
  logRecord('gen_ai.system.message', { content: 'You are a support bot.' }, { time: T0 }),
  logRecord('gen_ai.user.message', { content: 'Where is order 42?' }, { time: T0 }),
  logRecord(
    'gen_ai.assistant.message',
    { tool_calls: [{ id: 'call_lookup', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":42}' } }] },
    { time: T0 },
  ),
  logRecord('gen_ai.tool.message', { id: 'call_lookup', content: '{"status":"shipped"}' }, { time: T0 }),
  logRecord(
    'gen_ai.choice',
    {
      finish_reason: 'tool_calls',
      index: 0,
      message: { tool_calls: [{ id: 'call_track', type: 'function', function: { name: 'track_parcel', arguments: '{"parcel":"XY1"}' } }] },
    },
    { time: T1 },
  ),
];

test('log records provide the messages of a span that only has metadata attributes', () => {
  const llm = normalizeLlmCall(rawSpan(chatSpan), chatLogs);
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['genai', 'genai-logs']);
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.serverAddress, 'api.openai.com');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a support bot.' },
    { role: 'user', content: 'Where is order 42?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_lookup', name: 'lookup_order', arguments: '{"order_id":42}' }] },
    { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'call_lookup' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_track', name: 'track_parcel', arguments: '{"parcel":"XY1"}' }], finishReason: 'tool_calls' },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 90, outputTokens: 20, totalTokens: 110 });
});

test('log records arriving out of order are ordered by time, then emission order, then choice index', () => {
  const choices = [
    logRecord('gen_ai.choice', { index: 1, finish_reason: 'stop', message: { content: 'Second' } }, { time: T1 }),
    logRecord('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'First' } }, { time: T1 }),
  ];
  const llm = normalizeLlmCall(rawSpan(chatSpan), [...choices, ...chatLogs.slice(0, 2).reverse()]);
  assert.deepEqual(
    llm?.inputMessages.map((m) => m.content),
    ['Where is order 42?', 'You are a support bot.'],
    'same timestamp: emission order is all there is',
  );
  assert.deepEqual(
    llm?.outputMessages.map((m) => m.content),
    ['First', 'Second'],
  );
});

test('log records of other spans and non-GenAI records are ignored', () => {
  const logs = [
    logRecord('gen_ai.user.message', { content: 'not mine' }, { spanId: 'ffffffffffffffff' }),
    { ...logRecord('app.log', 'hello'), attributes: {} },
    logRecord('gen_ai.user.message', { content: 'mine' }, { eventNameField: true }),
  ];
  const llm = normalizeLlmCall(rawSpan(chatSpan), logs);
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: 'mine' }]);
});

test('a streamed chat choice keeps the content and tool calls the instrumentation assembled', () => {
  // _onChatCompletionsStreamIterator concatenates delta.content and tool-call argument chunks.
  const llm = normalizeLlmCall(rawSpan({ ...chatSpan, 'gen_ai.response.finish_reasons': ['stop'] }), [
    logRecord('gen_ai.user.message', { content: 'Count to 3' }),
    logRecord('gen_ai.choice', { finish_reason: 'stop', index: 0, message: { content: '1, 2, 3' } }, { time: T1 }),
  ]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: '1, 2, 3', finishReason: 'stop' }]);
});

test('operation-details records of the Responses API give structured input and a streamed output joined into one message', () => {
  const details = 'gen_ai.client.inference.operation.details';
  const logs = [
    logRecord(details, null, {
      eventNameField: true,
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.input.messages': [
          { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
          { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
        ],
      },
    }),
    // One event per `response.output_item.done` while streaming.
    logRecord(details, null, {
      eventNameField: true,
      time: T1,
      attributes: { 'gen_ai.output.messages': [{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'reasoning', text: 'Look it up.' }] }] },
    }),
    logRecord(details, null, {
      eventNameField: true,
      time: T1,
      attributes: { 'gen_ai.output.messages': [{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Rainy, 14°C.' }] }] },
    }),
  ];
  const llm = normalizeLlmCall(
    rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1-mini' }),
    logs,
  );
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  assert.deepEqual(llm?.outputMessages, [
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Look it up.' },
        { type: 'text', text: 'Rainy, 14°C.' },
      ],
      finishReason: 'stop',
    },
  ]);
});

test('message events on the span with their body as JSON in gen_ai.event.content are merged with the attributes', () => {
  const events = [
    spanEvent('gen_ai.user.message', { 'gen_ai.system': 'az.ai.inference', 'gen_ai.event.content': '{"role": "user", "content": "Hello"}' }),
    spanEvent('gen_ai.choice', {
      'gen_ai.system': 'az.ai.inference',
      'gen_ai.event.content': '{"finish_reason": "stop", "index": 0, "message": {"content": "Hi! How can I help?"}}',
    }),
  ];
  const llm = normalizeLlmCall(
    rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'az.ai.inference', 'gen_ai.request.model': 'Phi-4' }, { events }),
  );
  assert.deepEqual(llm?.convention, ['genai', 'genai-events']);
  assert.equal(llm?.provider, 'az.ai.inference');
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: 'Hello' }]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Hi! How can I help?', finishReason: 'stop' }]);
});

test('older span events carry the body fields as attributes, tool calls as JSON text', () => {
  const events = [
    spanEvent('gen_ai.user.message', { content: 'Weather?' }),
    spanEvent('gen_ai.choice', {
      index: 0,
      finish_reason: 'tool_calls',
      message: '{"tool_calls":[{"id":"c1","type":"function","function":{"name":"weather","arguments":"{}"}}]}',
    }),
  ];
  const llm = normalizeLlmCall(rawSpan({}, { events }));
  assert.deepEqual(llm?.convention, ['genai-events']);
  assert.equal(llm?.operation, 'chat');
  assert.deepEqual(llm?.outputMessages[0].toolCalls, [{ id: 'c1', name: 'weather', arguments: '{}' }]);
});

test('semconv 1.26 gen_ai.content.prompt and .completion events hold the messages as JSON', () => {
  const events = [
    spanEvent('gen_ai.content.prompt', { 'gen_ai.prompt': '[{"role": "user", "content": "Tell me a joke"}]' }),
    spanEvent('gen_ai.content.completion', { 'gen_ai.completion': '[{"role": "assistant", "content": "Why did the span end?"}]' }),
  ];
  const llm = normalizeLlmCall(rawSpan({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4' }, { events }));
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: 'Tell me a joke' }]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Why did the span end?' }]);
});

test("Bedrock's Converse through the official botocore instrumentation: content blocks in the bodies, each tool call once", () => {
  // Its bedrock_utils.message_to_event: the content as sent, an assistant's tool uses again as `tool_calls`, a user
  // turn's tool results also as a `gen_ai.tool.message` before it; the choice without content when it calls a tool.
  const bedrock = { attributes: { 'gen_ai.system': 'aws.bedrock' } };
  const call = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': 'aws.bedrock',
    'gen_ai.request.model': 'amazon.nova-pro-v1:0',
  };
  const toolUse = { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Lyon' } };
  const llm = normalizeLlmCall(rawSpan(call), [
    logRecord('gen_ai.user.message', { content: [{ text: 'Umbrella in Lyon?' }] }, { ...bedrock, time: '1' }),
    logRecord(
      'gen_ai.assistant.message',
      { content: [{ text: 'Checking.' }, { toolUse }], tool_calls: [{ type: 'function', id: 'tooluse_1', function: { name: 'get_weather', arguments: { city: 'Lyon' } } }] },
      { ...bedrock, time: '2' },
    ),
    logRecord('gen_ai.tool.message', { id: 'tooluse_1', content: [{ json: { rain: true } }] }, { ...bedrock, time: '3' }),
    logRecord('gen_ai.choice', { index: 0, finish_reason: 'end_turn', message: { role: 'assistant', content: [{ text: 'Yes, take one.' }] } }, { ...bedrock, time: '4' }),
  ]);
  assert.ok(llm);
  assert.deepEqual(llm.inputMessages, [
    { role: 'user', content: 'Umbrella in Lyon?' },
    { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'tooluse_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }] },
    { role: 'tool', content: '{"rain":true}', toolCallId: 'tooluse_1' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Yes, take one.', finishReason: 'end_turn' }]);
});

test("Google's Gen AI SDK instrumentation: Gemini Contents in the log bodies, the answer in the choice's content", () => {
  // Its generate_content.py (default mode): the user's Content and each candidate's, dumped with every field
  // (unset ones null), the system instruction as text.
  const part = (fields: Record<string, unknown>) => ({ text: null, function_call: null, function_response: null, inline_data: null, file_data: null, thought: null, ...fields });
  const gemini = { attributes: { 'gen_ai.system': 'gemini' } };
  const llm = normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'generate_content', 'gen_ai.system': 'gemini', 'gen_ai.request.model': 'gemini-2.5-flash' }), [
    logRecord('gen_ai.system.message', { content: 'Answer briefly.' }, { ...gemini, time: '1' }),
    logRecord('gen_ai.user.message', { content: { role: 'user', parts: [part({ text: 'Umbrella in Lyon?' })] } }, { ...gemini, time: '2' }),
    logRecord(
      'gen_ai.choice',
      { index: 0, finish_reason: 'STOP', content: { role: 'model', parts: [part({ text: 'Checking', thought: true }), part({ function_call: { id: null, name: 'get_weather', args: { city: 'Lyon' } } })] } },
      { ...gemini, time: '3' },
    ),
  ]);
  assert.ok(llm);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: 'Umbrella in Lyon?' },
  ]);
  assert.equal(llm.outputMessages.length, 1);
  assert.equal(llm.outputMessages[0].role, 'assistant');
  assert.deepEqual(llm.outputMessages[0].content, [{ type: 'reasoning', text: 'Checking' }]);
  assert.deepEqual(llm.outputMessages[0].toolCalls?.map((c) => [c.name, c.arguments]), [['get_weather', '{"city":"Lyon"}']]);
  assert.equal(llm.outputMessages[0].finishReason, 'STOP');
});

test('normalization reads frozen input without mutating it', () => {
  const span = deepFreeze(rawSpan(chatSpan));
  const logs = deepFreeze(chatLogs.map((l) => structuredClone(l)));
  assert.doesNotThrow(() => normalizeLlmCall(span, logs));
});

test("the Vertex AI instrumentation's events: Gemini parts as content, role `model`, the calls beside the choice's message", () => {
  // Its events.py / utils.py: parts as proto dicts, the request's model turns with role `model`, tool calls on the body.
  const vertex = { attributes: { 'gen_ai.system': 'vertex_ai' } };
  const llm = normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'vertex_ai', 'gen_ai.request.model': 'gemini-2.5-pro' }), [
    logRecord('gen_ai.user.message', { role: 'user', content: [{ text: 'Umbrella in Lyon?' }] }, { ...vertex, time: '1' }),
    logRecord('gen_ai.assistant.message', { role: 'model', content: [{ function_call: { name: 'get_weather', args: { city: 'Lyon' } } }] }, { ...vertex, time: '2' }),
    logRecord('gen_ai.user.message', { role: 'user', content: [{ function_response: { name: 'get_weather', response: { rain: true } } }] }, { ...vertex, time: '3' }),
    logRecord(
      'gen_ai.choice',
      {
        finish_reason: 'stop',
        index: 0,
        message: { role: 'model', content: [{ function_call: { name: 'get_forecast', args: { city: 'Lyon' } } }] },
        tool_calls: [{ id: 'get_forecast_0', type: 'function', function: { name: 'get_forecast', arguments: { city: 'Lyon' } } }],
      },
      { ...vertex, time: '4' },
    ),
  ]);
  assert.ok(llm);
  // A function response keeps the role it was recorded with, as every convention's tool results do.
  assert.deepEqual(llm.inputMessages.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.equal(llm.inputMessages[0].content, 'Umbrella in Lyon?');
  assert.deepEqual(llm.inputMessages[1].toolCalls?.map((c) => [c.name, c.arguments]), [['get_weather', '{"city":"Lyon"}']]);
  assert.equal(llm.inputMessages[2].content, '{"rain":true}');
  assert.equal(llm.outputMessages[0].role, 'assistant');
  assert.deepEqual(llm.outputMessages[0].toolCalls, [{ id: 'get_forecast_0', name: 'get_forecast', arguments: '{"city":"Lyon"}' }], 'once, with the id it was given');
});

test('evaluation results, as span events and as log records, are the call\'s evaluations; one without a metric name is no evaluation', () => {
  const evaluation = (name: string | undefined, extra: Attributes = {}): Attributes => ({ ...(name ? { 'gen_ai.evaluation.name': name } : {}), ...extra });
  const llm = normalizeLlmCall(
    rawSpan(
      { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10 },
      { events: [spanEvent('gen_ai.evaluation.result', evaluation('Relevance', { 'gen_ai.evaluation.score.value': 4, 'gen_ai.evaluation.score.label': 'relevant' }))] },
    ),
    [
      logRecord('gen_ai.evaluation.result', null, {
        attributes: evaluation('Groundedness', { 'gen_ai.evaluation.score.value': 0.5, 'gen_ai.evaluation.explanation': 'One claim has no source.' }),
      }),
      logRecord('gen_ai.evaluation.result', null, { attributes: evaluation(undefined, { 'gen_ai.evaluation.score.value': 1 }) }),
    ],
  );
  assert.equal(llm?.operation, 'chat');
  assert.deepEqual(llm?.evaluations, [
    { name: 'Relevance', score: 4, label: 'relevant' },
    { name: 'Groundedness', score: 0.5, explanation: 'One claim has no source.' },
  ]);
  // A span evaluated and nothing else: the evaluation still shows.
  const alone = normalizeLlmCall(rawSpan({}, { events: [spanEvent('gen_ai.evaluation.result', evaluation('Toxicity', { 'gen_ai.evaluation.score.label': 'pass' }))] }));
  assert.deepEqual([alone?.operation, alone?.evaluations], ['other', [{ name: 'Toxicity', label: 'pass' }]]);
});
