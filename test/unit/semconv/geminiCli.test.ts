// Gemini CLI's spans (geminiCli.ts): GenAI's attribute names, its own operation names, Gemini's shapes
// (JavaScript SDK spelling: `functionCall`, `systemInstruction`, `functionDeclarations`) inside them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes } from '../../../src/protocol/model';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

const common: Attributes = {
  'gen_ai.agent.name': 'gemini-cli',
  'gen_ai.agent.description': 'Gemini CLI is an open-source AI agent that brings the power of Gemini directly into your terminal.',
  'gen_ai.conversation.id': '5f0c2a7e-1b3d-4c8e-9f6a-2d4b6c8e0a1f',
};
const contents = [
  { role: 'user', parts: [{ text: 'Why does test/login.spec.ts time out?' }] },
  { role: 'model', parts: [{ thought: true, text: 'Read the test first.' }, { functionCall: { id: 'read-1', name: 'read_file', args: { absolute_path: '/src/test/login.spec.ts' } } }] },
  { role: 'user', parts: [{ functionResponse: { id: 'read-1', name: 'read_file', response: { output: "await page.waitForURL('/home')" } } }] },
];
const llmCall: Attributes = {
  ...common,
  'gen_ai.operation.name': 'llm_call',
  'gen_ai.request.model': 'gemini-2.5-pro',
  'gen_ai.prompt.name': '5f0c2a7e########3',
  'gen_ai.system_instructions': JSON.stringify({ role: 'user', parts: [{ text: 'You are an interactive CLI agent.' }] }),
  'gen_ai.tool.definitions': JSON.stringify([{ functionDeclarations: [{ name: 'read_file', description: 'Reads a file', parametersJsonSchema: { type: 'object', properties: { absolute_path: { type: 'string' } } } }] }]),
  'gen_ai.input.messages': JSON.stringify(contents),
  'gen_ai.output.messages': JSON.stringify({ role: 'model', parts: [{ text: 'The test waits for /home, but login now redirects to /dashboard.' }] }),
  'gen_ai.usage.input_tokens': 9_812,
  'gen_ai.usage.output_tokens': 64,
};

test('an llm_call is a model call: its system instruction, conversation with tool calls and results, answer, tools, tokens and price', () => {
  const llm = normalizeSpan(rawSpan(llmCall, { name: 'llm_call' }), []).llm;
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['gemini-cli', 'genai']);
  assert.equal(llm.operation, 'generate_content');
  assert.equal(llm.provider, 'gcp.gen_ai');
  assert.equal(llm.requestModel, 'gemini-2.5-pro');
  assert.deepEqual(llm.inputMessages, [
    { role: 'system', content: 'You are an interactive CLI agent.' },
    { role: 'user', content: 'Why does test/login.spec.ts time out?' },
    {
      role: 'assistant',
      content: [{ type: 'reasoning', text: 'Read the test first.' }],
      toolCalls: [{ id: 'read-1', name: 'read_file', arguments: '{"absolute_path":"/src/test/login.spec.ts"}' }],
    },
    { role: 'tool', content: '{"output":"await page.waitForURL(\'/home\')"}', toolCallId: 'read-1' },
  ]);
  assert.deepEqual(llm.outputMessages, [{ role: 'assistant', content: 'The test waits for /home, but login now redirects to /dashboard.' }]);
  assert.deepEqual(llm.params.tools, [{ name: 'read_file', description: 'Reads a file', parameters: { type: 'object', properties: { absolute_path: { type: 'string' } } } }]);
  assert.deepEqual(llm.usage, { inputTokens: 9_812, outputTokens: 64, totalTokens: 9_876 });
  assert.ok((llm.costUsd ?? 0) > 0, 'a model call of a priced model');
});

