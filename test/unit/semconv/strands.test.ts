// Strands Agents (Python): the spans and span events its telemetry/tracer.py records, in its default form
// (per-message events holding Bedrock Converse content blocks as JSON) and with
// OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental (operation-details events); values made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes, SpanEvent } from '../../../src/protocol/model';
import { rawSpan, spanEvent } from './spanBuilder';

const json = JSON.stringify;
const BEDROCK_MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const LEGACY = { 'gen_ai.system': 'strands-agents' };
const LATEST = { 'gen_ai.provider.name': 'strands-agents' };

const toolUse = { toolUseId: 'tooluse_Lyon1', name: 'get_weather', input: { city: 'Lyon' } };
const toolResult = { toolUseId: 'tooluse_Lyon1', status: 'success', content: [{ text: 'light rain, 11°C' }] };

function chatSpan(system: Attributes, events: SpanEvent[], model = BEDROCK_MODEL) {
  return normalizeSpan(
    rawSpan(
      {
        ...system,
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': model,
        'gen_ai.event.start_time': '2026-12-04T09:30:00.000000+00:00',
        'gen_ai.usage.prompt_tokens': 320,
        'gen_ai.usage.input_tokens': 320,
        'gen_ai.usage.completion_tokens': 18,
        'gen_ai.usage.output_tokens': 18,
        'gen_ai.usage.total_tokens': 338,
        'gen_ai.usage.cache_read_input_tokens': 1200,
        'gen_ai.usage.cache_write_input_tokens': 80,
        // Milliseconds, under the name OpenLIT uses for seconds.
        'gen_ai.server.time_to_first_token': 412,
        'gen_ai.server.request.duration': 1190,
      },
      { name: 'chat', events },
    ),
    [],
  );
}

const legacyEvents = [
  spanEvent('gen_ai.system.message', { content: json([{ text: 'You answer weather questions. Use the tool.' }]) }),
  spanEvent('gen_ai.user.message', { content: json([{ text: 'Umbrella in Lyon today?' }]) }),
  spanEvent('gen_ai.assistant.message', { content: json([{ text: 'Let me check.' }, { toolUse }]) }),
  spanEvent('gen_ai.tool.message', { content: json([{ toolResult }]) }),
  spanEvent('gen_ai.choice', { finish_reason: 'end_turn', message: json([{ text: 'Yes: light rain, 11°C.' }]) }),
];

const conversation = [
  { role: 'system', content: 'You answer weather questions. Use the tool.' },
  { role: 'user', content: 'Umbrella in Lyon today?' },
  { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'tooluse_Lyon1', name: 'get_weather', arguments: '{"city":"Lyon"}' }] },
  { role: 'tool', content: 'light rain, 11°C', toolCallId: 'tooluse_Lyon1' },
];

test('a Strands chat span (default form): the Converse blocks of its events as the conversation, Bedrock as provider, its prompt in three parts summed', () => {
  const llm = chatSpan(LEGACY, legacyEvents).llm;
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['strands', 'genai', 'genai-events']);
  assert.equal(llm.operation, 'chat');
  assert.deepEqual(llm.inputMessages, conversation);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Yes: light rain, 11°C.', finishReason: 'end_turn' }]);
  // Not "strands-agents": the framework is no provider; the model id is Bedrock's.
  assert.equal(llm.provider, 'aws.bedrock');
  // Bedrock leaves the cached parts out of its input count; the contract's input is the whole prompt.
  assert.deepEqual(llm.usage, { inputTokens: 1600, outputTokens: 18, totalTokens: 1618, cachedInputTokens: 1200, cacheCreationInputTokens: 80 });
  assert.equal(llm.timeToFirstTokenMs, 412);
  // Claude Sonnet 4: $3 in, $0.30 cache reads, $3.75 cache writes, $15 out per 1M tokens.
  assert.ok(llm.costUsd !== undefined && Math.abs(llm.costUsd - (320 * 3 + 1200 * 0.3 + 80 * 3.75 + 18 * 15) / 1e6) < 1e-12);
});

