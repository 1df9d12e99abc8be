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

/** The elements with this test id, in document order. */
function all(form: { element: HTMLElement }, testId: string): FakeElement[] {
  return (form.element as unknown as FakeElement).descendants().filter((e) => e.dataset.testid === testId);
}

test('replay form: removing a tool call takes the tool message answering it out too, and the turn is sent without calls', async () => {
  const twoCalls: ReplayDraft = {
    ...draft,
    messages: [
      draft.messages[0],
      { role: 'assistant', content: 'Looking.', toolCalls: [{ id: 'call_1', name: 'get_order', arguments: '{}' }, { id: 'call_2', name: 'get_refund', arguments: '{}' }] },
      { role: 'tool', content: 'shipped', toolCallId: 'call_1' },
      { role: 'tool', content: 'none', toolCallId: 'call_2' },
    ],
  };
  const { form } = await formOf(twoCalls);
  all(form, 'replay-remove-tool-call')[1].fire('click');
  const one = form.collect();
  assert.ok('draft' in one);
  assert.deepEqual(one.draft.messages.slice(1), [{ ...twoCalls.messages[1], toolCalls: [twoCalls.messages[1].toolCalls![0]] }, twoCalls.messages[2]]);
  assert.equal(all(form, 'replay-message').length, 3);
  all(form, 'replay-remove-tool-call')[0].fire('click');
  const none = form.collect();
  assert.ok('draft' in none);
  // Its text alone: the request builder sends no tool_calls for an empty list (the API refuses one).
  assert.deepEqual(none.draft.messages, [draft.messages[0], { role: 'assistant', content: 'Looking.', toolCalls: [] }]);
});

test('replay form: an added tool call comes with a tool message answering it, after the turn\'s other answers, and is sent as written', async () => {
  const { form } = await formOf(draft);
  const [userAdd, assistantAdd, toolAdd] = all(form, 'replay-add-tool-call');
  assert.deepEqual([userAdd.hidden, assistantAdd.hidden, toolAdd.hidden], [true, false, true], 'only an assistant turn calls tools');
  assistantAdd.fire('click');
  assert.equal(all(form, 'replay-tool-call').length, 2);
  // A call needs its function's name before anything is sent.
  const unnamed = form.collect();
  assert.ok('error' in unnamed);
  assert.equal(unnamed.error, 'A tool call (call_added_1) needs a function name.');
  all(form, 'replay-tool-call-name')[1].value = 'get_refund';
  all(form, 'replay-tool-call-arguments')[1].value = '{"order_id": "A-7"}';
  all(form, 'replay-message-content')[3].value = '{"refund":"none"}';
  const collected = form.collect();
  assert.ok('draft' in collected);
  assert.deepEqual(collected.draft.messages.slice(1), [
    { role: 'assistant', content: '', toolCalls: [draft.messages[1].toolCalls![0], { id: 'call_added_1', name: 'get_refund', arguments: '{"order_id":"A-7"}' }] },
    draft.messages[2],
    { role: 'tool', content: '{"refund":"none"}', toolCallId: 'call_added_1' },
  ]);
  // A user turn made an assistant one can call tools too.
  const roles = all(form, 'replay-message-role');
  roles[0].value = 'assistant';
  roles[0].fire('change');
  assert.equal(userAdd.hidden, false);
  userAdd.fire('click');
  const second = form.collect();
  assert.ok('error' in second);
  assert.equal(second.error, 'A tool call (call_added_2) needs a function name.');
  all(form, 'replay-tool-call-name')[0].value = 'lookup';
  const third = form.collect();
  assert.ok('draft' in third);
  assert.deepEqual(third.draft.messages.slice(0, 2), [
    { role: 'assistant', content: 'Where is order A-7?', toolCalls: [{ id: 'call_added_2', name: 'lookup', arguments: '{}' }] },
    { role: 'tool', content: '', toolCallId: 'call_added_2' },
  ], 'its answer right after it');
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
