// A serialized OpenAI Responses request's `input` items, as the recorders that keep request bodies
// whole hand them over (Langfuse's OpenAI integration, MLflow's autologging): earlier turns' reasoning,
// function calls and other tools' calls, and the app's outputs for them. Item shapes per the openai
// SDK's types (6.x, resources/responses: ResponseInputItem).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LlmMessage, Span } from '../../../src/protocol/model';
import { normalizeLlmCall } from '../../../src/semconv';
import { inputMessages } from '../../../src/semconv/serializedMessages';
import { searchTextOf } from '../../../src/store/spanMeta';
import { rawSpan } from './spanBuilder';

/** What a recorded request's input reads as. */
const inputsOf = (value: unknown): LlmMessage[] => inputMessages({ ok: true, value: value as never });

test("a Responses request's history: each model turn is one assistant message, each output the app gave a call is a tool message answering it", () => {
  const llm = normalizeLlmCall(
    rawSpan({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-5-mini',
      'langfuse.observation.input': JSON.stringify({
        instructions: 'You track parcels.',
        input: [
          { role: 'user', content: 'Where is parcel 12, and is it raining there?' },
          // One model turn: its reasoning, its function call and a web search OpenAI ran.
          { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Track it first.' }] },
          { type: 'function_call', id: 'fc_1', call_id: 'call_12', name: 'track_parcel', arguments: '{"parcel":12}', status: 'completed' },
          { type: 'function_call_output', call_id: 'call_12', output: 'In Lyon' },
          { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'Lyon rain today' } },
          { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It is in Lyon, where it is dry.', annotations: [] }] },
          { role: 'user', content: [{ type: 'input_text', text: 'Thanks! Cancel it.' }] },
        ],
      }),
      'langfuse.observation.output': JSON.stringify({ role: 'assistant', content: 'Done.' }),
    }),
  );
  assert.deepEqual(llm?.inputMessages, [
    { role: 'system', content: 'You track parcels.' },
    { role: 'user', content: 'Where is parcel 12, and is it raining there?' },
    { role: 'assistant', content: [{ type: 'reasoning', text: 'Track it first.' }], toolCalls: [{ id: 'call_12', name: 'track_parcel', arguments: '{"parcel":12}' }] },
    { role: 'tool', content: 'In Lyon', toolCallId: 'call_12' },
    {
      role: 'assistant',
      content: 'It is in Lyon, where it is dry.',
      toolCalls: [{ id: 'ws_1', name: 'web_search', arguments: '{"type":"search","query":"Lyon rain today"}' }],
    },
    { role: 'user', content: 'Thanks! Cancel it.' },
  ]);
  // A Responses call (its replay goes through that API), though Langfuse calls every generation a chat.
  assert.equal(llm?.operation, 'responses');
  // They were empty user messages; the trace list's filter now finds the call by its tools
  // (INDEX_DERIVATION 10).
  const text = searchTextOf({ llm } as unknown as Span);
  for (const said of ['track_parcel', 'in lyon', 'web_search']) assert.ok(text.includes(said), `${said} in ${text}`);
});

test("the app's outputs for other tools: text, a screenshot, content parts, a shell's results and an MCP approval", () => {
  const screenshot = 'data:image/png;base64,iVBORw0KGgo=';
  assert.deepEqual(
    inputsOf([
      { type: 'computer_call', id: 'cu_1', call_id: 'call_cu', action: { type: 'click', x: 10, y: 20, button: 'left' }, pending_safety_checks: [], status: 'completed' },
      { type: 'computer_call_output', call_id: 'call_cu', output: { type: 'computer_screenshot', image_url: screenshot } },
      { type: 'custom_tool_call', call_id: 'call_sql', name: 'run_sql', input: 'SELECT 1' },
      { type: 'custom_tool_call_output', call_id: 'call_sql', output: '1' },
      { type: 'shell_call', call_id: 'call_sh', action: { commands: ['ls'] }, status: 'completed' },
      { type: 'shell_call_output', call_id: 'call_sh', output: [{ stdout: 'a.txt\n', stderr: '', outcome: { type: 'exit', exit_code: 0 } }] },
      { type: 'function_call', call_id: 'call_f', name: 'read_note', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_f', output: [{ type: 'input_text', text: 'Buy milk' }] },
      { type: 'function_call', call_id: 'call_p', name: 'draw', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_p', output: [{ type: 'input_text', text: 'Drawn:' }, { type: 'input_image', image_url: screenshot, detail: 'auto' }] },
      { type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false, reason: 'Not now' },
    ]),
    [
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_cu', name: 'computer', arguments: '{"type":"click","x":10,"y":20,"button":"left"}' }] },
      { role: 'tool', content: [{ type: 'image', data: screenshot, mimeType: 'image/png' }], toolCallId: 'call_cu' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_sql', name: 'run_sql', arguments: 'SELECT 1' }] },
      { role: 'tool', content: '1', toolCallId: 'call_sql' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_sh', name: 'shell', arguments: '{"commands":["ls"]}' }] },
      { role: 'tool', content: '[{"stdout":"a.txt\\n","stderr":"","outcome":{"type":"exit","exit_code":0}}]', toolCallId: 'call_sh' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_f', name: 'read_note', arguments: '{}' }] },
      { role: 'tool', content: 'Buy milk', toolCallId: 'call_f' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_p', name: 'draw', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'text', text: 'Drawn:' }, { type: 'image', data: screenshot, mimeType: 'image/png' }], toolCallId: 'call_p' },
      { role: 'tool', content: '{"approve":false,"reason":"Not now"}', toolCallId: 'mcpr_1' },
    ],
  );
});

test('chat messages in a list stay as recorded, and a turn that says nothing (a reasoning item without a summary) is no message', () => {
  const chat = [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'assistant', content: 'How can I help?' },
  ];
  assert.deepEqual(inputsOf(chat), chat);
  assert.deepEqual(
    inputsOf([{ role: 'user', content: 'Hi' }, { type: 'reasoning', id: 'rs_1', summary: [] }, { role: 'user', content: 'Hello?' }]),
    [
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'Hello?' },
    ],
  );
});

test('which serialized calls are Responses calls: by the request body, the items either side lists, or the response', () => {
  const operationOf = (input: unknown, output: unknown) =>
    normalizeLlmCall(rawSpan({ 'langfuse.observation.type': 'generation', 'langfuse.observation.model.name': 'm', 'langfuse.observation.input': JSON.stringify(input), 'langfuse.observation.output': JSON.stringify(output) }))?.operation;
  const answer = { role: 'assistant', content: 'Hi.' };
  assert.equal(operationOf({ model: 'gpt-5', input: 'Hi' }, answer), 'responses');
  assert.equal(operationOf([{ role: 'user', content: 'Hi' }, { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }], answer), 'responses');
  assert.equal(operationOf([{ role: 'user', content: 'Hi' }], { id: 'resp_1', object: 'response', output: [] }), 'responses');
  // Chat Completions bodies and messages, and Anthropic's typed message, stay chats.
  assert.equal(operationOf({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }, answer), 'chat');
  assert.equal(operationOf([{ role: 'user', content: 'Hi' }], [{ type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'text', text: 'Hi.' }], stop_reason: 'end_turn' }]), 'chat');
});
