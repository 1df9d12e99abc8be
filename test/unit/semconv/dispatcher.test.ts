// The dispatcher: which spans are LLM calls at all, how readings from several conventions merge, and
// robustness against whatever arrives on the wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { logRecord, rawSpan, spanEvent } from './spanBuilder';

test('a non-LLM span returns undefined and stays a plain span', () => {
  const http = rawSpan(
    {
      'http.request.method': 'POST',
      'url.full': 'https://api.example.com/orders',
      'server.address': 'api.example.com',
      'http.response.status_code': 200,
      'code.filepath': 'app.py',
      'db.system': 'postgresql',
      'ai_feature_flag': true, // looks close, is not `ai.`
      'llmish': 'no',
    },
    { events: [spanEvent('exception', { 'exception.type': 'TimeoutError' })] },
  );
  assert.equal(normalizeLlmCall(http), undefined);
  assert.equal(normalizeLlmCall(http, [logRecord('app.log', 'hello')]), undefined);
});

test('a span whose gen_ai attributes carry nothing LLM-specific is not an LLM call', () => {
  assert.equal(normalizeLlmCall(rawSpan({ 'gen_ai.conversation.id': 'conv_1' })), undefined);
  assert.equal(normalizeLlmCall(rawSpan({ 'logfire.msg': 'hello', 'logfire.span_type': 'log' })), undefined);
});

test('provider names are normalized: API flavours dropped, OTel dotted names kept, all lower case', () => {
  const table: [string, string][] = [
    ['openai', 'openai'],
    ['OpenAI', 'openai'],
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['google.generative-ai', 'google'],
    ['google.vertex.chat', 'google.vertex'],
    ['az.ai.openai', 'az.ai.openai'],
    ['azure.ai.openai', 'azure.ai.openai'],
    ['AWS.Bedrock', 'aws.bedrock'],
    ['gcp.vertex_ai', 'gcp.vertex_ai'],
    ['ibm.watsonx.ai', 'ibm.watsonx.ai'],
  ];
  for (const [given, expected] of table) {
    const llm = normalizeLlmCall(rawSpan({ 'gen_ai.provider.name': given, 'gen_ai.operation.name': 'chat' }));
    assert.equal(llm?.provider, expected, given);
  }
});

test('merging: the first source with a field wins it, later sources fill what is empty, and all are listed', () => {
  // gen_ai attributes without content + the same call's messages as log records + OpenInference token details.
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 10,
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o-2024-08-06',
      'llm.token_count.prompt': 999,
      'llm.token_count.prompt_details.cache_read': 50,
    }),
    [logRecord('gen_ai.user.message', { content: 'hi' }), logRecord('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'hello' } })],
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['genai', 'genai-logs', 'openinference']);
  assert.equal(llm.usage.inputTokens, 100, 'gen_ai wins over OpenInference');
  assert.equal(llm.usage.cachedInputTokens, 50, 'OpenInference fills');
  assert.equal(llm.usage.totalTokens, 110, 'derived when nobody recorded it');
  assert.equal(llm.responseModel, 'gpt-4o-2024-08-06');
  assert.deepEqual(llm.inputMessages, [{ role: 'user', content: 'hi' }]);
  assert.deepEqual(llm.finishReasons, ['stop']);
});

