// The conversation and the user a span belongs to (SEMCONV.md "session / user"), per convention, and
// what the views and the filter get of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { SESSION_ID_MAX_CHARS, sessionOf } from '../../../src/semconv/session';
import { indexFieldsOf } from '../../../src/store/spanMeta';
import { rawSpan } from './spanBuilder';

test('each convention’s session and user attributes', () => {
  const cases: [string, Record<string, string | number>, { id?: string; user?: string }][] = [
    ['OTel GenAI', { 'gen_ai.conversation.id': 'conv_7f3a' }, { id: 'conv_7f3a' }],
    ['OTel general / OpenInference', { 'session.id': 's-1', 'user.id': 'u-1' }, { id: 's-1', user: 'u-1' }],
    ['OTel end user', { 'enduser.id': 'alice' }, { user: 'alice' }],
    ['Langfuse', { 'langfuse.session.id': 'lf-s', 'langfuse.user.id': 'lf-u' }, { id: 'lf-s', user: 'lf-u' }],
    ['Traceloop association properties', { 'traceloop.association.properties.chat_id': 'chat12345', 'traceloop.association.properties.user_id': 'user12345' }, { id: 'chat12345', user: 'user12345' }],
    ['Vercel AI SDK telemetry metadata', { 'ai.telemetry.metadata.sessionId': 'v-s', 'ai.telemetry.metadata.userId': 'v-u' }, { id: 'v-s', user: 'v-u' }],
    ['LangSmith thread metadata', { 'langsmith.metadata.thread_id': 'thread-9', 'langsmith.metadata.user_id': 'ls-u' }, { id: 'thread-9', user: 'ls-u' }],
    ['Google ADK', { 'gcp.vertex.agent.session_id': 'adk-s' }, { id: 'adk-s' }],
    ['a numeric id', { 'session.id': 42 }, { id: '42' }],
  ];
  for (const [convention, attributes, expected] of cases) assert.deepEqual(sessionOf(attributes), expected, convention);
});

test('the conversation id wins over a generic session id; blank, non-text and missing values are no id', () => {
  assert.deepEqual(sessionOf({ 'session.id': 'generic', 'gen_ai.conversation.id': 'conv' }), { id: 'conv' });
  assert.equal(sessionOf({ 'session.id': '  ', 'user.id': true, 'gen_ai.conversation.id': { id: 'x' } as never }), undefined);
  assert.equal(sessionOf({ 'session.id': Number.NaN }), undefined);
  assert.equal(sessionOf({}), undefined);
  assert.equal(sessionOf({ 'session.id': 'x'.repeat(SESSION_ID_MAX_CHARS + 50) })?.id?.length, SESSION_ID_MAX_CHARS);
});

test('a normalized span carries its session, and its search text starts with the ids, so the filter finds the conversation', () => {
  const messages = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'W'.repeat(5000) }] }]);
  const span = normalizeSpan(rawSpan({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': messages, 'gen_ai.conversation.id': 'Conv_7F3A', 'user.id': 'u-1' }), []);
  assert.deepEqual(span.session, { id: 'Conv_7F3A', user: 'u-1' });
  assert.match(indexFieldsOf(span).text.toString('utf8'), /^conv_7f3a\nu-1\n/);
  assert.equal(normalizeSpan(rawSpan({ 'gen_ai.operation.name': 'chat' }), []).session, undefined);
});
