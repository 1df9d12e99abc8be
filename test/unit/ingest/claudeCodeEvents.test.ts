// Claude Code's events (OTLP log records without span ids) as traces: one per user prompt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSpanlessClaudeCodeEvent, mergeRoot, spansOfClaudeCodeEvents } from '../../../src/ingest/claudeCodeEvents';
import { assertWellFormed, JUNK, seededRandom } from './eventSpansKit';
import type { RawLogRecord } from '../../../src/otlp/types';
import type { Attributes } from '../../../src/protocol/model';

const SESSION = 'a1b9c3de-0000-4000-8000-00000000c0de';
const PROMPT = 'f00dfeed-1111-4222-8333-444455556666';
const T0 = 1_764_800_000_000; // ms

let sequence = 0;
/** A record as Claude Code's logger sends it: body `claude_code.<name>`, `event.name` without the prefix. */
function event(name: string, atMs: number, attributes: Attributes, options: { prompt?: string | null; eventNameField?: boolean } = {}): RawLogRecord {
  const prompt = options.prompt === undefined ? PROMPT : options.prompt;
  return {
    timeUnixNano: (BigInt(atMs) * 1_000_000n).toString(),
    observedTimeUnixNano: (BigInt(atMs) * 1_000_000n).toString(),
    severityNumber: 9,
    ...(options.eventNameField ? { eventName: name } : {}),
    body: `claude_code.${name}`,
    attributes: {
      'session.id': SESSION,
      ...(prompt === null ? {} : { 'prompt.id': prompt }),
      'event.name': name,
      'event.sequence': ++sequence,
      'event.timestamp': new Date(atMs).toISOString(),
      'terminal.type': 'vscode',
      ...attributes,
    },
    resource: { 'service.name': 'claude-code', 'service.version': '2.1.175' },
    scope: { name: 'com.anthropic.claude_code.events', version: '2.1.175' },
  };
}

const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

test('a prompt with two model calls and a tool use: one trace, a root covering them, a span per call', () => {
  const [prompt] = spansOfClaudeCodeEvents([
    event('user_prompt', T0, { prompt: 'Fix the flaky login test', prompt_length: 24 }),
    event('api_request', T0 + 3000, { model: 'claude-sonnet-4-5', input_tokens: 10, cache_read_tokens: 900, output_tokens: 40, duration_ms: 2500, cost_usd: 0.0011 }),
    event('tool_decision', T0 + 3100, { tool_name: 'Bash', decision: 'accept', source: 'config' }),
    event('tool_result', T0 + 5100, { tool_name: 'Bash', success: 'true', duration_ms: 2000, tool_use_id: 'toolu_1', tool_parameters: '{"bash_command":"npm test"}' }),
    event('api_request', T0 + 9000, { model: 'claude-sonnet-4-5', input_tokens: 20, output_tokens: 80, duration_ms: 3500 }),
  ]);
  assert.ok(prompt);
  const { root, children } = prompt;
  assert.equal(root.name, 'Fix the flaky login test', 'named by the prompt');
  assert.match(root.traceId, /^[0-9a-f]{32}$/);
  assert.match(root.spanId, /^[0-9a-f]{16}$/);
  assert.equal(root.parentSpanId, undefined);
  assert.equal(root.startTimeUnixNano, nanos(T0));
  assert.equal(root.endTimeUnixNano, nanos(T0 + 9000));
  assert.equal(root.durationMs, 9000);
  assert.equal(root.attributes['user_prompt'], 'Fix the flaky login test');
  assert.equal(root.attributes['user_prompt_length'], 24);
  assert.equal(root.attributes['span.type'], 'interaction');
  assert.deepEqual(root.resource, { 'service.name': 'claude-code', 'service.version': '2.1.175' });

  assert.deepEqual(
    children.map((s) => [s.name, s.startTimeUnixNano, s.endTimeUnixNano, s.status.code]),
    [
      ['chat claude-sonnet-4-5', nanos(T0 + 500), nanos(T0 + 3000), 'UNSET'],
      ['execute_tool Bash', nanos(T0 + 3100), nanos(T0 + 5100), 'UNSET'],
      ['chat claude-sonnet-4-5', nanos(T0 + 5500), nanos(T0 + 9000), 'UNSET'],
    ],
    'an accepted tool decision makes no span of its own: its tool_result does',
  );
  for (const child of children) {
    assert.equal(child.traceId, root.traceId);
    assert.equal(child.parentSpanId, root.spanId);
  }
  assert.equal(new Set(children.map((s) => s.spanId)).size, 3);
  assert.equal(children[0].attributes['cost_usd'], 0.0011, 'the event attributes are kept');
  assert.equal(children[0].attributes['span.type'], 'llm_request');
  assert.equal(children[0].attributes['spanlight.made_from'], 'claude_code events', 'marked as made by Spanlight');
  assert.equal(root.attributes['spanlight.made_from'], 'claude_code events');
});

