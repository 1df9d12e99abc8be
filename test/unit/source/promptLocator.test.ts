import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LlmCall, Span } from '../../../src/protocol/model';
import { literalRuns, locatePrompt, promptNeedles, type PromptMatch, type SearchedFile } from '../../../src/source/promptLocator';

function call(llm: Partial<LlmCall>): Pick<Span, 'llm'> {
  return {
    llm: { operation: 'chat', params: {}, inputMessages: [], outputMessages: [], finishReasons: [], usage: {}, convention: ['genai'], ...llm },
  };
}

/** A chat call with these system and user messages (either may be left out). */
function chat(system: string | undefined, user?: string): Pick<Span, 'llm'> {
  const inputMessages = [];
  if (system !== undefined) inputMessages.push({ role: 'system', content: system });
  if (user !== undefined) inputMessages.push({ role: 'user', content: user });
  return call({ inputMessages });
}

function files(texts: Record<string, string>): SearchedFile[] {
  return Object.entries(texts).map(([path, text]) => ({ path, text }));
}

/** Where the call's prompt is found in the files: `path:line:column`, or what was found instead. */
function located(span: Pick<Span, 'llm'>, texts: Record<string, string>): string {
  const result = locatePrompt(promptNeedles(span), files(texts));
  if (result.kind === 'found') return `${result.match.location.path}:${result.match.location.line}:${result.match.location.column}`;
  return result.kind;
}

function found(span: Pick<Span, 'llm'>, texts: Record<string, string>): PromptMatch {
  const result = locatePrompt(promptNeedles(span), files(texts));
  assert.equal(result.kind, 'found');
  return (result as { match: PromptMatch }).match;
}

const WEATHER_CALL = call({
  inputMessages: [
    { role: 'system', content: 'You are a terse weather assistant.\nAnswer in one sentence, in metric units.' },
    { role: 'user', content: "What's the weather in Paris today?" },
    { role: 'assistant', content: 'It is sunny and 21 °C in Paris.' },
  ],
  params: { tools: [{ name: 'get_weather', description: 'Current weather for a city, by name' }] },
});

const AGENT_TS = [
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
].join('\n');

describe('promptNeedles', () => {
  test('the system prompt first, then user messages, then tool descriptions; assistant turns are not looked for', () => {
    assert.deepEqual(
      promptNeedles(WEATHER_CALL).map((n) => [n.from, n.text]),
      [
        ['its system prompt', 'You are a terse weather assistant.'],
        ['its system prompt', 'Answer in one sentence, in metric units.'],
        ['its user message', 's the weather in Paris today?'],
        ['the description of its tool "get_weather"', 'Current weather for a city, by name'],
      ],
    );
  });

  test('a span that is not a model call, or has no prompt text worth looking for, has nothing to look for', () => {
    assert.deepEqual(promptNeedles({ llm: undefined }), []);
    assert.deepEqual(promptNeedles(chat(undefined, 'Hi there')), []);
  });

  test('runs break where code escapes or interpolates, and short runs are dropped', () => {
    assert.deepEqual(literalRuns('Summarize {{ document }} for a "busy" executive reader\\nThanks'), ['executive reader']);
    assert.deepEqual(literalRuns('Translate the text below into French:\n${text}'), ['Translate the text below into French:']);
  });
});

