// Gemini CLI's events (packages/core/src/telemetry/types.ts: log records without span ids when its traces
// are off) as traces, one per prompt. Field names as its toOpenTelemetryAttributes write them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { geminiCliEvents } from '../../../src/ingest/geminiCliEvents';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { RawLogRecord } from '../../../src/otlp/types';
import type { Attributes } from '../../../src/protocol/model';
import { assertWellFormed, JUNK, seededRandom } from './eventSpansKit';

const SESSION = '5f0c2a7e-1b3d-4c8e-9f6a-2d4b6c8e0a1f';
const T0 = 1_764_900_000_000;
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

function event(name: string, atMs: number, attributes: Attributes = {}, prompt = `${SESSION}########1`): RawLogRecord {
  return {
    timeUnixNano: nanos(atMs),
    observedTimeUnixNano: nanos(atMs),
    severityNumber: 9,
    body: `${name}.`,
    attributes: { 'session.id': SESSION, 'installation.id': 'i-1', 'event.name': `gemini_cli.${name}`, 'event.timestamp': new Date(atMs).toISOString(), prompt_id: prompt, ...attributes },
    resource: { 'service.name': 'gemini-cli' },
    scope: { name: 'gemini-cli' },
  };
}

const prompt = (t: number, text = 'Why does test/login.spec.ts time out?', id?: string) => [
  event('user_prompt', t, { prompt_length: text.length, prompt: text, auth_type: 'oauth-personal' }, id),
  event('api_request', t + 50, { model: 'gemini-2.5-pro' }, id),
  event('api_response', t + 1_400, { model: 'gemini-2.5-pro', duration_ms: 1_350, status_code: 200, input_token_count: 9_700, output_token_count: 41, cached_content_token_count: 8_192, thoughts_token_count: 120, tool_token_count: 112, total_token_count: 9_973 }, id),
  event('tool_call', t + 1_420, { function_name: 'read_file', function_args: '{\n  "absolute_path": "/work/app/test/login.spec.ts"\n}', duration_ms: 9, success: true, decision: 'auto_accept', tool_type: 'native' }, id),
  event('api_response', t + 3_900, { model: 'gemini-2.5-pro', duration_ms: 2_450, status_code: 200, input_token_count: 9_905, output_token_count: 58, response_text: 'The test waits for /home; login now redirects to /dashboard.' }, id),
];

test('a prompt is a trace: its root named by the prompt, a model call per response with its tokens, a tool span per call', () => {
  const [group, ...others] = geminiCliEvents.spansOf(prompt(T0));
  assert.equal(others.length, 0);
  assert.equal(group.root.name, 'Why does test/login.spec.ts time out?');
  assert.equal(group.root.startTimeUnixNano, nanos(T0));
  assert.equal(group.root.endTimeUnixNano, nanos(T0 + 3_900));
  assert.deepEqual(group.children.map((c) => c.name), ['generate_content gemini-2.5-pro', 'execute_tool read_file', 'generate_content gemini-2.5-pro']);
  const [first, tool, answer] = group.children.map((c) => normalizeSpan(c, []));
  assert.equal(first.startTimeUnixNano, nanos(T0 + 50), 'a model call starts its duration before its response');
  assert.deepEqual(first.llm?.usage, { inputTokens: 9_812, outputTokens: 161, totalTokens: 9_973, cachedInputTokens: 8_192, reasoningTokens: 120 });
  assert.equal(first.llm?.operation, 'generate_content');
  assert.ok((first.llm?.costUsd ?? 0) > 0);
  assert.deepEqual(tool.llm?.tool, { name: 'read_file', arguments: '{\n  "absolute_path": "/work/app/test/login.spec.ts"\n}' });
  assert.deepEqual(answer.llm?.outputMessages, [{ role: 'assistant', content: 'The test waits for /home; login now redirects to /dashboard.' }]);
  const root = normalizeSpan(group.root, []);
  assert.equal(root.llm?.operation, 'agent');
  assert.deepEqual(root.llm?.inputMessages, [{ role: 'user', content: 'Why does test/login.spec.ts time out?' }]);
});