test('the same events give the same ids in a later export, so a prompt spread over exports is one trace', () => {
  sequence = 100;
  const first = spansOfClaudeCodeEvents([event('user_prompt', T0, { prompt: 'hi' })]);
  const later = spansOfClaudeCodeEvents([event('api_request', T0 + 4000, { model: 'claude-haiku-4-5', duration_ms: 1000 })]);
  assert.equal(first[0].root.traceId, later[0].root.traceId);
  assert.equal(first[0].root.spanId, later[0].root.spanId);
  const merged = mergeRoot(first[0].root, later[0].root);
  assert.equal(merged.startTimeUnixNano, nanos(T0));
  assert.equal(merged.endTimeUnixNano, nanos(T0 + 4000));
  assert.equal(merged.durationMs, 4000);
  assert.equal(merged.attributes['user_prompt'], 'hi', 'the stored prompt text stays');
  assert.equal(merged.name, 'hi');
  assert.equal(later[0].root.name, 'invoke_agent Claude Code', 'without the prompt (its export came first, or OTEL_LOG_USER_PROMPTS is off): Claude Code\'s name');
  assert.equal(mergeRoot(later[0].root, first[0].root).name, 'hi', 'the prompt names it whichever export came first');
  // The same event twice (a retried export) is the same span: stored again, not added.
  sequence = 200;
  const a = spansOfClaudeCodeEvents([event('api_request', T0 + 1, { duration_ms: 1 })]);
  sequence = 200;
  const b = spansOfClaudeCodeEvents([event('api_request', T0 + 1, { duration_ms: 1 })]);
  assert.equal(a[0].children[0].spanId, b[0].children[0].spanId);
});

test('a long prompt names its root by its first line, cut', () => {
  const [{ root }] = spansOfClaudeCodeEvents([event('user_prompt', T0, { prompt: `  ${'x'.repeat(150)}\nsecond line` })]);
  assert.equal(root.name, `${'x'.repeat(99)}…`);
  assert.equal(root.attributes['user_prompt'], `  ${'x'.repeat(150)}\nsecond line`, 'the whole prompt is kept');
});

test('two prompts are two traces; events from before prompt.id existed make one trace per session', () => {
  const groups = spansOfClaudeCodeEvents([
    event('api_request', T0, { duration_ms: 10 }, { prompt: 'p-1' }),
    event('api_request', T0 + 20, { duration_ms: 10 }, { prompt: 'p-2' }),
    event('api_request', T0 + 40, { duration_ms: 10 }, { prompt: null }),
  ]);
  assert.equal(groups.length, 3);
  assert.equal(new Set(groups.map((g) => g.root.traceId)).size, 3);
});

