// Haystack's own OpenTelemetry tracing: the spans and tags of haystack/core/pipeline/base.py and its Agent,
// with content tracing on (HAYSTACK_CONTENT_TRACING_ENABLED=true), every value JSON through to_dict(), as
// haystack/tracing/utils.py coerces them. Values made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const llmOf = (name: string, attributes: Attributes) => normalizeSpan(rawSpan(attributes, { name }), []).llm;
const json = (value: unknown) => JSON.stringify(value);
const component = (type: string, input: unknown, output: unknown, name = 'llm'): Attributes => ({
  'haystack.component.name': name,
  'haystack.component.type': type,
  'haystack.component.input_types': json({ messages: 'list' }),
  'haystack.component.visits': 1,
  ...(input === undefined ? {} : { 'haystack.component.input': json(input) }),
  ...(output === undefined ? {} : { 'haystack.component.output': json(output) }),
});
/** ChatMessage.to_dict() of Haystack 2.12+. */
const message = (role: string, content: object[], meta: object = {}) => ({ role, meta, name: null, content });
const CALL = { tool_name: 'timetable', arguments: { train: '9:12 Lyon' }, id: 'call_tt912' };

test('a chat generator run is a model call: its messages with tool call and result, the tools offered, and model, usage and finish reason from the reply', () => {
  const llm = llmOf(
    'haystack.component.run',
    component(
      'OpenAIChatGenerator',
      {
        messages: [
          message('system', [{ text: 'You are a train desk.' }]),
          message('user', [{ text: 'Is the 9:12 to Lyon on time?' }]),
          message('assistant', [{ tool_call: CALL }]),
          message('tool', [{ tool_call_result: { result: 'Delayed 14 minutes', origin: CALL, error: false } }]),
        ],
        generation_kwargs: { temperature: 0 },
        tools: [{ type: 'haystack.tools.tool.Tool', data: { name: 'timetable', description: 'Live status of a train', parameters: { type: 'object' }, function: 'app.timetable' } }],
      },
      {
        replies: [
          message('assistant', [{ text: 'It is 14 minutes late.' }], {
            model: 'gpt-4o-mini-2024-07-18',
            index: 0,
            finish_reason: 'stop',
            usage: { completion_tokens: 9, prompt_tokens: 120, total_tokens: 129, prompt_tokens_details: { cached_tokens: 64 } },
          }),
        ],
      },
    ),
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['haystack']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.responseModel, 'gpt-4o-mini-2024-07-18');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a train desk.' },
    { role: 'user', content: 'Is the 9:12 to Lyon on time?' },
    { role: 'assistant', content: '', toolCalls: [{ name: 'timetable', arguments: '{"train":"9:12 Lyon"}', id: 'call_tt912' }] },
    { role: 'tool', content: 'Delayed 14 minutes', toolCallId: 'call_tt912' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'It is 14 minutes late.', finishReason: 'stop' }]);
  assert.deepEqual(llm.finishReasons, ['stop']);
  assert.deepEqual(llm.params?.tools, [{ name: 'timetable', description: 'Live status of a train', parameters: { type: 'object' } }]);
  assert.deepEqual(llm.usage, { inputTokens: 120, outputTokens: 9, totalTokens: 129, cachedInputTokens: 64 });
  // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out per 1M tokens.
  assert.ok(Math.abs(llm.costUsd! - (56 * 0.15 + 64 * 0.075 + 9 * 0.6) / 1e6) < 1e-12);
  assert.equal(llm.input, undefined, 'the conversation is shown, not its JSON');
});

