// Spans of every convention with messages longer than the ingest hot path's preview keeps (splitTraces.ts),
// in the forms that keep a call's model or token usage inside a JSON attribute beside the messages
// (Logfire, LangSmith, Traceloop, OpenInference), and two that do not (OTel GenAI, Vercel AI SDK).
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { encodeTraceRequest, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';

/** Longer than the preview keeps, as a real prompt or answer is. */
const LONG = 'Please summarize the attached quarterly report in three bullet points. '.repeat(40);
const lc = (kind: string, kwargs: Record<string, unknown>) => ({ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', kind], kwargs });

function anyValue(value: JsonValue): object {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { stringValue: JSON.stringify(value) };
}

function keyValues(attributes: Attributes): object[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** An export of one span. */
export function exportOf(attributes: Attributes, name: string): Buffer {
  return encodeTraceRequest(traceRequestObject([protoSpan({ name, attributes: keyValues(attributes) })]));
}

/** One export of every case, each span in a trace of its own. */
export function exportOfAll(): Buffer {
  const spans = longSpanCases.map((c, i) =>
    protoSpan({
      name: c.name,
      attributes: keyValues(c.attributes),
      traceId: Buffer.alloc(16, i + 1),
      spanId: Buffer.alloc(8, i + 1),
    }),
  );
  return encodeTraceRequest(traceRequestObject(spans));
}

export const longSpanCases: { convention: string; name: string; attributes: Attributes }[] = [
  {
    convention: 'Logfire before gen_ai.* (request_data / response_data only)',
    name: 'Chat Completion with gpt-4o',
    attributes: {
      'logfire.span_type': 'span',
      'logfire.msg_template': 'Chat Completion with {request_data[model]!r}',
      request_data: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: LONG }], temperature: 0 }),
      response_data: JSON.stringify({
        message: { role: 'assistant', content: LONG },
        usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
      }),
    },
  },
  {
    convention: 'LangSmith chat-model run (usage in gen_ai.completion)',
    name: 'ChatOpenAI',
    attributes: {
      'langsmith.span.kind': 'llm',
      'langsmith.trace.name': 'ChatOpenAI',
      'gen_ai.system': 'openai',
      'langsmith.metadata.ls_provider': 'openai',
      'langsmith.metadata.ls_model_name': 'gpt-4o-mini',
      'gen_ai.prompt': JSON.stringify({ messages: [[lc('HumanMessage', { content: LONG, type: 'human' })]] }),
      'gen_ai.completion': JSON.stringify({
        generations: [
          [
            {
              text: LONG,
              type: 'ChatGeneration',
              message: lc('AIMessage', {
                content: LONG,
                type: 'ai',
                response_metadata: { finish_reason: 'stop', model_name: 'gpt-4o-mini-2024-07-18' },
                usage_metadata: { input_tokens: 1200, output_tokens: 300, total_tokens: 1500 },
              }),
            },
          ],
        ],
        llm_output: { model_name: 'gpt-4o-mini-2024-07-18' },
        type: 'LLMResult',
      }),
    },
  },
  {
    convention: 'LangSmith wrap_openai run (OpenAI bodies in gen_ai.prompt / gen_ai.completion)',
    name: 'ChatOpenAI',
    attributes: {
      'langsmith.span.kind': 'llm',
      'gen_ai.system': 'openai',
      'gen_ai.prompt': JSON.stringify({ messages: [{ role: 'user', content: LONG }], model: 'gpt-4o-mini' }),
      'gen_ai.completion': JSON.stringify({
        choices: [{ index: 0, message: { role: 'assistant', content: LONG }, finish_reason: 'stop' }],
        model: 'gpt-4o-mini-2024-07-18',
        usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 },
      }),
    },
  },
  {
    convention: 'Traceloop workflow task given an OpenAI request (model in traceloop.entity.input)',
    name: 'answer.task',
    attributes: {
      'traceloop.span.kind': 'task',
      'traceloop.entity.name': 'answer',
      'traceloop.entity.input': JSON.stringify({ args: [], kwargs: { model: 'gpt-4o', messages: [{ role: 'user', content: LONG }] } }),
      'traceloop.entity.output': JSON.stringify({ choices: [{ message: { role: 'assistant', content: LONG }, finish_reason: 'stop' }] }),
    },
  },
  {
    convention: 'OpenInference with the model only in llm.invocation_parameters (long tool schemas)',
    name: 'ChatCompletion',
    attributes: {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.invocation_parameters': JSON.stringify({ model: 'gpt-4o', tools: [{ type: 'function', function: { name: 'search', description: LONG } }] }),
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': LONG,
      'llm.token_count.prompt': 1200,
      'llm.token_count.completion': 300,
    },
  },
  {
    convention: 'OTel GenAI structured messages',
    name: 'chat gpt-4o',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: LONG }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: LONG }], finish_reason: 'stop' }]),
    },
  },
  {
    convention: 'Google ADK (answering model and usage in gcp.vertex.agent.llm_response)',
    name: 'call_llm',
    attributes: {
      'gen_ai.system': 'gcp.vertex.agent',
      'gen_ai.request.model': 'gemini-2.5-flash',
      'gcp.vertex.agent.llm_request': JSON.stringify({ model: 'gemini-2.5-flash', config: {}, contents: [{ role: 'user', parts: [{ text: LONG }] }] }),
      'gcp.vertex.agent.llm_response': JSON.stringify({
        model_version: 'gemini-2.5-pro',
        content: { role: 'model', parts: [{ text: LONG }] },
        usage_metadata: { prompt_token_count: 1200, candidates_token_count: 300, thoughts_token_count: 90, cached_content_token_count: 1000 },
      }),
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
    },
  },
  {
    convention: 'Vercel AI SDK',
    name: 'ai.generateText.doGenerate',
    attributes: {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.id': 'gpt-4o',
      'ai.model.provider': 'openai.chat',
      'ai.prompt.messages': JSON.stringify([{ role: 'user', content: [{ type: 'text', text: LONG }] }]),
      'ai.response.text': LONG,
      'ai.usage.promptTokens': 1200,
      'ai.usage.completionTokens': 300,
    },
  },
  {
    convention: 'Vercel AI SDK through OpenRouter (its charge in ai.response.providerMetadata, beside the reasoning)',
    name: 'ai.generateText.doGenerate',
    attributes: {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.id': 'meta-llama/llama-3.3-70b-instruct',
      'ai.model.provider': 'openrouter.chat',
      'ai.prompt.messages': JSON.stringify([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]),
      'ai.response.text': 'hello',
      'ai.response.providerMetadata': JSON.stringify({
        openrouter: {
          provider: 'DeepInfra',
          reasoning_details: [{ type: 'reasoning.text', text: LONG }],
          usage: { promptTokens: 1200, completionTokens: 300, totalTokens: 1500, cost: 0.000162 },
        },
      }),
      'ai.usage.inputTokens': 1200,
      'ai.usage.outputTokens': 300,
    },
  },
  {
    convention: 'Logfire with a long message (the display name, cut to a title)',
    name: 'Chat Completion with {request_data[model]!r}',
    attributes: {
      'logfire.span_type': 'span',
      'logfire.msg_template': 'Chat Completion with {request_data[model]!r}',
      'logfire.msg': `Chat Completion with 'gpt-4o' for ${LONG}`,
      request_data: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      response_data: JSON.stringify({ message: { role: 'assistant', content: 'hello' }, usage: { prompt_tokens: 12, completion_tokens: 3 } }),
    },
  },
  {
    convention: "Genkit (the usage in genkit:output, beside the answer)",
    name: 'googleai/gemini-2.5-flash',
    attributes: {
      'genkit:type': 'action',
      'genkit:metadata:subtype': 'model',
      'genkit:name': 'googleai/gemini-2.5-flash',
      'genkit:input': JSON.stringify({ messages: [{ role: 'user', content: [{ text: LONG }] }] }),
      'genkit:output': JSON.stringify({ message: { role: 'model', content: [{ text: LONG }] }, finishReason: 'stop', usage: { inputTokens: 1200, outputTokens: 300, thoughtsTokens: 40 } }),
    },
  },
  {
    convention: "Haystack's own tracer (model and usage in the reply's meta, in haystack.component.output)",
    name: 'haystack.component.run',
    attributes: {
      'haystack.component.name': 'llm',
      'haystack.component.type': 'OpenAIChatGenerator',
      'haystack.component.visits': 1,
      'haystack.component.input': JSON.stringify({ messages: [{ role: 'user', meta: {}, name: null, content: [{ text: LONG }] }] }),
      'haystack.component.output': JSON.stringify({
        replies: [
          {
            role: 'assistant',
            meta: { model: 'gpt-4o-2024-08-06', index: 0, finish_reason: 'stop', usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500 } },
            name: null,
            content: [{ text: LONG }],
          },
        ],
      }),
    },
  },
];

