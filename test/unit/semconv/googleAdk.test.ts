// Google ADK (google-adk, Python): the attributes its tracing.py sets on `call_llm` and `execute_tool`
// spans, with a request and response in the shape of its LlmRequest / LlmResponse JSON; values made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

const ADK = {
  'gen_ai.system': 'gcp.vertex.agent',
  'gcp.vertex.agent.invocation_id': 'e-4f1c',
  'gcp.vertex.agent.session_id': 'session-7',
  'gcp.vertex.agent.event_id': 'ev-1',
};

const request = {
  model: 'gemini-2.5-flash',
  config: {
    system_instruction: 'You answer questions about the weather. Use the tool.',
    temperature: 0.2,
    max_output_tokens: 512,
    tools: [
      { function_declarations: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] },
      { google_search: {} },
    ],
  },
  contents: [
    { role: 'user', parts: [{ text: 'Is it raining in Lyon?' }] },
    { role: 'model', parts: [{ function_call: { id: 'adk-7', name: 'get_weather', args: { city: 'Lyon' } } }] },
    { role: 'user', parts: [{ function_response: { id: 'adk-7', name: 'get_weather', response: { result: 'light rain, 11°C' } } }] },
  ],
};

const response = {
  model_version: 'gemini-2.5-flash-001',
  content: { role: 'model', parts: [{ text: 'Thinking about the forecast', thought: true }, { text: 'Yes: light rain, 11°C.' }] },
  finish_reason: 'STOP',
  usage_metadata: { prompt_token_count: 240, candidates_token_count: 12, thoughts_token_count: 30, cached_content_token_count: 200, total_token_count: 282 },
};

test('an ADK call_llm span: the conversation from its request JSON, the answer and usage from its response, counted as a model call', () => {
  const span = normalizeSpan(
    rawSpan(
      {
        ...ADK,
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.request.max_tokens': 512,
        'gcp.vertex.agent.llm_request': JSON.stringify(request),
        'gcp.vertex.agent.llm_response': JSON.stringify(response),
        'gen_ai.usage.input_tokens': 240,
        'gen_ai.usage.output_tokens': 12,
        'gen_ai.response.finish_reasons': ['stop'],
      },
      { name: 'call_llm' },
    ),
    [],
  );
  const llm = span.llm;
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['google-adk', 'genai']);
  assert.equal(llm.operation, 'generate_content', 'a model call: counted in the trace summary with its tokens');
  assert.equal(llm.provider, 'gcp.gen_ai', "the model's provider, not ADK's tracer name");
  assert.equal(llm.requestModel, 'gemini-2.5-flash');
  assert.equal(llm.responseModel, 'gemini-2.5-flash-001');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You answer questions about the weather. Use the tool.' },
    { role: 'user', content: 'Is it raining in Lyon?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'adk-7', name: 'get_weather', arguments: '{"city":"Lyon"}' }] },
    { role: 'tool', content: '{"result":"light rain, 11°C"}', toolCallId: 'adk-7' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Thinking about the forecast' },
        { type: 'text', text: 'Yes: light rain, 11°C.' },
      ],
      finishReason: 'stop',
    },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 240, outputTokens: 42, cachedInputTokens: 200, reasoningTokens: 30, totalTokens: 282 }, 'thinking tokens are billed output');
  assert.equal(llm.params.temperature, 0.2);
  assert.equal(llm.params.max_tokens, 512);
  assert.deepEqual(llm.params.tools?.map((t) => t.name), ['get_weather', 'google_search']);
  assert.ok(llm.costUsd !== undefined && llm.costUsd > 0, 'priced');
});

test('an ADK tool span: its name and call id from GenAI, its arguments and result from ADK', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        ...ADK,
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.type': 'FunctionTool',
        'gen_ai.tool.call.id': 'adk-7',
        'gcp.vertex.agent.llm_request': '{}',
        'gcp.vertex.agent.llm_response': '{}',
        'gcp.vertex.agent.tool_call_args': '{"city": "Lyon"}',
        'gcp.vertex.agent.tool_response': '{"result": "light rain, 11°C"}',
      },
      { name: 'execute_tool get_weather' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'get_weather', callId: 'adk-7', arguments: '{"city": "Lyon"}', result: '{"result": "light rain, 11°C"}' });
});

test('content capture off (ADK writes {}), LiteLLM models, and malformed JSON', () => {
  const off = normalizeLlmCall(
    rawSpan({ ...ADK, 'gen_ai.request.model': 'gemini-2.5-pro', 'gcp.vertex.agent.llm_request': {}, 'gcp.vertex.agent.llm_response': {}, 'gen_ai.usage.input_tokens': 5 }, { name: 'call_llm' }),
  );
  assert.equal(off?.requestModel, 'gemini-2.5-pro');
  assert.equal(off?.usage.inputTokens, 5);
  assert.deepEqual(off?.inputMessages, []);

  const lite = normalizeLlmCall(
    rawSpan({ ...ADK, 'gen_ai.request.model': 'openai/gpt-4o', 'gcp.vertex.agent.llm_request': JSON.stringify({ model: 'openai/gpt-4o', contents: [] }) }, { name: 'call_llm' }),
  );
  assert.equal(lite?.provider, 'openai');
  assert.equal(lite?.operation, 'generate_content');

  const broken = normalizeLlmCall(rawSpan({ ...ADK, 'gcp.vertex.agent.llm_request': '{"model": "gemini-2.5-fl', 'gcp.vertex.agent.llm_response': '[1,2]' }, { name: 'call_llm' }));
  assert.equal(broken?.operation, 'generate_content', 'a model call, whose JSON was cut');
  assert.deepEqual(broken?.inputMessages, []);
  assert.equal(broken?.usage.inputTokens, undefined);

  // Other ADK spans (invoke_agent, the invocation) carry its ids but are no model call.
  const agent = normalizeLlmCall(rawSpan({ ...ADK, 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'weather_agent' }, { name: 'invoke_agent weather_agent' }));
  assert.equal(agent?.operation, 'agent');
  assert.deepEqual(agent?.convention, ['genai']);
  const agentWithModel = normalizeLlmCall(rawSpan({ ...ADK, 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'gemini-2.5-flash' }, { name: 'invoke_agent weather_agent' }));
  assert.equal(agentWithModel?.operation, 'agent', 'a named operation is kept');
});
