// LangSmith OTel export (langchain-ai/langsmith-sdk python/langsmith/_internal/otel/_otel_exporter.py:
// _set_span_attributes, _set_io_attributes): run inputs/outputs as JSON in gen_ai.prompt /
// gen_ai.completion, langsmith.span.kind = run type, gen_ai.system guessed from the model name
// ("langchain" when unknown), metadata flattened to langsmith.metadata.*.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import type { Attributes } from '../../../src/protocol/model';
import { rawSpan } from './spanBuilder';

const lc = (kind: string, kwargs: Record<string, unknown>) => ({ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', kind], kwargs });

const runIds: Attributes = {
  'langsmith.span.id': '1f0c2f6e-4c1b-4f57-9a57-3a0b1c2d3e4f',
  'langsmith.trace.id': '1f0c2f6e-4c1b-4f57-9a57-000000000000',
  'langsmith.span.dotted_order': '20261123T130000000000Z1f0c2f6e',
};

test('a LangSmith chat-model run: serialized LangChain messages, tool calls and usage metadata', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        ...runIds,
        'langsmith.span.kind': 'llm',
        'langsmith.trace.name': 'ChatOpenAI',
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.request.temperature': 0,
        'gen_ai.usage.input_tokens': 25,
        'gen_ai.usage.output_tokens': 18,
        'gen_ai.usage.total_tokens': 43,
        'langsmith.metadata.ls_provider': 'openai',
        'langsmith.metadata.ls_model_name': 'gpt-4o-mini',
        'langsmith.metadata.ls_model_type': 'chat',
        'langsmith.metadata.ls_temperature': 0,
        'gen_ai.prompt': JSON.stringify({
          messages: [[lc('SystemMessage', { content: 'You are helpful.', type: 'system' }), lc('HumanMessage', { content: 'Weather in SF?', type: 'human' })]],
        }),
        'gen_ai.completion': JSON.stringify({
          generations: [
            [
              {
                text: '',
                generation_info: { finish_reason: 'tool_calls', logprobs: null },
                type: 'ChatGeneration',
                message: lc('AIMessage', {
                  content: '',
                  type: 'ai',
                  tool_calls: [{ name: 'get_weather', args: { city: 'SF' }, id: 'call_x', type: 'tool_call' }],
                  response_metadata: { finish_reason: 'tool_calls', model_name: 'gpt-4o-mini-2024-07-18' },
                  usage_metadata: { input_tokens: 25, output_tokens: 18, total_tokens: 43, input_token_details: { cache_read: 0 }, output_token_details: { reasoning: 0 } },
                }),
              },
            ],
          ],
          llm_output: { model_name: 'gpt-4o-mini-2024-07-18' },
          type: 'LLMResult',
        }),
      },
      { name: 'ChatOpenAI' },
    ),
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['langchain', 'genai']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'openai');
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are helpful.' },
    { role: 'user', content: 'Weather in SF?' },
  ]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: '{"city":"SF"}' }], finishReason: 'tool_calls' },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 25, outputTokens: 18, totalTokens: 43, cachedInputTokens: 0, reasoningTokens: 0 });
  assert.equal(llm.input, undefined);
});

test('a LangSmith wrap_openai run reads the OpenAI request and response bodies', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...runIds,
      'langsmith.span.kind': 'llm',
      'langsmith.metadata.ls_provider': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.prompt': JSON.stringify({ messages: [{ role: 'user', content: 'Say hi' }], model: 'gpt-4o-mini', temperature: 0.5, stream: false }),
      'gen_ai.completion': JSON.stringify({
        id: 'chatcmpl-2',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' },
          { index: 1, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
      }),
      'gen_ai.response.finish_reasons': 'stop, stop',
    }),
  );
  assert.ok(llm);
  assert.equal(llm.requestModel, 'gpt-4o-mini');
  assert.equal(llm.params.temperature, 0.5);
  assert.deepEqual(llm.inputMessages, [{ role: 'user', content: 'Say hi' }]);
  assert.deepEqual(llm.outputMessages, [
    { role: 'assistant', content: 'Hi!', finishReason: 'stop' },
    { role: 'assistant', content: 'Hello!', finishReason: 'stop' },
  ]);
  assert.deepEqual(llm.usage, { inputTokens: 9, outputTokens: 4, totalTokens: 13 });
});

test('a LangSmith chain run is a workflow with raw input and output, and the "langchain" system is not a provider', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...runIds,
      'langsmith.span.kind': 'chain',
      'langsmith.trace.name': 'RunnableSequence',
      'gen_ai.operation.name': 'chain',
      'gen_ai.system': 'langchain',
      'gen_ai.prompt': '{"question":"What is our refund policy?"}',
      'gen_ai.completion': '{"output":"30 days."}',
    }),
  );
  assert.equal(llm?.operation, 'workflow');
  assert.equal(llm?.provider, undefined);
  assert.equal(llm?.input, '{"question":"What is our refund policy?"}');
  assert.equal(llm?.output, '{"output":"30 days."}');
});

test('a LangSmith tool run reads the tool input and the content of the returned ToolMessage', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...runIds,
      'langsmith.span.kind': 'tool',
      'langsmith.trace.name': 'get_weather',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.system': 'langchain',
      'gen_ai.prompt': JSON.stringify({ input: "{'city': 'SF'}" }),
      'gen_ai.completion': JSON.stringify({ output: lc('ToolMessage', { content: 'Sunny, 18C', tool_call_id: 'call_x', name: 'get_weather', type: 'tool' }) }),
    }),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'get_weather', arguments: "{'city': 'SF'}", result: 'Sunny, 18C' });
});

test('a LangSmith retriever run is a retrieval (not "embeddings") with its documents as output', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      ...runIds,
      'langsmith.span.kind': 'retriever',
      'gen_ai.operation.name': 'embeddings', // WELL_KNOWN_OPERATION_NAMES maps retriever → embeddings
      'gen_ai.system': 'langchain',
      'gen_ai.prompt': '{"query":"refund policy"}',
      'gen_ai.completion': JSON.stringify({
        documents: [{ page_content: 'Refunds within 30 days.', metadata: { source: 'kb/refunds.md' }, type: 'Document' }],
      }),
    }),
  );
  assert.equal(llm?.operation, 'retrieval');
  assert.equal(llm?.output, '[1]\nRefunds within 30 days.');
});
