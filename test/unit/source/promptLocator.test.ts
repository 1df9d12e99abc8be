import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LlmCall, Span } from '../../../src/protocol/model';
import { literalRuns, locatePrompt, promptNeedles, type SearchedFile } from '../../../src/source/promptLocator';

function call(llm: Partial<LlmCall>): Pick<Span, 'llm'> {
  return {
    llm: { operation: 'chat', params: {}, inputMessages: [], outputMessages: [], finishReasons: [], usage: {}, convention: ['genai'], ...llm },
  };
}

const WEATHER_CALL = call({
  inputMessages: [
    { role: 'system', content: 'You are a terse weather assistant.\nAnswer in one sentence, in metric units.' },
    { role: 'user', content: "What's the weather in Paris today?" },
    { role: 'assistant', content: 'It is sunny and 21 °C in Paris.' },
  ],
  params: { tools: [{ name: 'get_weather', description: 'Current weather for a city, by name' }] },
});

const AGENT_TS: SearchedFile = {
  path: 'src/agent.ts',
  text: [
    "import OpenAI from 'openai';",
    '',
    'const SYSTEM = `You are a terse weather assistant.',
    'Answer in one sentence, in metric units.`;',
    '',
    'export async function ask(city: string) {',
    '  return client.chat.completions.create({',
    "    messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: `What's the weather in ${city} today?` }],",
    '  });',
    '}',
  ].join('\n'),
};

describe('promptNeedles', () => {
  test('the system prompt first, then user messages, then tool descriptions; assistant turns are not looked for', () => {
    const needles = promptNeedles(WEATHER_CALL);
    assert.deepEqual(
      needles.map((n) => [n.from, n.text]),
      [
        ['system prompt', 'You are a terse weather assistant.'],
        ['system prompt', 'Answer in one sentence, in metric units.'],
        ['user message', 's the weather in Paris today?'],
        ['description of the tool get_weather', 'Current weather for a city, by name'],
      ],
    );
  });

  test('a span that is not a model call, or has no prompt text, has nothing to look for', () => {
    assert.deepEqual(promptNeedles({ llm: undefined }), []);
    assert.deepEqual(promptNeedles(call({ inputMessages: [{ role: 'user', content: 'Hi there' }] })), []);
  });

  test('runs break where code escapes or interpolates, and short runs are dropped', () => {
    assert.deepEqual(literalRuns('Summarize {{ document }} for a "busy" executive reader\\nThanks'), ['Summarize', 'for a', 'busy', 'executive reader'].filter((r) => r.length >= 12));
    assert.deepEqual(literalRuns('Translate the text below into French:\n${text}'), ['Translate the text below into French:']);
  });
});

describe('locatePrompt', () => {
  test('finds the system prompt written as a template literal, at its line and column', () => {
    const match = locatePrompt(promptNeedles(WEATHER_CALL), [{ path: 'README.md', text: '# Weather demo\n' }, AGENT_TS]);
    assert.ok(match);
    assert.deepEqual(match.location, { path: 'src/agent.ts', line: 3, column: 17, origin: 'search', confidence: 0.6 });
    assert.equal(match.needle.from, 'system prompt');
    assert.equal(match.files, 1);
  });

  test('a user message rendered from an f-string is found by the template text before its placeholder', () => {
    const python: SearchedFile = {
      path: 'app/ask.py',
      text: 'def ask(city):\n    prompt = f"Tell me, what is the weather in {city} right now?"\n    return client.chat.completions.create(messages=[{"role": "user", "content": prompt}])\n',
    };
    const match = locatePrompt(promptNeedles(call({ inputMessages: [{ role: 'user', content: 'Tell me, what is the weather in Lyon right now?' }] })), [python]);
    assert.deepEqual(match?.location, { path: 'app/ask.py', line: 2, column: 16, origin: 'search', confidence: 0.6 });
  });

  test('the file holding more of the prompt wins over one that shares a line of it', () => {
    const copy: SearchedFile = { path: 'docs/prompts.md', text: 'Our assistant says: You are a terse weather assistant.\n' };
    assert.equal(locatePrompt(promptNeedles(WEATHER_CALL), [copy, AGENT_TS])?.location.path, 'src/agent.ts');
  });

  test('boilerplate found in many files says nothing, and nothing found is undefined', () => {
    const boilerplate = call({ inputMessages: [{ role: 'system', content: 'You are a helpful assistant.' }] });
    const files = Array.from({ length: 9 }, (_, i): SearchedFile => ({ path: `examples/e${i}.py`, text: 'SYSTEM = "You are a helpful assistant."\n' }));
    assert.equal(locatePrompt(promptNeedles(boilerplate), files), undefined);
    assert.equal(locatePrompt(promptNeedles(WEATHER_CALL), [{ path: 'a.py', text: 'print("hello")\n' }]), undefined);
  });

  test('a prompt found in two files is a guess with lower confidence', () => {
    const twin: SearchedFile = { path: 'src/agent.test.ts', text: AGENT_TS.text };
    const match = locatePrompt(promptNeedles(WEATHER_CALL), [AGENT_TS, twin]);
    assert.equal(match?.files, 2);
    assert.equal(match?.location.confidence, 0.3);
  });
});