describe('locatePrompt', () => {
  test('finds the system prompt written as a template literal, at its line and column, and says how much matched', () => {
    const match = found(WEATHER_CALL, { 'README.md': '# Weather demo\n', 'src/agent.ts': AGENT_TS });
    assert.deepEqual(match.location, { path: 'src/agent.ts', line: 3, column: 17, origin: 'search', confidence: 0.6 });
    assert.equal(match.length, 'You are a terse weather assistant.'.length);
    assert.equal(match.needle.from, 'its system prompt');
    assert.equal(match.files, 1);
  });

  // What people write, and what the call then sends (from an audit with real apps and hand-written Python).
  const cases: [string, Pick<Span, 'llm'>, Record<string, string>, string][] = [
    ['an f-string, by its text before the placeholder', chat(undefined, 'Tell me, what is the weather in Lyon right now?'), { 'app/ask.py': 'def ask(city):\n    prompt = f"Tell me, what is the weather in {city} right now?"\n' }, 'app/ask.py:2:16'],
    ['a template whose placeholders come early, by the text between them', chat(undefined, 'Plan 5 days in Lisbon for a family with kids.'), { 'src/planner.ts': 'const u = `Plan ${days} days in ${city} for a family with kids.`;\n' }, 'src/planner.ts:1:40'],
    ['a template that starts with a placeholder', chat(undefined, 'Alice wants a review of the quarterly sales deck.'), { 'a.ts': 'const u = `${name} wants a review of the quarterly sales deck.`;\n' }, 'a.ts:1:19'],
    ['Jinja, by the text after the variable', chat('You help Bob plan healthy meals for the week.'), { 't.jinja2': 'You help {{ user_name }} plan healthy meals for the week.\n' }, 't.jinja2:1:25'],
    ['a prompt joined with + after its first words', chat('You are a strict code reviewer for Python services.'), { 'a.ts': 'const S = "You are " +\n  "a strict code reviewer for Python services.";\n' }, 'a.ts:2:4'],
    ["Python's implicit concatenation", chat('You are a friendly bot that answers only about gardening.'), { 'a.py': 'S = (\n    "You are a friendly bot "\n    "that answers only about gardening."\n)\n' }, 'a.py:2:6'],
    ['a dedented triple-quoted string', chat('You are a support agent.\nAlways answer in two sentences.'), { 'a.py': 'S = textwrap.dedent("""\n    You are a support agent.\n    Always answer in two sentences.\n""")\n' }, 'a.py:2:5'],
    ['a prompt in a Markdown file read at runtime', chat('You are Marvin, a depressed robot.'), { 'prompts/system.md': 'You are Marvin, a depressed robot.\n', 'app.ts': "readFileSync('prompts/system.md')\n" }, 'prompts/system.md:1:1'],
    ['non-ASCII text', chat('Tu es un assistant très poli qui répond en français.'), { 'a.py': 'S = "Tu es un assistant très poli qui répond en français."\n' }, 'a.py:1:6'],
  ];
  for (const [name, span, texts, where] of cases) {
    test(`finds ${name}`, () => assert.equal(located(span, texts), where));
  }

  test('a prompt that only starts like another is not that prompt', () => {
    const helpful = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x${i}.ts`, 'const A = "You are a helpful assistant.";\n']));
    const globex = found(chat('You are a helpful assistant for Globex billing disputes.'), { ...helpful, 'billing.ts': 'const B = "You are a helpful assistant for Globex billing disputes.";\n' });
    assert.deepEqual([globex.location.path, globex.files], ['billing.ts', 1]);
    const roots = { 'backend/app.py': 'S = "You are the backend order assistant."\n', 'frontend/app.py': 'S = "You are the frontend menu assistant."\n' };
    const backend = found(chat('You are the backend order assistant.'), roots);
    assert.deepEqual([backend.location.path, backend.files, backend.location.confidence], ['backend/app.py', 1, 0.6]);
  });

  test('the code that makes the call wins over tests, recordings, docs and compiled copies that quote its prompt', () => {
    const system = 'You are a meticulous travel planner for Acme Trips.';
    const source = { 'src/app.ts': `const SYSTEM = "${system}";\nconst u = \`Plan \${n} days in \${city} for a family\`;\n` };
    const span = chat(system, 'Plan 3 days in Rome for a family');
    assert.equal(located(span, { 'README.md': `The bot says: "${system}"\n`, ...source }), 'src/app.ts:1:17');
    assert.equal(located(span, { 'test/app.test.ts': `expect(m).toEqual([{ content: "${system}" }, { content: "Plan 3 days in Rome for a family" }]);\n`, ...source }), 'src/app.ts:1:17');
    assert.equal(located(span, { 'tests/cassettes/plan.yaml': `body: "Plan 3 days in Rome for a family"\n`, ...source }), 'src/app.ts:1:17');
    assert.equal(located(span, { 'lib/app.js': `const SYSTEM = "${system}";\n`, ...source }), 'src/app.ts:1:17');
  });

  test('a prompt kept in a Markdown file and read at run time wins over the test that quotes it', () => {
    const greeter = 'You greet visitors of the Oceanic Airlines lounge warmly.';
    const texts = { 'tests/test_greeter.py': `assert load("greeter") == "${greeter}"\n`, 'prompts/greeter.md': `${greeter}\n` };
    assert.equal(located(chat(greeter), texts), 'prompts/greeter.md:1:1');
  });

  test('boilerplate found in many files is too common to tell which, and text found nowhere is none', () => {
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`examples/e${i}.py`, 'SYSTEM = "You are a helpful assistant."\n']));
    assert.equal(located(chat('You are a helpful assistant.'), many), 'common');
    assert.equal(located(chat('You are a helpful assistant.', 'Tell me a joke about cats please'), { ...many, 'joke.ts': 'const u = "Tell me a joke about cats please";\n' }), 'joke.ts:1:12');
    assert.equal(located(WEATHER_CALL, { 'a.py': 'print("hello")\n' }), 'none');
  });

  test('a prompt found in two files is a guess with lower confidence', () => {
    const match = found(WEATHER_CALL, { 'src/agent.ts': AGENT_TS, 'src/agent-copy.ts': AGENT_TS });
    assert.equal(match.files, 2);
    assert.equal(match.location.confidence, 0.3);
  });
});