test("a streamed answer's chunks are one message; a prompt recorded as text, or cut short, is shown as it is", () => {
  const chunks = [{ role: 'model', parts: [{ text: 'The test ' }] }, { role: 'model', parts: [{ text: 'waits for /home.' }] }];
  const streamed = normalizeLlmCall(rawSpan({ ...llmCall, 'gen_ai.output.messages': JSON.stringify(chunks) }));
  assert.deepEqual(streamed?.outputMessages, [{ role: 'assistant', content: 'The test waits for /home.' }]);
  const text = normalizeLlmCall(rawSpan({ ...llmCall, 'gen_ai.input.messages': JSON.stringify('Summarize this repo'), 'gen_ai.system_instructions': JSON.stringify('Be brief.') }));
  assert.deepEqual(text?.inputMessages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Summarize this repo' },
  ]);
  const cut = '[{"role":"user","parts":[{"text":"Why does...[TRUNCATED: original length 81234]';
  assert.deepEqual(normalizeLlmCall(rawSpan({ ...llmCall, 'gen_ai.input.messages': cut }))?.inputMessages.slice(1), [{ role: 'user', content: cut }]);
});

test('a tool_call is a tool execution: its arguments and what the model was given back', () => {
  const completed = {
    status: 'success',
    request: { callId: 'read-1', name: 'read_file', args: { absolute_path: '/src/test/login.spec.ts' } },
    response: { callId: 'read-1', responseParts: [{ functionResponse: { id: 'read-1', name: 'read_file', response: { output: "await page.waitForURL('/home')" } } }], resultDisplay: '' },
    durationMs: 12,
  };
  const llm = normalizeLlmCall(
    rawSpan(
      {
        ...common,
        'gen_ai.operation.name': 'tool_call',
        'gen_ai.tool.name': 'read_file',
        'gen_ai.tool.call.id': 'read-1',
        'gen_ai.tool.description': 'Reads a file',
        'gen_ai.input.messages': JSON.stringify({ callId: 'read-1', name: 'read_file', args: { absolute_path: '/src/test/login.spec.ts' }, isClientInitiated: false, prompt_id: 'p-3' }),
        'gen_ai.output.messages': JSON.stringify(completed),
      },
      { name: 'tool_call' },
    ),
  );
  assert.equal(llm?.operation, 'tool');
  assert.deepEqual(llm?.tool, { name: 'read_file', callId: 'read-1', arguments: '{"absolute_path":"/src/test/login.spec.ts"}', result: '{"output":"await page.waitForURL(\'/home\')"}' });
  // Its request and result are the tool's, not a conversation (GenAI would read them as one).
  assert.deepEqual([llm?.inputMessages, llm?.outputMessages], [[], []]);
  const failed = normalizeLlmCall(
    rawSpan({ ...common, 'gen_ai.operation.name': 'tool_call', 'gen_ai.tool.name': 'run_shell_command', 'gen_ai.output.messages': JSON.stringify({ status: 'error', response: { resultDisplay: 'Command exited with code 1' } }) }),
  );
  assert.equal(failed?.tool?.result, 'Command exited with code 1');
});

test('a subagent is an agent with its input and output; its other steps keep theirs; GenAI operation names are not its', () => {
  const agent = normalizeLlmCall(rawSpan({ ...common, 'gen_ai.operation.name': 'agent_call', 'gen_ai.agent.name': 'codebase_investigator', 'gen_ai.input.messages': '{"objective":"Find the login flow"}', 'gen_ai.output.messages': '"It is in src/auth."' }));
  assert.deepEqual([agent?.operation, agent?.input, agent?.output], ['agent', '{"objective":"Find the login flow"}', 'It is in src/auth.']);
  assert.deepEqual([agent?.inputMessages, agent?.outputMessages], [[], []]);
  assert.equal(normalizeLlmCall(rawSpan({ ...common, 'gen_ai.operation.name': 'schedule_tool_calls' }))?.operation, 'other');
  const chat = normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]) }));
  assert.deepEqual(chat?.convention, ['genai']);
  assert.deepEqual(chat?.inputMessages, [{ role: 'user', content: 'hi' }]);
  assert.equal(normalizeLlmCall(rawSpan({ 'gen_ai.operation.name': 'constructor' }))?.operation, 'other', 'an inherited property name is no operation');
});