test('failures: an API error and a failed tool are error spans with the message; a rejected tool use is a span too', () => {
  const [{ children }] = spansOfClaudeCodeEvents([
    event('api_error', T0 + 100, { model: 'claude-opus-4-1', error: 'Overloaded', status_code: 529, duration_ms: 90, attempt: 2 }),
    event('api_error', T0 + 200, { model: 'claude-opus-4-1', status_code: '500' }),
    event('tool_result', T0 + 300, { tool_name: 'Edit', success: false, error: 'String to replace not found', duration_ms: 5 }),
    event('tool_decision', T0 + 400, { tool_name: 'Bash', decision: 'reject', source: 'user_reject' }),
  ]);
  assert.deepEqual(
    children.map((s) => [s.name, s.status]),
    [
      ['chat claude-opus-4-1', { code: 'ERROR', message: 'Overloaded' }],
      ['chat claude-opus-4-1', { code: 'ERROR', message: 'HTTP 500' }],
      ['execute_tool Edit', { code: 'ERROR', message: 'String to replace not found' }],
      ['execute_tool Bash', { code: 'UNSET' }],
    ],
  );
  assert.equal(children[3].durationMs, 0);
});

test('which records are Claude Code events: by scope, body or event name; never one tied to a span', () => {
  const base = event('api_request', T0, {});
  assert.equal(isSpanlessClaudeCodeEvent(base), true);
  assert.equal(isSpanlessClaudeCodeEvent({ ...base, spanId: '00f067aa0ba902b7', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }), false);
  assert.equal(isSpanlessClaudeCodeEvent({ ...base, scope: { name: 'other' } }), true, 'the body names it');
  assert.equal(isSpanlessClaudeCodeEvent({ ...base, scope: { name: 'other' }, body: 'api_request' }), false, 'an app of its own with the same event name');
  assert.equal(isSpanlessClaudeCodeEvent({ ...base, eventName: 'claude_code.api_request', scope: { name: 'other' }, body: null }), true);
  assert.equal(isSpanlessClaudeCodeEvent(event('hook_execution_complete', T0, {})), false, 'kinds that stand for no span');
  assert.equal(isSpanlessClaudeCodeEvent(event('api_request', T0, {}, { eventNameField: true })), true);
  const cowork = { ...base, scope: { name: 'cowork' }, body: null, eventName: 'api_request', resource: { 'service.name': 'cowork' } };
  assert.equal(isSpanlessClaudeCodeEvent(cowork), true, "Cowork's events, by its service name");
  assert.equal(isSpanlessClaudeCodeEvent({ ...cowork, resource: { 'service.name': 'my-app' } }), false);
});

test('bad values never throw: no session, odd durations and times', () => {
  const noSession = event('api_request', T0, {});
  delete noSession.attributes['session.id'];
  // No record time: the event's own ISO timestamp; a duration that is not a number: an instant.
  const noTime = { ...event('api_request', T0 + 7, { duration_ms: 'soon' }), timeUnixNano: '0' };
  const groups = spansOfClaudeCodeEvents([noSession, noTime, event('tool_result', T0, { duration_ms: -5 }), event('api_request', 5, { duration_ms: 1e12 })]);
  const spans = groups.flatMap((g) => g.children);
  assert.equal(spans.length, 3, 'no session: nothing to group it by');
  assert.deepEqual([spans[0].startTimeUnixNano, spans[0].endTimeUnixNano], [nanos(T0 + 7), nanos(T0 + 7)]);
  assert.equal(spans[1].durationMs, 0);
  assert.equal(spans[2].startTimeUnixNano, '0', 'a duration longer than the time since 1970 starts at 0');
});

test('records with fields of any type never throw, and every span they make is well formed', () => {
  const random = seededRandom(11);
  const pick = () => JUNK[random(JUNK.length)];
  const kinds = ['user_prompt', 'api_request', 'api_error', 'tool_result', 'tool_decision', 'hook_execution_start'];
  const records = Array.from({ length: 2000 }, () => {
    const record = event(kinds[random(kinds.length)], T0 + random(100_000), {
      prompt: pick(), duration_ms: pick(), input_token_count: pick(), cache_read_tokens: pick(), success: pick(), status_code: pick(), error: pick(),
      tool_name: pick(), decision: random(2) ? 'reject' : pick(), 'event.sequence': pick(),
    } as Attributes, { prompt: random(3) ? `p${random(4)}` : null });
    if (random(10) === 0) record.timeUnixNano = '0';
    return record;
  });
  assertWellFormed(spansOfClaudeCodeEvents(records.filter(isSpanlessClaudeCodeEvent)));
});
