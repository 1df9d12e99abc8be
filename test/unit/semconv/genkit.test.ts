// Genkit's own span attributes (`genkit:*`), as its tracing writes them for a model action, a tool, a flow,
// a retriever and an embedder: GenerateRequest and GenerateResponse JSON in genkit:input / genkit:output.
// Values made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const json = (value: unknown) => JSON.stringify(value);
const llmOf = (name: string, attributes: Attributes) => normalizeSpan(rawSpan(attributes, { name }), []).llm;
const action = (subtype: string, name: string, input: unknown, output: unknown, type = 'action'): Attributes => ({
  'genkit:type': type,
  'genkit:metadata:subtype': subtype,
  'genkit:name': name,
  'genkit:path': `/{supportFlow,t:flow}/{${name},t:${type},s:${subtype}}`,
  'genkit:input': json(input),
  'genkit:output': json(output),
  'genkit:state': 'success',
});
const REQUEST = { ref: 'call_0', name: 'getTrain', input: { train: '9:12 Lyon' } };

test('a Genkit model action is a model call: its messages with media, tool requests and responses, the tools offered, the answer and its usage', () => {
  const llm = llmOf(
    'googleai/gemini-2.5-flash',
    action(
      'model',
      'googleai/gemini-2.5-flash',
      {
        messages: [
          { role: 'system', content: [{ text: 'You are a train desk.' }] },
          { role: 'user', content: [{ text: 'Is my train on time?' }, { media: { url: 'https://example.com/ticket.png', contentType: 'image/png' } }] },
          { role: 'model', content: [{ toolRequest: REQUEST }] },
          { role: 'tool', content: [{ toolResponse: { ref: 'call_0', name: 'getTrain', output: { delay: 14 } } }] },
        ],
        config: { temperature: 0.2, maxOutputTokens: 512 },
        tools: [{ name: 'getTrain', description: 'Live status of a train', inputSchema: { type: 'object' } }],
      },
      {
        message: { role: 'model', content: [{ reasoning: 'The tool says 14 minutes.' }, { text: 'It is 14 minutes late.' }] },
        finishReason: 'stop',
        usage: { inputTokens: 120, outputTokens: 20, thoughtsTokens: 30, totalTokens: 170, cachedContentTokens: 64 },
        custom: { modelVersion: 'gemini-2.5-flash-001' },
      },
    ),
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['genkit']);
  assert.deepEqual([llm.operation, llm.provider, llm.requestModel, llm.responseModel], ['chat', 'gcp.gemini', 'googleai/gemini-2.5-flash', 'gemini-2.5-flash-001']);
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are a train desk.' },
    { role: 'user', content: [{ type: 'text', text: 'Is my train on time?' }, { type: 'image', mimeType: 'image/png', uri: 'https://example.com/ticket.png' }] },
    { role: 'assistant', content: '', toolCalls: [{ name: 'getTrain', arguments: '{"train":"9:12 Lyon"}', id: 'call_0' }] },
    { role: 'tool', content: '{"delay":14}', toolCallId: 'call_0' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: [{ type: 'reasoning', text: 'The tool says 14 minutes.' }, { type: 'text', text: 'It is 14 minutes late.' }], finishReason: 'stop' },
  ]);
  assert.deepEqual(llm.params?.tools?.map((t) => t.name), ['getTrain']);
  assert.equal(llm.params?.temperature, 0.2);
  // Gemini bills the thoughts as output: 20 + 30.
  assert.deepEqual(llm.usage, { inputTokens: 120, outputTokens: 50, totalTokens: 170, reasoningTokens: 30, cachedInputTokens: 64 });
  assert.ok(llm.costUsd !== undefined && llm.costUsd > 0, 'priced: the table knows gemini-2.5-flash');
});

test("before Genkit 1.0 the answer is a candidate; another plugin's output already holds its reasoning", () => {
  const llm = llmOf(
    'openai/gpt-4o',
    action('model', 'openai/gpt-4o', { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, {
      candidates: [{ index: 0, message: { role: 'model', content: [{ text: 'hello' }] }, finishReason: 'stop' }],
      usage: { inputTokens: 5, outputTokens: 40, thoughtsTokens: 10 },
    }),
  );
  assert.equal(llm?.provider, 'openai');
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'hello', finishReason: 'stop' }]);
  assert.deepEqual([llm?.usage.outputTokens, llm?.usage.reasoningTokens], [40, 10]);
});

test('a Genkit tool is a tool execution; a flow a workflow step; a retriever shows its documents; an embedder is an embeddings call', () => {
  const tool = llmOf('getTrain', action('tool', 'getTrain', { train: '9:12 Lyon' }, { delay: 14 }));
  assert.deepEqual([tool?.operation, tool?.tool], ['tool', { name: 'getTrain', arguments: '{"train":"9:12 Lyon"}', result: '{"delay":14}' }]);

  const flow = llmOf('supportFlow', action('flow', 'supportFlow', 'Is my train on time?', 'It is 14 minutes late.', 'flow'));
  assert.deepEqual([flow?.operation, flow?.input, flow?.output], ['workflow', '"Is my train on time?"', '"It is 14 minutes late."']);

  const retriever = llmOf(
    'devLocalVectorstore/timetables',
    action('retriever', 'devLocalVectorstore/timetables', { content: [{ text: 'Lyon delays' }] }, {
      documents: [{ content: [{ text: 'Trains to Lyon run late on Mondays.' }], metadata: { id: 'doc-7' } }],
    }),
  );
  assert.deepEqual([retriever?.operation, retriever?.output], ['retrieval', '[1] doc-7\nTrains to Lyon run late on Mondays.']);

  const embedder = llmOf('googleai/text-embedding-004', action('embedder', 'googleai/text-embedding-004', { input: [] }, { embeddings: [] }));
  assert.deepEqual([embedder?.operation, embedder?.requestModel, embedder?.provider], ['embeddings', 'googleai/text-embedding-004', 'gcp.gemini']);
});

test('a span with Genkit attributes but no type it names is no Genkit span', () => {
  assert.equal(llmOf('GET /', { 'genkit:sessionId': 's1' }), undefined);
});
