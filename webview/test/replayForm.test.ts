// The replay form reads back what the user edited: here, an assistant turn's tool calls.
//   node --import tsx --test webview/test/replayForm.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplayDraft } from '../../src/protocol/replay';
import { FakeElement, installFakeDocument } from './fakeDom';

installFakeDocument();

const draft: ReplayDraft = {
  baseUrl: 'http://127.0.0.1:8787/v1',
  model: 'gpt-4o-mini',
  messages: [
    { role: 'user', content: 'Where is order A-7?' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'get_order', arguments: '{"order_id":"A-7"}' }] },
    { role: 'tool', content: '{"status":"shipped"}', toolCallId: 'call_1' },
  ],
  params: {},
  tools: '',
};

async function formOf(d: ReplayDraft) {
  const { ReplayForm } = await import('../src/replay/replayView');
  const form = new ReplayForm(d);
  const field = (testId: string) => {
    const found = (form.element as unknown as FakeElement).descendants().find((e) => e.dataset.testid === testId);
    assert.ok(found, testId);
    return found;
  };
  return { form, field };
}

test('replay form: a tool call is shown as its name and pretty arguments, and read back unchanged as captured', async () => {
  const { form, field } = await formOf(draft);
  assert.equal(field('replay-tool-call-name').value, 'get_order');
  assert.equal(field('replay-tool-call-arguments').value, '{\n  "order_id": "A-7"\n}');
  const collected = form.collect();
  assert.ok('draft' in collected);
  // The captured text itself, not the pretty form shown: an unedited draft is the captured request.
  assert.deepEqual(collected.draft, draft);
});

test("replay form: a tool call's edited name and arguments are sent, the arguments as compact JSON, the id kept", async () => {
  const { form, field } = await formOf(draft);
  field('replay-tool-call-name').value = ' find_order ';
  field('replay-tool-call-arguments').value = '{ "order_id": "B-9",\n  "include": ["items"] }';
  const collected = form.collect();
  assert.ok('draft' in collected);
  assert.deepEqual(collected.draft.messages[1].toolCalls, [{ id: 'call_1', name: 'find_order', arguments: '{"order_id":"B-9","include":["items"]}' }]);
  // Emptied arguments are an empty object, which a function without parameters takes.
  field('replay-tool-call-arguments').value = '  ';
  const emptied = form.collect();
  assert.ok('draft' in emptied);
  assert.equal(emptied.draft.messages[1].toolCalls?.[0].arguments, '{}');
});

test('replay form: arguments that are not JSON, or a call without a name, are said before anything is sent', async () => {
  const { form, field } = await formOf(draft);
  field('replay-tool-call-arguments').value = '{"order_id": B-9}';
  const notJson = form.collect();
  assert.ok('error' in notJson);
  assert.match(notJson.error, /^The arguments of the call to get_order are not JSON: /);
  field('replay-tool-call-arguments').value = '{"order_id":"B-9"}';
  field('replay-tool-call-name').value = '';
  const unnamed = form.collect();
  assert.ok('error' in unnamed);
  assert.equal(unnamed.error, 'A tool call (call_1) needs a function name.');
});

test('replay form: a turn turned from assistant to user sends no tool calls', async () => {
  const { form, field } = await formOf(draft);
  const roles = (form.element as unknown as FakeElement).descendants().filter((e) => e.dataset.testid === 'replay-message-role');
  roles[1].value = 'user';
  // Even broken arguments do not matter then: they are not sent.
  field('replay-tool-call-arguments').value = 'not json';
  const collected = form.collect();
  assert.ok('draft' in collected);
  assert.deepEqual(collected.draft.messages[1], { role: 'user', content: '' });
});

test('replay form: a call that continued a stored response shows its id, sent as kept or as edited, and nothing once emptied', async () => {
  const continued: ReplayDraft = { ...draft, api: 'responses', previousResponseId: 'resp_earlier' };
  const { form, field } = await formOf(continued);
  assert.equal(field('replay-previous-response').value, 'resp_earlier');
  const kept = form.collect();
  assert.ok('draft' in kept);
  assert.deepEqual(kept.draft, continued);
  field('replay-previous-response').value = ' resp_other ';
  const edited = form.collect();
  assert.ok('draft' in edited);
  assert.equal(edited.draft.previousResponseId, 'resp_other');
  field('replay-previous-response').value = '';
  const emptied = form.collect();
  assert.ok('draft' in emptied);
  assert.equal('previousResponseId' in emptied.draft, false);
  // A call that continued nothing has no such field.
  const plain = await formOf(draft);
  assert.equal((plain.form.element as unknown as FakeElement).descendants().some((e) => e.dataset.testid === 'replay-previous-response'), false);
});