test('events of one prompt in several exports make the same trace and span ids; another prompt is another trace', () => {
  const events = prompt(T0);
  const once = geminiCliEvents.spansOf(events);
  const split = [...geminiCliEvents.spansOf(events.slice(0, 2)), ...geminiCliEvents.spansOf(events.slice(2))];
  assert.deepEqual(new Set(split.map((g) => g.root.traceId)), new Set([once[0].root.traceId]));
  assert.deepEqual(split.flatMap((g) => g.children.map((c) => c.spanId)), once[0].children.map((c) => c.spanId));
  const merged = geminiCliEvents.mergeRoot(split[1].root, split[0].root);
  assert.equal(merged.name, 'Why does test/login.spec.ts time out?', 'the later export alone does not know the prompt');
  assert.equal(merged.endTimeUnixNano, nanos(T0 + 3_900));
  const second = geminiCliEvents.spansOf(prompt(T0 + 60_000, 'Fix it', `${SESSION}########2`));
  assert.notEqual(second[0].root.traceId, once[0].root.traceId);
});

test('a failed request is an error span; a failed tool call too, a refused one is not', () => {
  const [{ children }] = geminiCliEvents.spansOf([
    event('user_prompt', T0, { prompt_length: 6 }),
    event('api_error', T0 + 700, { model: 'gemini-2.5-pro', error: 'Resource has been exhausted (e.g. check quota).', status_code: 429, duration_ms: 650 }),
    event('tool_call', T0 + 900, { function_name: 'run_shell_command', function_args: '{"command":"npm test"}', duration_ms: 4_000, success: false, error: 'Command exited with code 1\n...' }),
    event('tool_call', T0 + 950, { function_name: 'write_file', function_args: '{}', duration_ms: 0, success: false, decision: 'reject' }),
  ]);
  assert.deepEqual(children.map((c) => [c.name, c.status]), [
    ['generate_content gemini-2.5-pro', { code: 'ERROR', message: 'Resource has been exhausted (e.g. check quota).' }],
    ['execute_tool run_shell_command', { code: 'ERROR', message: 'Command exited with code 1' }],
    ['execute_tool write_file', { code: 'UNSET' }],
  ]);
});

test('a release that writes GenAI attributes on its events: the model and tokens are read from them', () => {
  const [{ children }] = geminiCliEvents.spansOf([
    event('api_response', T0 + 900, { 'gen_ai.response.model': 'gemini-3-flash', 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.output_tokens': 10, duration_ms: 800 }),
  ]);
  assert.equal(children[0].name, 'generate_content gemini-3-flash');
  const llm = normalizeSpan(children[0], []).llm;
  assert.deepEqual([llm?.responseModel, llm?.usage.inputTokens, llm?.usage.outputTokens], ['gemini-3-flash', 20, 10]);
});

test("which records count: Gemini CLI's events without span ids, of the kinds that make a span, with a session", () => {
  const base = event('api_response', T0, { model: 'gemini-2.5-flash' });
  assert.equal(geminiCliEvents.accepts(base), true);
  assert.equal(geminiCliEvents.accepts({ ...base, spanId: '00f067aa0ba902b7', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }), false, 'its span holds it');
  assert.equal(geminiCliEvents.accepts(event('config', T0)), false);
  assert.equal(geminiCliEvents.accepts(event('api_request', T0)), false, 'its response says all of it');
  const { 'session.id': _dropped, ...withoutSession } = base.attributes;
  assert.equal(geminiCliEvents.accepts({ ...base, attributes: withoutSession }), false);
  assert.equal(geminiCliEvents.accepts({ ...base, attributes: { ...base.attributes, 'event.name': 'api_response' } }), false, "another app's event name");
});

test('records with fields of any type never throw, and every span they make is well formed', () => {
  const random = seededRandom(11);
  const pick = () => JUNK[random(JUNK.length)];
  for (let i = 0; i < 2000; i++) {
    const kinds = ['user_prompt', 'api_response', 'api_error', 'tool_call', 'slash_command'];
    const record = event(kinds[random(kinds.length)], T0 + random(100_000), {
      prompt: pick(), prompt_id: pick(), model: pick(), duration_ms: pick(), input_token_count: pick(), output_token_count: pick(), thoughts_token_count: pick(),
      tool_token_count: pick(), response_text: pick(), status_code: pick(), error: pick(), function_name: pick(), function_args: pick(), success: pick(), decision: pick(),
    } as Attributes);
    if (random(10) === 0) record.timeUnixNano = '0';
    if (geminiCliEvents.accepts(record)) assertWellFormed(geminiCliEvents.spansOf([record]));
  }
});