test("a reply that calls a tool, a failed tool's result, reasoning and an image; the formats of Haystack 2.9–2.11 and before 2.9", () => {
  const llm = llmOf(
    'haystack.component.run',
    component(
      'AnthropicChatGenerator',
      {
        messages: [
          { _role: 'user', _content: [{ text: 'What is on this ticket?' }, { image: { base64_image: 'iVBORw0KGgo=', mime_type: 'image/png', detail: null, meta: {} } }], _name: null, _meta: {} },
          { role: 'tool', content: [{ tool_call_result: { result: 'timeout', origin: CALL, error: true } }] },
          { role: 'user', content: 'Plain text, as before 2.9', name: null, meta: {} },
        ],
      },
      {
        replies: [
          message('assistant', [{ reasoning: { reasoning_text: 'The user wants the status.', extra: {} } }, { text: 'Checking.' }, { tool_call: CALL }], {
            model: 'claude-sonnet-4-20250514',
            finish_reason: 'tool_use',
            usage: { input_tokens: 300, output_tokens: 40 },
          }),
        ],
      },
    ),
  );
  assert.equal(llm?.provider, 'anthropic');
  assert.deepEqual(llm?.inputMessages, [
    { role: 'user', content: [{ type: 'text', text: 'What is on this ticket?' }, { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' }] },
    { role: 'tool', content: 'Error: timeout', toolCallId: 'call_tt912' },
    { role: 'user', content: 'Plain text, as before 2.9' },
  ]);
  assert.deepEqual(llm?.outputMessages, [
    {
      role: 'assistant',
      content: [{ type: 'reasoning', text: 'The user wants the status.' }, { type: 'text', text: 'Checking.' }],
      toolCalls: [{ name: 'timetable', arguments: '{"train":"9:12 Lyon"}', id: 'call_tt912' }],
      finishReason: 'tool_use',
    },
  ]);
  assert.deepEqual([llm?.usage?.inputTokens, llm?.usage?.outputTokens], [300, 40]);
});

test('a text generator: the prompt and system prompt, the replies as strings with the meta beside them', () => {
  const llm = llmOf(
    'haystack.component.run',
    component(
      'OpenAIGenerator',
      { prompt: 'Summarize: the train is late.', system_prompt: 'Be brief.' },
      { replies: ['Late train.'], meta: [{ model: 'gpt-4o-mini-2024-07-18', index: 0, finish_reason: 'stop', usage: { prompt_tokens: 20, completion_tokens: 3 } }] },
    ),
  );
  assert.equal(llm?.operation, 'text_completion');
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Summarize: the train is late.' },
  ]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Late train.', finishReason: 'stop' }]);
  assert.deepEqual([llm?.responseModel, llm?.usage?.inputTokens, llm?.usage?.outputTokens], ['gpt-4o-mini-2024-07-18', 20, 3]);
});

test('retrievers and rankers show their documents; an embedder is an embeddings call with its usage; other components and runs keep their JSON', () => {
  const retriever = llmOf(
    'haystack.component.run',
    component('InMemoryBM25Retriever', { query: 'delays' }, { documents: [{ id: 'doc-1', content: 'Trains to Lyon run late on Mondays.', score: 1.7, source: 'faq.md', embedding: null }] }, 'retriever'),
  );
  assert.equal(retriever?.operation, 'retrieval');
  assert.equal(retriever?.input, '{"query":"delays"}');
  assert.equal(retriever?.output, '[1] doc-1 (score 1.7)\nTrains to Lyon run late on Mondays.');
  assert.equal(llmOf('haystack.component.run', component('TransformersSimilarityRanker', { query: 'delays' }, { documents: [] }))?.operation, 'rerank');

  const embedder = llmOf(
    'haystack.component.run',
    component('OpenAITextEmbedder', { text: 'delays' }, { embedding: [0.1, 0.2], meta: { model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } } }),
  );
  assert.deepEqual([embedder?.operation, embedder?.responseModel, embedder?.usage?.inputTokens], ['embeddings', 'text-embedding-3-small', 2]);

  const builder = llmOf('haystack.component.run', component('ChatPromptBuilder', { location: 'Lyon' }, { prompt: [message('user', [{ text: 'Trains to Lyon?' }])] }, 'prompt_builder'));
  assert.equal(builder?.operation, 'workflow');
  assert.equal(builder?.input, '{"location":"Lyon"}');
  assert.match(builder?.output ?? '', /Trains to Lyon\?/);

  const pipeline = llmOf('haystack.pipeline.run', {
    'haystack.pipeline.input_data': json({ prompt_builder: { location: 'Lyon' } }),
    'haystack.pipeline.output_data': json({ llm: { replies: ['Late.'] } }),
    'haystack.pipeline.metadata': '{}',
    'haystack.pipeline.max_runs_per_component': 100,
  });
  assert.deepEqual([pipeline?.operation, pipeline?.input], ['workflow', '{"prompt_builder":{"location":"Lyon"}}']);
  const asyncRun = llmOf('haystack.async_pipeline.run', { 'haystack.pipeline.input_data': json({ llm: { messages: [] } }), 'haystack.pipeline.metadata': '{}' });
  assert.deepEqual([asyncRun?.operation, asyncRun?.input], ['workflow', '{"llm":{"messages":[]}}'], 'AsyncPipeline tags its runs as Pipeline does');

  const agent = llmOf('haystack.agent.run', { 'haystack.agent.max_steps': 100, 'haystack.agent.input': json({ messages: [message('user', [{ text: 'Lyon?' }])] }) });
  assert.equal(agent?.operation, 'agent');
  assert.equal(llmOf('haystack.agent.step.tool', { 'haystack.tool.name': 'timetable' })?.tool?.name, 'timetable');
});

test('without content tracing a generator is still a model call of its provider; a span that only shares the prefix is no Haystack span', () => {
  const llm = llmOf('haystack.component.run', component('AzureOpenAIChatGenerator', undefined, undefined));
  assert.deepEqual([llm?.operation, llm?.provider, llm?.inputMessages, llm?.input], ['chat', 'azure.ai.openai', [], undefined]);
  assert.equal(llmOf('GET /search', { 'haystack.request.id': 'x' }), undefined);
});
