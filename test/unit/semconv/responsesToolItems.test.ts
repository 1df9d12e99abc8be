// A Responses answer's items for tools other than the app's functions (OpenAI's built-in tools, MCP
// servers, custom tools) read as tool calls and results, wherever a recorded or replayed Responses body
// is read (outputFromResponse: Logfire, Traceloop, LangChain's serialized messages, replay answers).
// Item shapes per the openai SDK's types (6.x, resources/responses).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span } from '../../../src/protocol/model';
import { outputFromResponse } from '../../../src/semconv/requestBodies';
import { searchTextOf } from '../../../src/store/spanMeta';

// The first bytes of a PNG, base64: enough for the type; the detail checks the rest before showing it.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

test("a Responses answer's built-in tool, MCP and custom tool items are its tool calls, with the results the items hold", () => {
  const { messages } = outputFromResponse({
    object: 'response',
    output: [
      { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'Lyon weather today' } },
      { type: 'file_search_call', id: 'fs_1', status: 'completed', queries: ['refund policy'], results: [{ file_id: 'file_9', filename: 'policy.md', score: 0.91, text: 'Refunds within 30 days.' }] },
      { type: 'code_interpreter_call', id: 'ci_1', status: 'completed', container_id: 'cntr_1', code: 'print(6 * 7)', outputs: [{ type: 'logs', logs: '42' }] },
      { type: 'mcp_call', id: 'mcp_1', server_label: 'orders', name: 'get_order', arguments: '{"id":"A-7"}', output: '{"status":"shipped"}' },
      { type: 'mcp_call', id: 'mcp_2', server_label: 'orders', name: 'cancel_order', arguments: '{"id":"A-7"}', error: 'not allowed' },
      { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_c1', name: 'run_sql', input: 'SELECT 1' },
      { type: 'image_generation_call', id: 'ig_1', status: 'completed', result: PNG },
      { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'orders', tools: [] },
      { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'It is sunny in Lyon.', annotations: [] }] },
    ],
  });
  assert.equal(messages.length, 1);
  const [message] = messages;
  assert.deepEqual(message.toolCalls, [
    { id: 'ws_1', name: 'web_search', arguments: '{"type":"search","query":"Lyon weather today"}' },
    { id: 'fs_1', name: 'file_search', arguments: '{"queries":["refund policy"]}' },
    { id: 'ci_1', name: 'code_interpreter', arguments: 'print(6 * 7)' },
    { id: 'mcp_1', name: 'get_order', arguments: '{"id":"A-7"}' },
    { id: 'mcp_2', name: 'cancel_order', arguments: '{"id":"A-7"}' },
    // A client-side call goes by the id the app's answer names.
    { id: 'call_c1', name: 'run_sql', arguments: 'SELECT 1' },
    { id: 'ig_1', name: 'image_generation', arguments: '' },
  ]);
  assert.deepEqual(message.content, [
    { type: 'tool_result', id: 'fs_1', result: 'Refunds within 30 days.' },
    { type: 'tool_result', id: 'ci_1', result: '42' },
    { type: 'tool_result', id: 'mcp_1', result: '{"status":"shipped"}' },
    { type: 'tool_result', id: 'mcp_2', result: 'Error: not allowed' },
    { type: 'image', data: PNG, mimeType: 'image/png' },
    // Items that are no call stay typed parts, shown as they came.
    { type: 'other', value: { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'orders', tools: [] } },
    { type: 'text', text: 'It is sunny in Lyon.' },
  ]);
  // So the trace list's filter finds the call by its tools and what they were asked, within a message's
  // budget of its start and end (INDEX_DERIVATION 9).
  const text = searchTextOf({ llm: { operation: 'responses', inputMessages: [], outputMessages: messages, usage: {}, convention: [] } } as unknown as Span);
  for (const asked of ['web_search', 'print(6 * 7)', 'run_sql select 1']) assert.ok(text.includes(asked), `${asked} in ${text}`);
});

test('a generated image is typed by its bytes: JPEG and WebP as well as PNG', () => {
  const imageOf = (result: string) => {
    const content = outputFromResponse({ output: [{ type: 'image_generation_call', id: 'ig', result }] }).messages[0].content;
    return Array.isArray(content) ? content[0] : undefined;
  };
  assert.deepEqual(imageOf('/9j/4AAQSkZJRg=='), { type: 'image', data: '/9j/4AAQSkZJRg==', mimeType: 'image/jpeg' });
  assert.deepEqual(imageOf('UklGRiQAAABXRUJQ'), { type: 'image', data: 'UklGRiQAAABXRUJQ', mimeType: 'image/webp' });
});