test('a Strands chat span (latest form): the operation-details events give the same conversation and answer', () => {
  const parts = (blocks: object[]) =>
    blocks.map((b) =>
      'text' in b ? { type: 'text', content: b.text } : 'toolUse' in b ? { type: 'tool_call', name: toolUse.name, id: toolUse.toolUseId, arguments: toolUse.input } : { type: 'tool_call_response', id: toolResult.toolUseId, response: toolResult.content },
    );
  const details = (attributes: Attributes) => spanEvent('gen_ai.client.inference.operation.details', attributes);
  const llm = chatSpan(LATEST, [
    details({ 'gen_ai.system_instructions': json(parts([{ text: 'You answer weather questions. Use the tool.' }])) }),
    details({
      'gen_ai.input.messages': json([
        { role: 'user', parts: parts([{ text: 'Umbrella in Lyon today?' }]) },
        { role: 'assistant', parts: parts([{ text: 'Let me check.' }, { toolUse }]) },
        { role: 'user', parts: parts([{ toolResult }]) },
      ]),
    }),
    details({ 'gen_ai.output.messages': json([{ role: 'assistant', parts: parts([{ text: 'Yes: light rain, 11°C.' }]), finish_reason: 'end_turn' }]) }),
  ]).llm;
  assert.ok(llm);
  assert.equal(llm.provider, 'aws.bedrock');
  assert.deepEqual(llm.inputMessages.slice(0, 3), conversation.slice(0, 3));
  // Strands sends tool results in a user turn, as Bedrock wants them.
  assert.deepEqual(llm.inputMessages[3], { role: 'user', content: 'light rain, 11°C', toolCallId: 'tooluse_Lyon1' });
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'Yes: light rain, 11°C.', finishReason: 'end_turn' }]);
});

test('a Strands model call on another provider: no provider named, its input count kept, the cache writes read', () => {
  const llm = chatSpan(LEGACY, legacyEvents, 'gpt-4o-mini').llm;
  assert.ok(llm);
  assert.equal(llm.provider, undefined);
  assert.deepEqual(llm.usage, { inputTokens: 320, outputTokens: 18, totalTokens: 338, cachedInputTokens: 1200, cacheCreationInputTokens: 80 });
});

test('a Strands tool span: its events are the tool input and result, not a conversation, in both forms', () => {
  const tool = (system: Attributes, events: SpanEvent[]) =>
    normalizeSpan(
      rawSpan(
        { ...system, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.id': 'tooluse_Lyon1', 'gen_ai.tool.status': 'success' },
        { name: 'execute_tool get_weather', events },
      ),
      [],
    ).llm;
  const expected = { name: 'get_weather', callId: 'tooluse_Lyon1', arguments: '{"city":"Lyon"}', result: 'light rain, 11°C' };
  const legacy = tool(LEGACY, [
    spanEvent('gen_ai.tool.message', { role: 'tool', content: json({ city: 'Lyon' }), id: 'tooluse_Lyon1' }),
    spanEvent('gen_ai.choice', { message: json([{ text: 'light rain, 11°C' }]), id: 'tooluse_Lyon1' }),
  ]);
  assert.ok(legacy);
  assert.equal(legacy.operation, 'tool');
  assert.deepEqual(legacy.tool, expected);
  assert.deepEqual([legacy.inputMessages, legacy.outputMessages], [[], []]);

  const latest = tool(LATEST, [
    spanEvent('gen_ai.client.inference.operation.details', {
      'gen_ai.input.messages': json([{ role: 'tool', parts: [{ type: 'tool_call', name: 'get_weather', id: 'tooluse_Lyon1', arguments: { city: 'Lyon' } }] }]),
    }),
    spanEvent('gen_ai.client.inference.operation.details', {
      'gen_ai.output.messages': json([{ role: 'tool', parts: [{ type: 'tool_call_response', id: 'tooluse_Lyon1', response: [{ text: 'light rain, 11°C' }] }] }]),
    }),
  ]);
  assert.ok(latest);
  assert.deepEqual(latest.tool, expected);
  assert.deepEqual([latest.inputMessages, latest.outputMessages], [[], []]);
});

test('Strands agent, event-loop and multi-agent spans: an agent, and workflow steps', () => {
  const operation = (name: string) => normalizeSpan(rawSpan({ ...LEGACY, 'gen_ai.operation.name': name }, { name }), []).llm?.operation;
  assert.equal(operation('invoke_agent'), 'agent');
  assert.equal(operation('execute_event_loop_cycle'), 'workflow');
  assert.equal(operation('invoke_swarm'), 'workflow');
  assert.equal(operation('invoke_graph'), 'workflow');
});

test('Converse media, reasoning and structured tool results become typed parts; bytes Strands could not encode are no data', () => {
  const llm = chatSpan(LEGACY, [
    spanEvent('gen_ai.user.message', {
      content: json([
        { text: 'What does this chart say?' },
        { image: { format: 'png', source: { bytes: '<replaced>' } } },
        { document: { format: 'pdf', name: 'forecast', source: { s3Location: { uri: 's3://weather/forecast.pdf' } } } },
        { cachePoint: { type: 'default' } },
      ]),
    }),
    spanEvent('gen_ai.tool.message', { content: json([{ toolResult: { toolUseId: 't1', status: 'success', content: [{ json: { rain: true } }] } }]) }),
    spanEvent('gen_ai.choice', {
      finish_reason: 'end_turn',
      message: json([{ reasoningContent: { reasoningText: { text: 'The chart shows rain.', signature: 'sig' } } }, { text: 'Rain all day.' }]),
    }),
  ]).llm;
  assert.ok(llm);
  assert.deepEqual(llm.inputMessages, [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What does this chart say?' },
        { type: 'image', mimeType: 'image/png' },
        { type: 'file', mimeType: 'application/pdf', uri: 's3://weather/forecast.pdf', name: 'forecast' },
      ],
    },
    { role: 'tool', content: '{"rain":true}', toolCallId: 't1' },
  ]);
  assert.deepEqual(llm.outputMessages[0].content, [
    { type: 'reasoning', text: 'The chart shows rain.' },
    { type: 'text', text: 'Rain all day.' },
  ]);
});