const KEYS = [
  'gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system', 'gen_ai.request.model', 'gen_ai.input.messages',
  'gen_ai.output.messages', 'gen_ai.system_instructions', 'gen_ai.tool.definitions', 'gen_ai.response.finish_reasons',
  'gen_ai.request.stop_sequences', 'gen_ai.usage.input_tokens', 'gen_ai.tool.name', 'gen_ai.tool.call.arguments',
  'gen_ai.prompt', 'gen_ai.completion', 'gen_ai.prompt.0.content', 'gen_ai.prompt.0.role', 'gen_ai.completion.0.tool_calls.0.name',
  'gen_ai.prompt.x.role', 'gen_ai.prompt.', 'llm.request.functions.0.parameters', 'llm.usage.total_tokens',
  'openinference.span.kind', 'llm.input_messages.0.message.content', 'llm.input_messages.0.message.contents.0.message_content.type',
  'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments', 'llm.invocation_parameters', 'llm.tools.0.tool.json_schema',
  'input.value', 'output.value', 'tool.name', 'retrieval.documents.0.document.content', 'traceloop.span.kind', 'traceloop.entity.input',
  'traceloop.entity.output', 'llm.request.type', 'ai.operationId', 'ai.model.id', 'ai.prompt', 'ai.prompt.messages', 'ai.prompt.tools',
  'ai.prompt.toolChoice', 'ai.response.toolCalls', 'ai.response.text', 'ai.settings.stopSequences', 'ai.toolCall.name', 'ai.values',
  'logfire.msg_template', 'request_data', 'response_data', 'events', 'langsmith.span.kind', 'langfuse.observation.type',
  'langfuse.observation.input', 'langfuse.observation.output', 'langfuse.observation.usage_details', 'langfuse.observation.model.parameters',
  'langfuse.observation.cost_details', 'span.type', 'spanlight.made_from', 'model', 'input_tokens', 'cache_read_tokens', 'cost_usd', 'tool_name',
  'tool_input', 'user_prompt', 'stop_reason', 'gcp.vertex.agent.llm_request', 'gcp.vertex.agent.llm_response', 'gcp.vertex.agent.tool_call_args',
  'gcp.vertex.agent.tool_response', 'gen_ai.usage.cost', 'gen_ai.usage.cost.currency', 'gen_ai.response.time_to_first_chunk',
  'gen_ai.server.time_to_first_token', 'ai.response.msToFirstChunk', 'ttft_ms', 'langfuse.observation.completion_start_time',
  'mlflow.spanType', 'mlflow.spanInputs', 'mlflow.spanOutputs', 'mlflow.llm.model', 'mlflow.llm.provider', 'mlflow.chat.tokenUsage',
  'mlflow.chat.tools', 'mlflow.llm.cost', 'gen_ai.usage.cache_write_input_tokens', 'gen_ai.usage.cache_read_input_tokens',
  'mastra.span.type', 'mastra.agent_run.input', 'mastra.workflow_step.output', 'mastra.completion_start_time', 'name', 'input', 'output',
  'gen_ai.event.start_time', 'agent_loop.cycle_id', 'operation.cost', 'pydantic_ai.all_messages', 'final_result',
  'haystack.component.type', 'haystack.component.input', 'haystack.component.output', 'haystack.pipeline.input_data',
  'haystack.agent.output', 'haystack.tool.name', 'gen_ai.cost.total_cost', 'gen_ai.memory.records', 'gen_ai.memory.query.text',
  'gen_ai.request.reasoning.level', 'llm.cost.total', 'genkit:metadata:subtype', 'genkit:name', 'genkit:input', 'genkit:output', 'genkit:type',
];
const NASTY: JsonValue[] = [
  null, '', ' ', '[', '{', '[{', '{"a":', '"', 'null', '[null]', '[1,2]', '{"role":5,"parts":7}', '[{"parts":[null,5,"x",{"type":9}]}]',
  '[{"role":"user","content":{"deep":[{"x":null}]}}]', '{"choices":[null,{"message":7}]}', '{"messages":[[null,[1]]]}', 0, -1, 1e308,
  Number.NaN, true, false, [], {}, [[], {}], { messages: 'x' }, { choices: 'x', output: 3 }, [{ type: 'tool_call' }], [{ type: 'blob', content: 5 }],
  { generations: [[null, { message: { lc: 1, kwargs: null } }]] }, '\u0000\uffff', 'x'.repeat(10_000),
  '{"contents":[null,{"role":5,"parts":[null,{"function_call":7},{"function_response":{"response":null}},{"file_data":[]}]}],"config":{"tools":[null,{"function_declarations":"x"}],"system_instruction":[5,null]}}',
  '{"content":{"parts":"x"},"usage_metadata":{"prompt_token_count":"many"},"finish_reason":7}', 'llm_request', 'interaction', 'tool', 'claude_code events',
  '"CHAT_MODEL"', '"TOOL"', '"LLM"', '{"messages":"x","system":[null,7]}', '{"total_cost":"x"}', 'llm_call', 'tool_call', 'agent_call',
  // Names of Object's own members, where a lookup table could find a method instead of nothing.
  'constructor', 'toString', '__proto__', '{"constructor":{"parts":7},"toString":"x"}', '[{"type":"constructor","role":"hasOwnProperty","content":"x"}]',
  '{"lc":1,"type":"constructor","id":["langchain","schema","messages","constructor"],"kwargs":{"content":"hi","type":"constructor"}}',
  // Strands Agents: its system name, its operations, Bedrock ids and Converse blocks gone wrong.
  'strands-agents', 'execute_tool', 'execute_event_loop_cycle', 'invoke_swarm', 'us.anthropic.claude-sonnet-4-20250514-v1:0',
  '[{"toolUse":null},{"toolResult":{"content":7}},{"image":{"source":5}},{"reasoningContent":{"reasoningText":null}},{"citationsContent":{}},{"json":null}]',
  '[{"text":5},{"document":{"format":7,"source":{"s3Location":"x"}}},{"guardContent":{"text":null}},{"cachePoint":1}]',
  'agent_run', 'workflow_step', '2024-13-45T99:99:99Z', 'Function: {name}', 'Agent run: {name!r}',
  // Haystack: its component classes, and ChatMessages, replies and documents gone wrong.
  'OpenAIChatGenerator', 'OpenAIGenerator', 'InMemoryBM25Retriever', 'ToolInvoker', 'Agent',
  '{"messages":[null,{"role":"user","content":[null,{"tool_call":7},{"tool_call_result":{"origin":5}},{"image":{}},{"reasoning":null},{"file":[]}]}],"tools":[null,{"data":7}],"prompt":5}',
  '{"replies":[null,5,{"_role":"assistant","_content":"x","_meta":7},{"role":"assistant","content":[{"text":null}],"meta":{"usage":"x","model":3}}],"meta":"x","documents":[null,{"score":"x"}]}',
  // LiteLLM: structured messages with OpenAI's tool calls beside their parts.
  '[{"role":"assistant","parts":[],"tool_calls":[null,{"function":7},{"id":5,"function":{"name":"f","arguments":{}}}],"tool_call_id":9}]', 'acompletion',
  // GenAI's newer parts and memory records gone wrong.
  '[{"role":"assistant","parts":[{"type":"server_tool_call","server_tool_call":null},{"type":"server_tool_call_response"},{"type":"compaction","content":5}]}]',
  'search_memory', '[null,{"content":null,"score":"x","id":7},5]',
  // Genkit: subtypes, and requests and responses gone wrong.
  'model', 'tool.v2', 'retriever', 'googleai/gemini-2.5-flash',
  '{"messages":[null,{"role":"model","content":[null,{"toolRequest":5},{"toolResponse":{"ref":7}},{"media":{}},{"reasoning":3},{"data":null}]}],"config":7,"tools":"x"}',
  '{"candidates":[null,{"message":5,"finishReason":3}],"usage":{"inputTokens":"x","thoughtsTokens":null},"documents":[null,{"content":5,"metadata":[]}]}',
];

function hasFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(hasFunction);
}

test('malformed or unexpected values in any recognized attribute never throw and give plain data', () => {
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let round = 0; round < 1500; round++) {
    const attributes: Attributes = {};
    const count = 1 + next(8);
    for (let i = 0; i < count; i++) attributes[KEYS[next(KEYS.length)]] = NASTY[next(NASTY.length)];
    const events =
      next(3) === 0
        ? [
            spanEvent(['gen_ai.choice', 'gen_ai.user.message', 'gen_ai.content.prompt', 'gen_ai.tool.message', 'gen_ai.evaluation.result'][next(5)], {
              message: NASTY[next(NASTY.length)],
              content: NASTY[next(NASTY.length)],
              'gen_ai.event.content': NASTY[next(NASTY.length)],
              'gen_ai.evaluation.name': NASTY[next(NASTY.length)],
              'gen_ai.evaluation.score.value': NASTY[next(NASTY.length)],
            }),
          ]
        : [];
    const logs = next(3) === 0 ? [logRecord(['gen_ai.choice', 'gen_ai.tool.message', 'gen_ai.client.inference.operation.details'][next(3)], NASTY[next(NASTY.length)], { attributes: { 'gen_ai.input.messages': NASTY[next(NASTY.length)] } })] : [];
    const names = ['chat gpt-4o-mini', 'claude_code.llm_request', 'claude_code.interaction', 'call_llm', 'haystack.component.run', 'haystack.agent.run', 'haystack.agent.step.tool'];
    const name = names[next(names.length)];
    const llm = normalizeLlmCall(rawSpan(attributes, { events, name }), logs);
    // Plain data only: a function (a lookup table's inherited method, say) would vanish from the JSON API.
    assert.equal(hasFunction(llm), false, JSON.stringify(attributes).slice(0, 300));
  }
});

test('attribute and JSON keys named __proto__ stay plain data', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.prompt.0.__proto__': { polluted: true },
      'gen_ai.prompt.0.content': 'hi',
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.settings.__proto__': 'x',
      'openinference.span.kind': 'LLM',
      'llm.invocation_parameters': '{"__proto__":{"polluted":true},"temperature":1}',
    }),
  );
  assert.ok(llm);
  assert.equal(Object.getPrototypeOf(llm.params), Object.prototype);
  assert.equal(llm.params.temperature, 1);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("an operation, span kind or message type named after an Object member (constructor, toString) is that text, not Object's method", () => {
  for (const attributes of [{ 'gen_ai.operation.name': 'constructor' }, { 'openinference.span.kind': 'toString' }, { 'langfuse.observation.type': 'valueOf' }] as Attributes[]) {
    assert.equal(normalizeLlmCall(rawSpan(attributes))?.operation, 'other', JSON.stringify(attributes));
  }
  const typed = normalizeLlmCall(
    rawSpan({
      'langsmith.span.kind': 'llm',
      'gen_ai.prompt': JSON.stringify({ messages: [[{ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', 'constructor'], kwargs: { content: 'hi' } }]] }),
    }),
  );
  assert.equal(typeof typed?.inputMessages[0]?.role, 'string');
});
