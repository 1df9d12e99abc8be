import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containsSearchText } from '../../../src/store/textMatch';

const found = (text: string, needle: string) => containsSearchText(Buffer.from(text.toLowerCase()), Buffer.from(needle.toLowerCase()));

test("the message formats' keys and fixed words are not hits; what the messages say is", () => {
  const genai = '[{"role":"user","parts":[{"type":"text","content":"Where is my parcel? The user guide says 3 days"}]}]';
  for (const needle of ['role', 'parts', 'type', 'content', 'con', 'ole']) assert.equal(found(genai, needle), false, needle);
  // "user" and "text" are fixed words in `"role":"user"` and `"type":"text"`, and words of the message.
  assert.equal(found(genai, 'user'), true);
  assert.equal(found('[{"role":"user","parts":[{"type":"text","content":"Where is my parcel?"}]}]', 'user'), false);
  assert.equal(found('[{"role":"user","parts":[{"type":"text","content":"Where is my parcel?"}]}]', 'text'), false);
  assert.equal(found(genai, 'parcel'), true);
});

test("Python's json.dumps spacing and single-quoted reprs are read alike", () => {
  assert.equal(found('[{"role": "tool", "content": "42 km"}]', 'tool'), false);
  assert.equal(found("[{'role': 'assistant', 'content': 'done'}]", 'assistant'), false);
  assert.equal(found("[{'role': 'assistant', 'content': 'done'}]", 'done'), true);
});

test("a tool's name and its arguments' own keys are hits, as is a needle typed with its quotes", () => {
  const call = '{"type":"tool_call","id":"c1","name":"get_weather","arguments":{"location":"Paris"}}';
  assert.equal(found(call, 'get_weather'), true);
  assert.equal(found(call, 'location'), true);
  assert.equal(found(call, 'arguments'), false);
  assert.equal(found(call, '"name":"get_weather"'), true);
  assert.equal(found('[{"role":"tool","content":"x"}]', '"role":"tool"'), true);
  assert.equal(found('[{"role":"tool","content":"x"}]', 'role":'), true);
});

test('a later hit counts when the first is a key; a word cut by the window start is a hit', () => {
  assert.equal(found('{"content":"the content of the report"}', 'content'), true);
  assert.equal(found('ole":"user","parts":[]', 'ole'), true);
  assert.equal(found('no json here, just a role to play', 'role'), true);
  assert.equal(found('', 'role'), false);
});