test('message text that only looks like content blocks stays text', () => {
  const llm = chatSpan(LEGACY, [spanEvent('gen_ai.user.message', { content: '[{"city": "Lyon"}, {"city": "Nantes"}]' })]).llm;
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: '[{"city": "Lyon"}, {"city": "Nantes"}]' }]);
});

test("Strands Agents' TypeScript SDK: its blocks' JSON, an answer's blocks flattened, its loop span, a renamed service as the system", () => {
  // src/telemetry/tracer.ts: messages are JSON.stringify(content) (the blocks' toJSON: Converse's shapes and
  // `{reasoning}`); a model's answer is `_mapContentBlocksToStableFormat` (`{text}`, `{type: 'toolUse', …}`);
  // `gen_ai.system` is the service name; the loop span has only its cycle id and the start time.
  const system = { 'gen_ai.system': 'weather-service', 'gen_ai.event.start_time': '2026-12-04T10:00:00.000Z' };
  const llm = normalizeSpan(
    rawSpan(
      { ...system, 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'us.amazon.nova-pro-v1:0', 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.output_tokens': 9 },
      {
        name: 'chat',
        events: [
          spanEvent('gen_ai.user.message', { content: json([{ text: 'Umbrella in Lyon?' }]) }),
          spanEvent('gen_ai.choice', {
            finish_reason: 'toolUse',
            message: json([{ reasoning: { text: 'The user wants the weather.' } }, { text: 'Checking.' }, { type: 'toolUse', name: 'get_weather', toolUseId: 't1', input: { city: 'Lyon' } }]),
          }),
        ],
      },
    ),
    [],
  ).llm;
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['strands', 'genai', 'genai-events']);
  assert.equal(llm.provider, 'aws.bedrock', 'not the service name');
  assert.deepEqual(llm.outputMessages, [
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'The user wants the weather.' },
        { type: 'text', text: 'Checking.' },
      ],
      toolCalls: [{ id: 't1', name: 'get_weather', arguments: '{"city":"Lyon"}' }],
      finishReason: 'toolUse',
    },
  ]);
  const loop = normalizeSpan(
    rawSpan({ 'agent_loop.cycle_id': 'c-1', 'gen_ai.event.start_time': '2026-12-04T10:00:00.000Z' }, { name: 'execute_agent_loop_cycle', events: [spanEvent('gen_ai.user.message', { content: json([{ text: 'Umbrella in Lyon?' }]) })] }),
    [],
  ).llm;
  assert.equal(loop?.operation, 'workflow', 'the history it carries makes it no model call');
});
