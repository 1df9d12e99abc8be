// A replay's request as code to paste back into the app: the `openai` SDK call, in Python or TypeScript,
// with the messages, model and parameters as they were sent. The last step of the loop (DESIGN: "they
// edit the prompt and replay the call, compare outputs, and fix the code"). Pure; the key is never in it.
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

export type CodeLanguage = 'python' | 'typescript';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The SDK call that sends `request` to `baseUrl`, with the API key from the environment as the SDK reads it. */
export function requestCode(request: ChatCompletionCreateParamsNonStreaming, baseUrl: string, language: CodeLanguage): string {
  const { model, messages, ...params } = request;
  const args: [string, unknown][] = [['model', model], ['messages', messages], ...Object.entries(params)];
  if (language === 'python') {
    const client = baseUrl === DEFAULT_BASE_URL ? 'OpenAI()' : `OpenAI(base_url=${pythonLiteral(baseUrl, 0)})`;
    const lines = args.map(([key, value]) => `    ${key}=${pythonLiteral(value, 1)},`);
    return ['from openai import OpenAI', '', `client = ${client}`, 'response = client.chat.completions.create(', ...lines, ')', 'print(response.choices[0].message)', ''].join('\n');
  }
  const client = baseUrl === DEFAULT_BASE_URL ? 'new OpenAI()' : `new OpenAI({ baseURL: ${JSON.stringify(baseUrl)} })`;
  const lines = args.map(([key, value]) => `  ${key}: ${indentJson(value, 1)},`);
  return ["import OpenAI from 'openai';", '', `const client = ${client};`, 'const response = await client.chat.completions.create({', ...lines, '});', 'console.log(response.choices[0].message);', ''].join('\n');
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
