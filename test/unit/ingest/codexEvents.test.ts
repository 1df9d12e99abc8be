// Codex's events (codex-rs/otel: log records without span ids) as traces, one per user prompt. Field
// names as its log_event! calls write them; counts and durations as text, as its `%value` fields are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodexEvents } from '../../../src/ingest/codexEvents';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { assertWellFormed, JUNK, seededRandom } from './eventSpansKit';
import type { RawLogRecord } from '../../../src/otlp/types';
import type { Attributes } from '../../../src/protocol/model';

const CONVERSATION = '01990a2b-7c3d-7e4f-8a5b-6c7d8e9f0a1b';
const T0 = 1_764_900_000_000;
const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

function event(name: string, atMs: number, attributes: Attributes = {}, conversation = CONVERSATION): RawLogRecord {
  return {
    timeUnixNano: nanos(atMs),
    observedTimeUnixNano: nanos(atMs),
    severityNumber: 9,
    // Its log bridge names the record after the code location; the event's name is an attribute.
    eventName: 'event codex-rs/otel/src/events/shared/log.rs:4',
    body: '',
    attributes: {
      'event.name': `codex.${name}`,
      'event.timestamp': new Date(atMs).toISOString(),
      'conversation.id': conversation,
      'app.version': '0.160.0',
      model: 'gpt-5.1-codex',
      slug: 'gpt-5.1-codex',
      'terminal.type': 'vscode',
      ...attributes,
    },
    resource: { 'service.name': 'codex_exec' },
    scope: { name: 'codex_otel' },
  };
}

const turn = (t: number, prompt = 'Fix the failing parser test') => [
  event('user_prompt', t, { prompt_length: String(prompt.length), prompt }),
  event('api_request', t + 900, { duration_ms: '800', 'http.response.status_code': 200, attempt: 1 }),
  event('sse_event', t + 4_000, { 'event.kind': 'response.completed', input_token_count: '12000', output_token_count: '350', cached_token_count: '9000', reasoning_token_count: '200', tool_token_count: '0' }),
  event('tool_decision', t + 4_050, { tool_name: 'shell', call_id: 'call_1', decision: 'approved', source: 'config' }),
  event('tool_result', t + 6_100, { tool_name: 'shell', call_id: 'call_1', arguments: '{"command":["cargo","test"]}', duration_ms: '2000', success: 'true', output: 'test result: ok. 41 passed' }),
  event('api_request', t + 6_500, { duration_ms: '300', 'http.response.status_code': 200 }),
  event('sse_event', t + 9_000, { 'event.kind': 'response.completed', input_token_count: '12600', output_token_count: '90', cached_token_count: '12000' }),
];

test('a Codex turn: its prompt is the root, each completed response a model call from its request, each tool result a tool span', () => {
  const [group] = new CodexEvents().spansOf(turn(T0));
  assert.ok(group);
  const { root, children } = group;
  assert.equal(root.name, 'Fix the failing parser test');
  assert.deepEqual([root.startTimeUnixNano, root.endTimeUnixNano], [nanos(T0), nanos(T0 + 9_000)]);
  assert.equal(root.attributes['gen_ai.operation.name'], 'invoke_agent');
  assert.equal(root.attributes['spanlight.made_from'], 'codex events');
  assert.deepEqual(
    children.map((s) => [s.name, s.startTimeUnixNano, s.endTimeUnixNano, s.parentSpanId === root.spanId]),
    [
      ['chat gpt-5.1-codex', nanos(T0 + 100), nanos(T0 + 4_000), true],
      ['execute_tool shell', nanos(T0 + 4_100), nanos(T0 + 6_100), true],
      ['chat gpt-5.1-codex', nanos(T0 + 6_200), nanos(T0 + 9_000), true],
    ],
    'an approved decision is its tool_result; a model call starts when its request went out',
  );
  const call = normalizeSpan(children[0], []).llm;
  assert.equal(call?.operation, 'chat');
  assert.equal(call?.requestModel, 'gpt-5.1-codex');
  assert.deepEqual(call?.usage, { inputTokens: 12_000, outputTokens: 350, totalTokens: 12_350, cachedInputTokens: 9_000, reasoningTokens: 200 });
  const tool = normalizeSpan(children[1], []).llm;
  assert.deepEqual(tool?.tool, { name: 'shell', callId: 'call_1', arguments: '{"command":["cargo","test"]}', result: 'test result: ok. 41 passed' });
  const agent = normalizeSpan(root, []).llm;
  assert.equal(agent?.operation, 'agent');
  assert.deepEqual(agent?.inputMessages, [{ role: 'user', content: 'Fix the failing parser test' }]);
});

test('a conversation over several exports: events join the turn in progress; the next prompt starts a new trace', () => {
  const codex = new CodexEvents();
  const events = turn(T0);
  const first = codex.spansOf(events.slice(0, 3));
  const later = codex.spansOf(events.slice(3));
  assert.equal(later[0].root.traceId, first[0].root.traceId);
  assert.equal(later[0].root.spanId, first[0].root.spanId);
  assert.equal(later[0].children[1].startTimeUnixNano, nanos(T0 + 6_200), 'the request of the last export is remembered');
  const merged = codex.mergeRoot(first[0].root, later[0].root);
  assert.equal(merged.name, 'Fix the failing parser test', 'the stored root keeps the prompt');
  assert.equal(merged.endTimeUnixNano, nanos(T0 + 9_000));

  const next = codex.spansOf([event('user_prompt', T0 + 60_000, { prompt: 'Now add a test for it' }), event('api_request', T0 + 60_500, { duration_ms: '100' })]);
  assert.notEqual(next[0].root.traceId, first[0].root.traceId);
  // The same export again (an exporter retry) gives the same ids.
  assert.deepEqual(new CodexEvents().spansOf(turn(T0)).map((g) => g.children.map((s) => s.spanId)), [first[0].children.map((s) => s.spanId).concat(later[0].children.map((s) => s.spanId))]);
});

