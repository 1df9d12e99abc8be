// How long Go to Source by a prompt's text takes in a big workspace (views/promptSearch.ts): a synthetic
// monorepo of --files files (TypeScript, Python and Markdown, about 2 KB each, as a workspace's sources
// are) with five prompts that differ only by a number, read from disk and searched the way the extension
// does (code first, one file at a time through PromptLocator, no text kept). Prints the files and
// characters, the time to read them, the median time to locate each prompt, and where it was found.
//   node --import tsx bench/promptSearch.ts [--files 12000] [--rounds 5]
//   node --import tsx bench/promptSearch.ts --dir DIR --prompt TEXT (a system prompt, in an existing folder)
// In VS Code the files are read through workspace.fs, which is slower than Node's fs: in code-server on
// 2 cores, a 12,006-file workspace took 4.0–5.6 s from F12 to the file opened.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { Span } from '../src/protocol/model';
import { PromptLocator, promptNeedles, type PromptLocation } from '../src/source/promptLocator';

const { values } = parseArgs({
  options: { files: { type: 'string', default: '12000' }, rounds: { type: 'string', default: '5' }, dir: { type: 'string' }, prompt: { type: 'string' } },
});
const FILES = Number(values.files);
const ROUNDS = Number(values.rounds);
const DIR = values.dir;
const PROMPT = values.prompt;
if (DIR && !PROMPT) throw new Error('--dir needs --prompt: the system prompt to look for there');
/** As views/promptSearch.ts skips them. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', 'coverage']);
const MAX_FILE_BYTES = 1024 * 1024;
const CODE_FIRST = /\.(py|pyi|[cm]?[jt]sx?)$/i;
/** PROMPT_FILES of views/promptSearch.ts. */
const SEARCHED = /\.(py|pyi|[cm]?[jt]sx?|vue|svelte|java|kt|go|rs|rb|php|cs|swift|exs?|txt|mdx?|prompt|prompty|jinja2?|j2|njk|ejs|mustache|hbs|liquid|ya?ml|toml)$/i;

const prompt = (division: number): string => `You audit expense reports for the Stark division ${String(division).padStart(3, '0')}.`;

function filler(i: number): string {
  const lines = [`// module ${i}`, `export function handler${i}(input: string): string {`];
  for (let j = 0; j < 40; j++) lines.push(`  const value${j} = input.slice(${j}, ${j + 8}).padEnd(${j % 7}, 'x'); // step ${j} of module ${i}`);
  lines.push('  return input;', '}');
  return lines.join('\n');
}

/** The synthetic monorepo: packages of sources and docs, and the five prompts in five packages' agents. */
function makeWorkspace(files: number): string {
  const root = mkdtempSync(join(tmpdir(), 'spanlight-prompt-bench-'));
  for (let i = 0; i < files; i++) {
    const dir = join(root, `pkg${String(i % 120).padStart(3, '0')}`, i % 3 === 2 ? 'docs' : 'src');
    mkdirSync(dir, { recursive: true });
    const name = i % 3 === 0 ? `m${i}.ts` : i % 3 === 1 ? `m${i}.py` : `m${i}.md`;
    writeFileSync(join(dir, name), filler(i));
  }
  for (const division of [0, 30, 60, 90, 119]) {
    const dir = join(root, `pkg${String(division).padStart(3, '0')}`, 'src');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'zagent.ts'), `export const SYSTEM = '${prompt(division)}';\n`);
  }
  return root;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : listFiles(join(dir, entry.name));
    return SEARCHED.test(entry.name) ? [join(dir, entry.name)] : [];
  });
}

function chatSpan(system: string): Pick<Span, 'llm'> {
  return {
    llm: {
      operation: 'chat',
      params: {},
      inputMessages: [
        { role: 'system', content: system },
        { role: 'user', content: 'Please check the expense report from last Tuesday for errors' },
      ],
      outputMessages: [],
      finishReasons: [],
      usage: {},
      convention: ['genai'],
    },
  };
}

const root = DIR ?? makeWorkspace(FILES);
try {
  const listed = listFiles(root);
  const ordered = [...listed.filter((p) => CODE_FIRST.test(p)), ...listed.filter((p) => !CODE_FIRST.test(p))];
  const readStart = performance.now();
  const texts = ordered.flatMap((path) => (statSync(path).size > MAX_FILE_BYTES ? [] : [{ path: relative(root, path), text: readFileSync(path, 'utf8') }]));
  const readMs = performance.now() - readStart;
  const chars = texts.reduce((sum, file) => sum + file.text.length, 0);
  console.log(`${texts.length.toLocaleString('en-US')} files, ${(chars / 1e6).toFixed(1)} M characters, read in ${readMs.toFixed(0)} ms (Node's fs)`);
  const prompts = PROMPT ? [PROMPT] : [prompt(0), prompt(119), 'A prompt that is written nowhere in this workspace at all.'];
  for (const system of prompts) {
    const times: number[] = [];
    let result: PromptLocation | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const locator = new PromptLocator(promptNeedles(chatSpan(system)));
      for (const file of texts) locator.add(file);
      result = locator.result();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const where = result?.kind === 'found' ? `${result.match.location.path}:${result.match.location.line} (in ${result.match.files} file${result.match.files === 1 ? '' : 's'})` : result?.kind;
    console.log(`  "${system}": located in ${times[Math.floor(times.length / 2)].toFixed(1)} ms (median of ${ROUNDS}) → ${where}`);
  }
} finally {
  if (!DIR) rmSync(root, { recursive: true, force: true });
}
