// A replay's request as code for the app: the same request, in the SDK's own call, in Python and TypeScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { requestCode } from '../../../src/replay/requestCode';

const body = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'Answer in one "sentence".\nBe kind — café.' },
    { role: 'user' as const, content: 'Is invoice 7 paid?' },
  ],
  temperature: 0.2,
  tools: [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', additionalProperties: false, required: [] } } }],
  seed: 7,
};
const request = { api: 'chat' as const, body };

test('Python: the SDK call with the request as literals, the base URL when it is not OpenAI\'s, no key', () => {
  assert.equal(
    requestCode(request, 'http://127.0.0.1:8787/v1', 'python'),
    [
      'from openai import OpenAI',
      '',
      'client = OpenAI(base_url="http://127.0.0.1:8787/v1")',
      'response = client.chat.completions.create(',
      '    model="gpt-4o-mini",',
      '    messages=[',
      '        {',
      '            "role": "system",',
      '            "content": "Answer in one \\"sentence\\".\\nBe kind — café.",',
      '        },',
      '        {',
      '            "role": "user",',
      '            "content": "Is invoice 7 paid?",',
      '        },',
      '    ],',
      '    temperature=0.2,',
      '    tools=[',
      '        {',
      '            "type": "function",',
      '            "function": {',
      '                "name": "lookup",',
      '                "parameters": {',
      '                    "type": "object",',
      '                    "additionalProperties": False,',
      '                    "required": [],',
      '                },',
      '            },',
      '        },',
      '    ],',
      '    seed=7,',
      ')',
      'print(response.choices[0].message)',
      '',
    ].join('\n'),
  );
  assert.match(requestCode(request, 'https://api.openai.com/v1', 'python'), /^client = OpenAI\(\)$/m);
});

test('TypeScript: the same request, its values as JSON', () => {
  const code = requestCode(request, 'http://127.0.0.1:8787/v1', 'typescript');
  assert.match(code, /^import OpenAI from 'openai';\n\nconst client = new OpenAI\(\{ baseURL: "http:\/\/127\.0\.0\.1:8787\/v1" \}\);\nconst response = await client\.chat\.completions\.create\(\{\n/);
  // Each argument's value is the request's, as JSON.
  const args = code.slice(code.indexOf('create({') + 'create({'.length, code.lastIndexOf('});'));
  const rebuilt = Function(`"use strict"; return ({${args}});`)() as unknown;
  assert.deepEqual(rebuilt, body);
  assert.match(requestCode(request, 'https://api.openai.com/v1', 'typescript'), /^const client = new OpenAI\(\);$/m);
});

test('Python: what is generated is a Python literal of the same request (where python3 is installed)', (t) => {
  let python = true;
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    python = false;
  }
  if (!python) {
    t.skip('no python3 on this machine');
    return;
  }
  const code = requestCode(request, 'http://127.0.0.1:8787/v1', 'python');
  const args = code.slice(code.indexOf('create(') + 'create('.length, code.lastIndexOf(')\nprint'));
  // The arguments as a dict, read by Python's own literal parser, back as JSON.
  const script = `import ast, json, sys\ntree = ast.parse("f(" + sys.stdin.read() + ")", mode="eval")\nprint(json.dumps({k.arg: ast.literal_eval(k.value) for k in tree.body.keywords}))`;
  const parsed = JSON.parse(execFileSync('python3', ['-c', script], { input: args }).toString()) as unknown;
  assert.deepEqual(parsed, body);
});

test('a Responses request: the SDK\'s responses.create with its input, and the answer\'s text printed', () => {
  const responses = { api: 'responses' as const, body: { model: 'gpt-5-codex', input: [{ role: 'user' as const, content: 'Is invoice 7 paid?' }], max_output_tokens: 300 } };
  const python = requestCode(responses, 'https://api.openai.com/v1', 'python');
  assert.match(python, /^response = client\.responses\.create\(\n {4}model="gpt-5-codex",\n {4}input=\[\n/m);
  assert.match(python, /^ {4}max_output_tokens=300,\n\)\nprint\(response\.output_text\)\n$/m);
  const typescript = requestCode(responses, 'https://api.openai.com/v1', 'typescript');
  assert.match(typescript, /^const response = await client\.responses\.create\(\{\n/m);
  assert.match(typescript, /^console\.log\(response\.output_text\);\n$/m);
  const args = typescript.slice(typescript.indexOf('create({') + 'create({'.length, typescript.lastIndexOf('});'));
  assert.deepEqual(Function(`"use strict"; return ({${args}});`)() as unknown, responses.body);
});
