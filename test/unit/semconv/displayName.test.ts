// Display names: the label a recorder keeps in an attribute when its span names are kinds, not instances
// (Haystack's component runs, Logfire's message templates). The span keeps its name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { DISPLAY_NAME_MAX_CHARS, displayNameOf } from '../../../src/semconv/displayName';
import { rawSpan } from './spanBuilder';

const TEMPLATE = 'Chat Completion with {request_data[model]!r}';

test("a Haystack component run is shown by its component's name; the span keeps its name", () => {
  const span = normalizeSpan(rawSpan({ 'haystack.component.name': 'retriever', 'haystack.component.type': 'InMemoryBM25Retriever' }, { name: 'haystack.component.run' }), []);
  assert.deepEqual([span.displayName, span.name], ['retriever', 'haystack.component.run']);
  assert.equal(displayNameOf('haystack.agent.step.tool', { 'haystack.tool.name': 'timetable' }), 'timetable');
  // The name alone, on another span, is the app's attribute.
  assert.equal(displayNameOf('search', { 'haystack.component.name': 'retriever' }), undefined);
});

test("a Logfire span named by its template is shown by its message; one the app named, or without a message, by its name", () => {
  assert.equal(displayNameOf(TEMPLATE, { 'logfire.msg_template': TEMPLATE, 'logfire.msg': "Chat Completion with 'gpt-4o'" }), "Chat Completion with 'gpt-4o'");
  assert.equal(displayNameOf('nightly import', { 'logfire.msg_template': TEMPLATE, 'logfire.msg': "Chat Completion with 'gpt-4o'" }), undefined);
  assert.equal(displayNameOf(TEMPLATE, { 'logfire.msg_template': TEMPLATE }), undefined);
  assert.equal(displayNameOf('agent run', { 'logfire.msg_template': 'agent run', 'logfire.msg': 'agent run' }), undefined, 'the same text is no label');
  assert.equal(displayNameOf(TEMPLATE, { 'logfire.msg_template': TEMPLATE, 'logfire.msg': 42 }), undefined);
  // Pydantic AI's instrumentation version 2: every tool span is `running tool`, the message names the tool.
  assert.equal(displayNameOf('running tool', { 'gen_ai.tool.name': 'get_weather', 'logfire.msg': 'running tool: get_weather' }), 'running tool: get_weather');
  assert.equal(displayNameOf('agent run', { 'logfire.msg': 'weather_agent run' }), undefined, 'a message that does not extend the name');
});

test('a long label is cut to a title, never between the halves of an emoji', () => {
  const message = `Processing ${'📦'.repeat(300)}`;
  const label = displayNameOf(TEMPLATE, { 'logfire.msg_template': TEMPLATE, 'logfire.msg': message });
  assert.ok(label && label.length <= DISPLAY_NAME_MAX_CHARS);
  assert.ok(label.endsWith('📦…'), label.slice(-4));
  assert.equal(Buffer.from(label, 'utf8').toString('utf8'), label, 'no lone surrogate');
});
