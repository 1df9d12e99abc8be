// A model call with no recorded source (instrumentation-openai, the Vercel AI SDK and most JS
// instrumentations record no `code.*`, and a call that did not fail has no stack trace) can still be
// tied to the code that made it: its prompt is written there. A system prompt is usually a literal, a
// user message usually a template around the user's values, a tool's description a literal beside its
// schema. This module says what of a prompt to look for, and where in a set of files it was found best.
// Pure: the files come from the caller (views/promptSearch.ts reads the workspace).
import type { LlmMessage, SourceLocation, Span } from '../protocol/model';

/**
 * Characters a fragment must have to be looked for: shorter ones ("Hello", "Answer:") are written in
 * too many places to say where a call is.
 */
export const MIN_NEEDLE_CHARS = 12;
/** Of a long run, the start is looked for: a prompt longer than this is written over several source lines. */
const NEEDLE_CHARS = 160;
const MAX_NEEDLES = 32;
/** A fragment in more files than this is boilerplate ("You are a helpful assistant.") and says nothing. */
const MAX_FILES_PER_NEEDLE = 8;
const CONFIDENCE_UNIQUE = 0.6;
const CONFIDENCE_SHARED = 0.3;

/**
 * Where a prompt's text stops being a literal in code: line breaks (a multi-line prompt is a line per
 * string, or written with `\n`), quotes and backslashes (written escaped), and braces and `$` (a
 * template's placeholders: an f-string's `{city}`, a JS template's `${city}`, Jinja's `{{ city }}`).
 */
const LITERAL_BREAK = /[\r\n"'`\\{}$]+/;

export interface PromptNeedle {
  /** A run of the prompt's text with no literal break in it, at most NEEDLE_CHARS long. */
  text: string;
  /** What it came from, for the status message: `system prompt`, `user message`, `tool description`. */
  from: string;
}

/**
 * The fragments of a model call's prompt worth looking for in its source, most telling first: the
 * system prompt and developer messages, the user messages (the first is the one a template makes; later
 * ones may be the conversation so far), the plain input of a completion, then the tools' descriptions.
 */
export function promptNeedles(span: Pick<Span, 'llm'>): PromptNeedle[] {
  const llm = span.llm;
  if (!llm) return [];
  const needles: PromptNeedle[] = [];
  const seen = new Set<string>();
  const add = (text: string | undefined, from: string): void => {
    for (const run of literalRuns(text ?? '')) {
      if (needles.length >= MAX_NEEDLES || seen.has(run)) continue;
      seen.add(run);
      needles.push({ text: run, from });
    }
  };
  for (const message of llm.inputMessages) if (message.role === 'system' || message.role === 'developer') add(messageText(message), 'system prompt');
  for (const message of llm.inputMessages) if (message.role === 'user') add(messageText(message), 'user message');
  add(llm.input, 'prompt');
  for (const tool of llm.params.tools ?? []) add(tool.description, `description of the tool ${tool.name}`);
  return needles;
}

/** The text runs of `text` long enough to look for, each trimmed and cut to NEEDLE_CHARS. */
export function literalRuns(text: string): string[] {
  const runs: string[] = [];
  for (const piece of text.split(LITERAL_BREAK)) {
    const run = piece.trim().slice(0, NEEDLE_CHARS).trimEnd();
    if (run.length >= MIN_NEEDLE_CHARS) runs.push(run);
  }
  return runs;
}

function messageText(message: LlmMessage): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

export interface SearchedFile {
  /** As the caller will open it: a workspace path or URI string. */
  path: string;
  text: string;
}

export interface PromptMatch {
  location: SourceLocation;
  /** The needle found there. */
  needle: PromptNeedle;
  /** Files that hold that needle (1: only this one). */
  files: number;
}

interface Hit {
  file: SearchedFile;
  offset: number;
  /** Characters of the needle's run that match from its start (a template's literal part may end early). */
  length: number;
}

/**
 * Where `needles` are written in `files`, best first by how much of the prompt a file holds: each
 * needle counts its matched characters, divided among the files that hold it. The location is where
 * the file holds the first needle it holds (the system prompt's start, where there is one). Undefined when no needle is found or each is boilerplate.
 *
 * A needle is looked for by its first MIN_NEEDLE_CHARS characters, and a hit counts as many of its
 * characters as match from there: `What's the weather in Paris?` sent from `f"What's the weather in
 * {city}?"` matches `s the weather in ` (the quote broke the run before it).
 */
export function locatePrompt(needles: readonly PromptNeedle[], files: Iterable<SearchedFile>): PromptMatch | undefined {
  const list = [...files];
  const scores = new Map<SearchedFile, number>();
  const best = new Map<SearchedFile, { hit: Hit; needle: PromptNeedle; files: number }>();
  for (const needle of needles) {
    const hits = bestHitPerFile(needle.text, list);
    if (hits.length === 0 || hits.length > MAX_FILES_PER_NEEDLE) continue;
    for (const hit of hits) {
      scores.set(hit.file, (scores.get(hit.file) ?? 0) + hit.length / hits.length);
      // Needles come most telling first: a file's location is where the first one found in it is.
      if (!best.has(hit.file)) best.set(hit.file, { hit, needle, files: hits.length });
    }
  }
  let winner: SearchedFile | undefined;
  for (const [file, score] of scores) if (!winner || score > (scores.get(winner) ?? 0)) winner = file;
  const chosen = winner && best.get(winner);
  if (!chosen) return undefined;
  const { line, column } = lineAndColumn(chosen.hit.file.text, chosen.hit.offset);
  return {
    location: { path: chosen.hit.file.path, line, column, origin: 'search', confidence: chosen.files === 1 ? CONFIDENCE_UNIQUE : CONFIDENCE_SHARED },
    needle: chosen.needle,
    files: chosen.files,
  };
}

/** Per file holding the needle's start, its longest match. */
function bestHitPerFile(run: string, files: readonly SearchedFile[]): Hit[] {
  const seed = run.slice(0, MIN_NEEDLE_CHARS);
  const hits: Hit[] = [];
  for (const file of files) {
    let top: Hit | undefined;
    for (let at = file.text.indexOf(seed); at >= 0; at = file.text.indexOf(seed, at + 1)) {
      const length = matchedLength(run, file.text, at);
      if (!top || length > top.length) top = { file, offset: at, length };
      if (length === run.length) break;
    }
    if (top) hits.push(top);
  }
  return hits;
}

function matchedLength(run: string, text: string, at: number): number {
  let i = MIN_NEEDLE_CHARS;
  while (i < run.length && run.charCodeAt(i) === text.charCodeAt(at + i)) i++;
  return i;
}

/** 1-based line and column of `offset`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
