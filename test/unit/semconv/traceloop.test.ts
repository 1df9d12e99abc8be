// OpenLLMetry / Traceloop SDK. Workflow attributes per @traceloop/ai-semantic-conventions 0.27.0
// (traceloop.span.kind, traceloop.entity.*); the SDK's decorators record entity input as
// `{args, kwargs}` JSON and output as the JSON of the return value. LLM spans per
// @traceloop/instrumentation-openai 0.27.0 (startSpan, buildOpenAIInputMessages, _endSpan).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

test('a Traceloop workflow span is a workflow with its entity input and output', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'traceloop.span.kind': 'workflow',
        'traceloop.workflow.name': 'answer_ticket',
        'traceloop.entity.name': 'answer_ticket',
        'traceloop.entity.path': '',
        'traceloop.entity.input': '{"args":["Where is order 42?"],"kwargs":{}}',
        'traceloop.entity.output': '"Order 42 has shipped."',
      },
      { name: 'answer_ticket.workflow' },
    ),
  );
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['traceloop']);
  assert.equal(llm.operation, 'workflow');
  assert.equal(llm.input, '{"args":["Where is order 42?"],"kwargs":{}}');
  assert.equal(llm.output, 'Order 42 has shipped.', 'a JSON string return value is shown unquoted');
});

test('a Traceloop tool span reads the entity as the tool with its arguments and result', () => {
  const llm = normalizeLlmCall(
    rawSpan(
      {
        'traceloop.span.kind': 'tool',
        'traceloop.entity.name': 'lookup_order',
        'traceloop.entity.input': '{"args":[],"kwargs":{"order_id":42}}',
        'traceloop.entity.output': '{"status":"shipped"}',
      },
      { name: 'lookup_order.tool' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'lookup_order', arguments: '{"args":[],"kwargs":{"order_id":42}}', result: '{"status":"shipped"}' });
});

test('a Traceloop task whose input is an OpenAI request shows it as a conversation', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'traceloop.span.kind': 'task',
      'traceloop.entity.name': 'call_model',
      'traceloop.entity.input': JSON.stringify({
        args: [],
        kwargs: { model: 'gpt-4o', temperature: 0.3, messages: [{ role: 'user', content: 'Summarize this ticket' }] },
      }),
      'traceloop.entity.output': JSON.stringify({
        id: 'chatcmpl-9',
        model: 'gpt-4o-2024-08-06',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Customer wants a refund.' } }],
      }),
    }),
  );
  assert.equal(llm?.operation, 'workflow');
  assert.equal(llm?.requestModel, 'gpt-4o');
  assert.equal(llm?.params.temperature, 0.3);
  assert.deepEqual(llm?.inputMessages, [{ role: 'user', content: 'Summarize this ticket' }]);
  assert.deepEqual(llm?.outputMessages, [{ role: 'assistant', content: 'Customer wants a refund.', finishReason: 'stop' }]);
  assert.equal(llm?.input, undefined);
});

test('a Traceloop 0.27 chat span with gen_ai JSON messages, object tool arguments and a multimodal user message', () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.input.messages': JSON.stringify([
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'What is on this receipt?' },
            // mapOpenAIContentBlock: data: URIs become blob parts, URLs uri parts.
            { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' },
            { type: 'uri', modality: 'image', uri: 'https://example.com/r.png' },
          ],
        },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        {
          role: 'assistant',
          finish_reason: 'tool_call',
          parts: [{ type: 'tool_call', id: 'call_1', name: 'sum', arguments: { items: [3.5, 4] } }],
        },
      ]),
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.usage.total_tokens': 300,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.input_tokens': 280,
    }),
  );
  assert.ok(llm);
  assert.equal(llm.provider, 'azure.ai.openai');
  assert.deepEqual(llm.inputMessages[0].content, [
    { type: 'text', text: 'What is on this receipt?' },
    { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
    { type: 'image', uri: 'https://example.com/r.png' },
  ]);
  assert.deepEqual(llm.outputMessages[0].toolCalls, [{ id: 'call_1', name: 'sum', arguments: '{"items":[3.5,4]}' }]);
  assert.deepEqual(llm.usage, { inputTokens: 280, outputTokens: 20, totalTokens: 300 });
});
