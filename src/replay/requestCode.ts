// A replay's request as code to paste back into the app: the `openai` SDK call, in Python or TypeScript,
// with the messages, model and parameters as they were sent. The last step of the loop (DESIGN: "they
// edit the prompt and replay the call, compare outputs, and fix the code"). Pure; the key is never in it.
import { OPENAI_BASE_URL } from './endpoints';
import type { ReplayRequest } from './replayDraft';

export type CodeLanguage = 'python' | 'typescript';

/** How each API's call is made, and how its answer is printed. */
const CALLS: Readonly<Record<ReplayRequest['api'], { method: string; python: string; typescript: string }>> = {
  chat: { method: 'chat.completions.create', python: 'print(response.choices[0].message)', typescript: 'console.log(response.choices[0].message);' },
  responses: { method: 'responses.create', python: 'print(response.output_text)', typescript: 'console.log(response.output_text);' },
};

/** The SDK call that sends `request` to `baseUrl`, with the API key from the environment as the SDK reads it. */
export function requestCode(request: ReplayRequest, baseUrl: string, language: CodeLanguage): string {
  // The model first, then the rest in the order the request was built (the messages or input next).
  const { model, ...params } = request.body;
  const args: [string, unknown][] = [['model', model], ...Object.entries(params)];
  const call = CALLS[request.api];
  if (language === 'python') {
    const client = baseUrl === OPENAI_BASE_URL ? 'OpenAI()' : `OpenAI(base_url=${pythonLiteral(baseUrl, 0)})`;
    const lines = args.map(([key, value]) => `    ${key}=${pythonLiteral(value, 1)},`);
    return ['from openai import OpenAI', '', `client = ${client}`, `response = client.${call.method}(`, ...lines, ')', call.python, ''].join('\n');
  }
  const client = baseUrl === OPENAI_BASE_URL ? 'new OpenAI()' : `new OpenAI({ baseURL: ${JSON.stringify(baseUrl)} })`;
  const lines = args.map(([key, value]) => `  ${key}: ${indentJson(value, 1)},`);
  return ["import OpenAI from 'openai';", '', `const client = ${client};`, `const response = await client.${call.method}({`, ...lines, '});', call.typescript, ''].join('\n');
}

/** JSON, indented two spaces a level, continuing at `level` (its first line is already placed). */
function indentJson(value: unknown, level: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(level)}`);
}

/**
 * A Python literal of a JSON value, four spaces a level. JSON's strings are Python's (the same escapes;
 * JSON.stringify writes no `\/`), its `true`, `false` and `null` are `True`, `False` and `None`.
 */
function pythonLiteral(value: unknown, level: number): string {
  const pad = '    '.repeat(level + 1);
  const end = '    '.repeat(level);
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${pad}${pythonLiteral(item, level + 1)},`).join('\n')}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, level + 1)},`).join('\n')}\n${end}}`;
}