test('after a restart the rest of a turn is a trace of its own; two conversations never mix', () => {
  const events = turn(T0);
  const [continued] = new CodexEvents().spansOf(events.slice(4));
  assert.equal(continued.root.name, 'invoke_agent Codex');
  assert.deepEqual(continued.children.map((s) => s.name), ['execute_tool shell', 'chat gpt-5.1-codex']);
  const groups = new CodexEvents().spansOf([...turn(T0), ...turn(T0 + 5, 'Other window').map((e) => ({ ...e, attributes: { ...e.attributes, 'conversation.id': 'other' } }))]);
  assert.equal(groups.length, 2);
  assert.deepEqual(groups.map((g) => g.children.length), [3, 3]);
});

test('failures: a failed request or response is an error model call, a failed tool an error span, a refused one a span; a redacted prompt names nothing', () => {
  const [{ root, children }] = new CodexEvents().spansOf([
    event('user_prompt', T0, { prompt_length: '31', prompt: '[REDACTED]' }),
    event('api_request', T0 + 100, { duration_ms: '90', 'http.response.status_code': 429, 'error.message': 'Rate limit reached for gpt-5.1-codex' }),
    event('api_request', T0 + 1_000, { duration_ms: '200', 'http.response.status_code': 200 }),
    event('sse_event', T0 + 3_000, { 'event.kind': 'response.completed', 'error.message': 'stream disconnected before completion' }),
    event('tool_result', T0 + 3_500, { tool_name: 'apply_patch', call_id: 'c2', success: 'false', output: 'patch did not apply\nhunk 2', duration_ms: '10' }),
    event('tool_decision', T0 + 3_600, { tool_name: 'shell', call_id: 'c3', decision: 'denied', source: 'user' }),
    event('sse_event', T0 + 3_700, { 'event.kind': 'response.output_item.done', duration_ms: '3' }),
  ]);
  assert.equal(root.name, 'invoke_agent Codex');
  assert.equal(root.attributes['prompt'], undefined);
  assert.deepEqual(
    children.map((s) => [s.name, s.status]),
    [
      ['chat gpt-5.1-codex', { code: 'ERROR', message: 'Rate limit reached for gpt-5.1-codex' }],
      ['chat gpt-5.1-codex', { code: 'ERROR', message: 'stream disconnected before completion' }],
      ['execute_tool apply_patch', { code: 'ERROR', message: 'patch did not apply' }],
      ['execute_tool shell', { code: 'UNSET' }],
    ],
  );
});

test('which records are Codex events: by the event.name attribute, with a conversation, not tied to a span', () => {
  const codex = new CodexEvents();
  const base = event('api_request', T0);
  assert.equal(codex.accepts(base), true);
  assert.equal(codex.accepts({ ...base, spanId: '00f067aa0ba902b7', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }), false);
  assert.equal(codex.accepts(event('conversation_starts', T0)), false, 'kinds that make no span');
  const { 'conversation.id': _dropped, ...withoutConversation } = base.attributes;
  assert.equal(codex.accepts({ ...base, attributes: withoutConversation }), false);
  assert.equal(codex.accepts({ ...base, attributes: { ...base.attributes, 'event.name': 'api_request' } }), false, 'another app\'s event name');
});

test('records with fields of any type never throw, and every span they make is well formed', () => {
  const random = seededRandom(7);
  const junk = [...JUNK, '[REDACTED]'];
  const pick = () => junk[random(junk.length)];
  const codex = new CodexEvents();
  for (let i = 0; i < 2000; i++) {
    const kinds = ['user_prompt', 'api_request', 'websocket_request', 'sse_event', 'tool_result', 'tool_decision', 'other'];
    const record = event(kinds[random(kinds.length)], T0 + random(100_000), {
      prompt: pick(), duration_ms: pick(), 'event.kind': random(2) ? 'response.completed' : pick(), input_token_count: pick(), success: pick(),
      'http.response.status_code': pick(), 'error.message': pick(), tool_name: pick(), call_id: pick(), output: pick(), decision: random(2) ? 'denied' : pick(),
    } as Attributes, `c${random(3)}`);
    if (random(10) === 0) record.timeUnixNano = '0';
    if (codex.accepts(record)) assertWellFormed(codex.spansOf([record]));
  }
});

test('requests to other endpoints than a model are not model calls', () => {
  const [{ children }] = new CodexEvents().spansOf([
    event('user_prompt', T0, { prompt: 'hi' }),
    event('api_request', T0 + 100, { duration_ms: '50', 'http.response.status_code': 500, endpoint: '/wham/usage' }),
    event('api_request', T0 + 200, { duration_ms: '50', 'http.response.status_code': 200, endpoint: '/models' }),
    event('api_request', T0 + 900, { duration_ms: '100', 'http.response.status_code': 200, endpoint: '/responses' }),
    event('sse_event', T0 + 2_000, { 'event.kind': 'response.completed', input_token_count: '10', output_token_count: '2' }),
  ]);
  assert.deepEqual(children.map((s) => [s.name, s.startTimeUnixNano, s.status.code]), [['chat gpt-5.1-codex', nanos(T0 + 800), 'UNSET']]);
});
