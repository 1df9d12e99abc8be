// Claude Code's spans (its tracing beta): attribute names as its docs and Elastic's Claude Code
// integration show them; values made up here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

const SESSION = { 'session.id': '0c5d1a52-77e4-4f0e-9d0c-1f6a3c2b9e10', 'terminal.type': 'vscode', 'organization.id': 'org-1' };

test('a Claude Code model call: Anthropic usage in three parts becomes the whole prompt with its cached parts, and is priced', () => {
  const span = normalizeSpan(
    rawSpan(
      {
        ...SESSION,
        'span.type': 'llm_request',
        model: 'claude-sonnet-4-5-20250929',
        'gen_ai.request.model': 'claude-sonnet-4-5-20250929',
        'gen_ai.system': 'anthropic',
        'gen_ai.response.id': 'req_011',
        'gen_ai.response.finish_reasons': ['tool_use'],
        input_tokens: 12,
        cache_read_tokens: 30_000,
        cache_creation_tokens: 2_000,
        output_tokens: 350,
        duration_ms: 4210,
        ttft_ms: 980,
        stop_reason: 'tool_use',
        effort: 'high',
        success: true,
      },
      { name: 'claude_code.llm_request' },
    ),
    [],
  );
  const llm = span.llm;
  assert.ok(llm);
  assert.deepEqual(llm.convention, ['claude-code', 'genai']);
  assert.equal(llm.operation, 'chat');
  assert.equal(llm.provider, 'anthropic');
  assert.equal(llm.requestModel, 'claude-sonnet-4-5-20250929');
  assert.deepEqual(llm.usage, { inputTokens: 32_012, outputTokens: 350, totalTokens: 32_362, cachedInputTokens: 30_000, cacheCreationInputTokens: 2_000 });
  assert.deepEqual(llm.finishReasons, ['tool_use']);
  assert.equal(llm.params.effort, 'high');
  // Sonnet 4.5 per 1M: $3 input, $0.30 cache read, $3.75 cache write, $15 output.
  assert.equal(llm.costUsd, (12 * 3 + 30_000 * 0.3 + 2_000 * 3.75 + 350 * 15) / 1e6);
});

test('usage strings (OTLP/JSON int64) and a partial report are read', () => {
  const llm = normalizeLlmCall(rawSpan({ 'span.type': 'llm_request', model: 'claude-haiku-4-5', output_tokens: '7' }, { name: 'claude_code.llm_request' }));
  assert.deepEqual(llm?.usage, { outputTokens: 7 });
  assert.equal(llm?.provider, 'anthropic');
});

test('a Claude Code model call on Bedrock keeps the provider it names', () => {
  const llm = normalizeLlmCall(
    rawSpan({ 'span.type': 'llm_request', model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'gen_ai.system': 'aws.bedrock', input_tokens: 5 }, { name: 'claude_code.llm_request' }),
  );
  assert.equal(llm?.provider, 'aws.bedrock');
  assert.equal(llm?.usage.inputTokens, 5);
});

test('the interaction span is the agent turn, with the prompt as its input', () => {
  const llm = normalizeLlmCall(
    rawSpan({ ...SESSION, 'span.type': 'interaction', user_prompt: 'Why does the login test fail?', user_prompt_length: 29, 'interaction.sequence': 3 }, { name: 'claude_code.interaction' }),
  );
  assert.equal(llm?.operation, 'agent');
  assert.equal(llm?.input, 'Why does the login test fail?');
  assert.deepEqual(llm?.convention, ['claude-code']);
});

test('a tool span: its name, call id and input; a failed one carries its error', () => {
  const bash = normalizeLlmCall(
    rawSpan(
      { ...SESSION, 'span.type': 'tool', tool_name: 'Bash', tool_use_id: 'toolu_01', 'gen_ai.tool.call.id': 'toolu_01', full_command: 'npm test', duration_ms: 5120 },
      { name: 'claude_code.tool' },
    ),
  );
  assert.equal(bash?.operation, 'tool');
  assert.deepEqual(bash?.tool, { name: 'Bash', callId: 'toolu_01', arguments: 'npm test' });

  const read = normalizeLlmCall(
    rawSpan(
      { 'span.type': 'tool', tool_name: 'Read', tool_use_id: 'toolu_02', tool_input: '{"file_path":"/repo/src/login.ts"}', success: 'false', error: 'File does not exist.' },
      { name: 'claude_code.tool' },
    ),
  );
  assert.deepEqual(read?.tool, { name: 'Read', callId: 'toolu_02', arguments: '{"file_path":"/repo/src/login.ts"}', result: 'File does not exist.' });
});

test('spans Spanlight made of Claude Code events are read by their marker, whatever their name; look-alikes without it are not', () => {
  const made = { ...SESSION, 'spanlight.made_from': 'claude_code events' };
  assert.equal(normalizeLlmCall(rawSpan({ ...made, 'span.type': 'interaction', user_prompt: 'Rename the module' }, { name: 'Rename the module' }))?.operation, 'agent');
  const call = normalizeLlmCall(rawSpan({ ...made, 'span.type': 'llm_request', model: 'claude-haiku-4-5', input_tokens: 3, cache_read_tokens: 7 }, { name: 'chat claude-haiku-4-5' }));
  assert.equal(call?.usage.inputTokens, 10);
  assert.equal(normalizeLlmCall(rawSpan({ ...SESSION, 'span.type': 'llm_request', input_tokens: 3 }, { name: 'chat claude-haiku-4-5' })), undefined);
});

test('a tool step, another span type and spans of other apps are not read as Claude Code', () => {
  assert.equal(normalizeLlmCall(rawSpan({ 'span.type': 'tool.execution', duration_ms: 3 }, { name: 'claude_code.tool.execution' })), undefined);
  assert.equal(normalizeLlmCall(rawSpan({ 'span.type': 'llm_request', input_tokens: 3 }, { name: 'my_app.llm_request' })), undefined);
  assert.equal(normalizeLlmCall(rawSpan({ 'span.type': 'hook' }, { name: 'claude_code.hook' })), undefined);
});

test("Claude Code's own cost is the span's cost only where the price table has no price for the model", () => {
  const call = (model: string) =>
    normalizeSpan(
      rawSpan(
        { ...SESSION, 'spanlight.made_from': 'claude_code events', 'span.type': 'llm_request', model, input_tokens: 1_000, output_tokens: 100, cost_usd: 0.0425 },
        { name: `chat ${model}` },
      ),
      [],
    ).llm;
  const newer = call('claude-opus-9-20270101');
  assert.equal(newer?.costUsd, 0.0425, 'a model newer than the table: what Claude Code says it cost');
  assert.equal(newer?.reportedCostUsd, 0.0425);
  const known = call('claude-sonnet-4-5-20250929');
  assert.equal(known?.costUsd, (1_000 * 3 + 100 * 15) / 1e6, 'a model in the table: the table (and the user\'s overrides) decide');
  assert.equal(known?.reportedCostUsd, 0.0425, 'the reported figure stays beside it');
});