/**
 * Attribute sets of each convention in one call's worth of keys, every message text short or long at
 * random (`random` in [0, 1)): for mixing into random spans (two conventions at once, keys dropped).
 */
export function conventionAttributes(random: () => number): Attributes[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const text = () => (random() < 0.5 ? 'a short message' : LONG);
  const model = () => pick(['gpt-4o', 'gpt-4o-mini-2024-07-18', 'claude-sonnet-4-20250514', 'acme-local-llm', 'gemini-2.5-flash']);
  const messages = () => JSON.stringify([{ role: 'user', content: text() }]);
  const openAiResponse = () => JSON.stringify({ choices: [{ message: { role: 'assistant', content: text() } }], usage: { prompt_tokens: 11, completion_tokens: 12 }, model: model() });
  return [
    {
      'gen_ai.operation.name': pick(['chat', 'embeddings', 'text_completion', 'execute_tool', 'invoke_agent']),
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model(),
      'gen_ai.response.model': model(),
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 20,
      // OpenLIT's reported cost: the cost of the models the price table lacks.
      'gen_ai.usage.cost': 0.004,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text() }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text() }] }]),
    },
    {
      'gen_ai.system': 'openai',
      'gen_ai.request.model': model(),
      'llm.request.type': 'chat',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': text(),
      'gen_ai.completion.0.content': text(),
      'gen_ai.usage.prompt_tokens': 100,
      'gen_ai.usage.completion_tokens': 40,
      'llm.usage.total_tokens': 140,
    },
    {
      'openinference.span.kind': pick(['LLM', 'CHAIN', 'EMBEDDING']),
      'llm.model_name': model(),
      'llm.provider': 'openai',
      'llm.token_count.prompt': 100,
      'llm.token_count.completion': 20,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': text(),
      'input.value': messages(),
      'output.value': openAiResponse(),
      'llm.invocation_parameters': JSON.stringify({ model: model(), temperature: 0.3, tools: [{ description: text() }] }),
    },
    {
      'traceloop.span.kind': pick(['workflow', 'task', 'agent', 'tool']),
      'traceloop.entity.name': 'answer',
      'traceloop.entity.input': JSON.stringify({ args: [], kwargs: { model: model(), messages: [{ role: 'user', content: text() }] } }),
      'traceloop.entity.output': openAiResponse(),
    },
    {
      'ai.operationId': pick(['ai.generateText', 'ai.generateText.doGenerate', 'ai.streamText.doStream', 'ai.embed']),
      'ai.model.id': model(),
      'ai.model.provider': 'openai.chat',
      'ai.prompt.messages': messages(),
      'ai.prompt': JSON.stringify({ prompt: text() }),
      'ai.response.text': text(),
      'ai.response.model': model(),
      'ai.usage.promptTokens': 100,
      'ai.usage.completionTokens': 10,
      'ai.response.providerMetadata': JSON.stringify({ openai: { cachedPromptTokens: 30, reasoning: text() } }),
    },
    {
      'logfire.msg_template': pick(['Chat Completion with {request_data[model]!r}', 'Message with {request_data[model]!r}', 'Embedding Creation with {request_data[model]!r}']),
      request_data: JSON.stringify({ model: model(), messages: [{ role: 'user', content: text() }] }),
      response_data: JSON.stringify({ message: { role: 'assistant', content: text() }, usage: { prompt_tokens: 10, completion_tokens: 5, input_tokens: 10, output_tokens: 5 } }),
      events: JSON.stringify([{ event_name: 'gen_ai.user.message', content: text() }]),
    },
    {
      'langsmith.span.kind': pick(['llm', 'chain', 'tool', 'retriever']),
      'gen_ai.system': 'openai',
      'langsmith.metadata.ls_model_name': model(),
      'gen_ai.prompt': JSON.stringify({ messages: [{ role: 'user', content: text() }], model: model() }),
      'gen_ai.completion': openAiResponse(),
    },
    {
      'langfuse.observation.type': pick(['generation', 'span', 'tool', 'embedding']),
      'langfuse.observation.model.name': model(),
      'langfuse.observation.usage_details': JSON.stringify({ input: 100, output: 20, note: text() }),
      'langfuse.observation.model.parameters': JSON.stringify({ temperature: 0.1, note: text() }),
      'langfuse.observation.input': messages(),
      'langfuse.observation.output': JSON.stringify({ role: 'assistant', content: text() }),
    },
    {
      'gen_ai.system': 'gcp.vertex.agent',
      'gcp.vertex.agent.llm_request': JSON.stringify({ model: model(), contents: [{ role: 'user', parts: [{ text: text() }] }] }),
      'gcp.vertex.agent.llm_response': JSON.stringify({ model_version: model(), content: { role: 'model', parts: [{ text: text() }] }, usage_metadata: { prompt_token_count: 50, cached_content_token_count: 40 } }),
      'gcp.vertex.agent.tool_call_args': JSON.stringify({ note: text() }),
    },
    {
      // Gemini CLI: GenAI's names, its operation names, Gemini's shapes (long) inside.
      'gen_ai.operation.name': pick(['llm_call', 'tool_call', 'agent_call', 'user_prompt']),
      'gen_ai.agent.name': 'gemini-cli',
      'gen_ai.request.model': model(),
      'gen_ai.system_instructions': JSON.stringify({ role: 'user', parts: [{ text: text() }] }),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ text: text() }] }]),
      'gen_ai.output.messages': JSON.stringify({ role: 'model', parts: [{ text: text() }] }),
      'gen_ai.usage.input_tokens': 90,
      'gen_ai.usage.output_tokens': 9,
    },
    {
      // MLflow: every value JSON-encoded; the bodies (long) beside the model and usage (short).
      'mlflow.spanType': JSON.stringify(pick(['CHAT_MODEL', 'LLM', 'TOOL', 'CHAIN', 'EMBEDDING', 'UNKNOWN'])),
      'mlflow.spanInputs': JSON.stringify({ model: model(), messages: [{ role: 'user', content: text() }] }),
      'mlflow.spanOutputs': openAiResponse(),
      'mlflow.llm.model': JSON.stringify(model()),
      'mlflow.chat.tokenUsage': JSON.stringify({ input_tokens: 70, output_tokens: 7, total_tokens: 77 }),
      'mlflow.llm.cost': JSON.stringify({ total_cost: 0.003 }),
    },
    {
      // Strands Agents: its own name as the system, Bedrock's prompt in three parts (its messages are span events).
      'gen_ai.system': 'strands-agents',
      'gen_ai.operation.name': pick(['chat', 'execute_tool', 'invoke_agent', 'execute_event_loop_cycle', 'invoke_swarm']),
      'gen_ai.request.model': pick(['us.anthropic.claude-sonnet-4-20250514-v1:0', model()]),
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.total_tokens': 35,
      'gen_ai.usage.cache_read_input_tokens': 100,
      'gen_ai.usage.cache_write_input_tokens': 10,
      'gen_ai.server.time_to_first_token': 120,
    },
    {
      // Mastra: GenAI's names, its span type and its workflows' input and output (long) beside them.
      'gen_ai.operation.name': pick(['chat', 'invoke_agent', 'workflow_step', 'agent_step']),
      'mastra.span.type': pick(['model_inference', 'agent_run', 'workflow_step', 'model_step']),
      'gen_ai.request.model': model(),
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 4,
      'mastra.workflow_step.input': text(),
      'mastra.agent_run.output': text(),
      'mastra.completion_start_time': '2024-11-23T13:20:00.310Z',
    },
    {
      // Pydantic AI's agent run: the whole history (long) and the output beside its operation.
      'gen_ai.operation.name': 'invoke_agent',
      'pydantic_ai.all_messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text() }] }, { role: 'assistant', parts: [{ type: 'text', content: text() }] }]),
      final_result: text(),
    },
  ];
}
