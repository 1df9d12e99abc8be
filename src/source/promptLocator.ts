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
/** Of a message, the part split into runs: more than MAX_NEEDLES runs' worth. */
const SCANNED_CHARS = 64 * 1024;
/** Seeds are taken this far apart or more, at word starts. */
const SEED_STEP = 16;
/**
 * Seeds looked for in all, the most telling needles' first: each is an indexOf over every file (a
 * workspace of 50 MB of text takes about 10 ms per seed).
 */
const MAX_SEEDS = 96;
/** A fragment in more files than this is boilerplate ("You are a helpful assistant.") and says nothing. */
export const MAX_FILES_PER_NEEDLE = 8;
const CONFIDENCE_UNIQUE = 0.6;
const CONFIDENCE_SHARED = 0.3;

/**
 * Where a prompt's text stops being a literal in code: line breaks (a multi-line prompt is a line per
 * string, or written with `\n`), quotes and backslashes (written escaped), and braces and `$` (a
 * template's placeholders: an f-string's `{city}`, a JS template's `${city}`, Jinja's `{{ city }}`).
 */
const LITERAL_BREAK = /[\r\n"'`\\{}$]+/;

/** PromptNeedle.from of the system prompt's fragments (call sites are grouped by them). */
export const FROM_SYSTEM_PROMPT = 'its system prompt';

export interface PromptNeedle {
  /** A run of the prompt's text with no literal break in it, at most NEEDLE_CHARS long. */
  text: string;
  /** What it came from, for the status message: `its system prompt`, `the description of its tool "x"`. */
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
    if (needles.length >= MAX_NEEDLES) return;
    for (const run of literalRuns(text ?? '')) {
      if (needles.length >= MAX_NEEDLES || seen.has(run)) continue;
      seen.add(run);
      needles.push({ text: run, from });
    }
  };
  for (const message of llm.inputMessages) if (message.role === 'system' || message.role === 'developer') add(messageText(message), FROM_SYSTEM_PROMPT);
  for (const message of llm.inputMessages) if (message.role === 'user') add(messageText(message), 'its user message');
  add(llm.input, 'its prompt');
  for (const tool of llm.params.tools ?? []) add(tool.description, `the description of its tool "${tool.name}"`);
  return needles;
}

/**
 * The text runs of `text` long enough to look for, each trimmed and cut to NEEDLE_CHARS, from its
 * first SCANNED_CHARS (a message can be megabytes: a pasted document; the detail asks on every render).
 */
export function literalRuns(text: string): string[] {
  const runs: string[] = [];
  for (const piece of text.slice(0, SCANNED_CHARS).split(LITERAL_BREAK)) {
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
  /** Where the match starts. */
  location: SourceLocation;
  /** Characters matched from there (to select them). */
  length: number;
  /** The needle found there. */
  needle: PromptNeedle;
  /** Files that hold that needle as well (1: only this one). */
  files: number;
}

/** What locatePrompt found: a match, or text found only in too many files to tell which is the call's. */
export type PromptLocation = { kind: 'found'; match: PromptMatch } | { kind: 'common' } | { kind: 'none' };

/** A match of a run in a file. */
interface Match {
  /** Where it starts in the file, and in the run. */
  offset: number;
  runStart: number;
  length: number;
}

/**
 * A file's matches of a run: its longest (how much of the run it holds) and its earliest in the run
 * (where it is written), placed by line and column so the file's text need not be kept.
 */
interface Hit {
  path: string;
  longest: number;
  first: { line: number; column: number; length: number };
}

/**
 * Where `needles` are written in `files`, in one call (PromptLocator takes files one at a time, and
 * keeps none of their texts: a workspace may hold more text than should be in memory at once).
 */
export function locatePrompt(needles: readonly PromptNeedle[], files: Iterable<SearchedFile>): PromptLocation {
  const locator = new PromptLocator(needles);
  for (const file of files) locator.add(file);
  return locator.result();
}

/**
 * Where needles are written in the files added. A needle is found by its longest run written in a file
 * as a literal (see cleanMatch): from its start, from its end or from a word within it, so a template's
 * text between placeholders is found whatever was put in them. Each needle adds what it matched,
 * divided among the files holding it and less for a test, fixture or docs file or a compiled copy
 * (which quote the prompt without being where the call is), to its files' scores. The best file's
 * location is where it holds the first needle it holds (the system prompt's start, where there is one).
 */
export class PromptLocator {
  private readonly needles: { needle: PromptNeedle; starts: number[]; hits: Hit[] }[] = [];

  constructor(needles: readonly PromptNeedle[]) {
    let seeds = 0;
    for (const needle of needles) {
      if (seeds >= MAX_SEEDS) break;
      const starts = seedStarts(needle.text).slice(0, MAX_SEEDS - seeds);
      seeds += starts.length;
      this.needles.push({ needle, starts, hits: [] });
    }
  }

  add(file: SearchedFile): void {
    for (const entry of this.needles) {
      const hit = bestHit(entry.needle.text, entry.starts, file);
      // Past the limit the needle counts for nothing: how many more files hold it does not matter.
      if (hit && entry.hits.length <= MAX_FILES_PER_NEEDLE) entry.hits.push(hit);
    }
  }

  result(): PromptLocation {
    const scores = new Map<string, number>();
    const first = new Map<string, { hit: Hit; needle: PromptNeedle; files: number }>();
    let common = false;
    for (const { needle, hits } of this.needles) {
      if (hits.length > MAX_FILES_PER_NEEDLE) common = true;
      if (hits.length === 0 || hits.length > MAX_FILES_PER_NEEDLE) continue;
      for (const hit of hits) {
        scores.set(hit.path, (scores.get(hit.path) ?? 0) + (hit.longest / hits.length) * fileWeight(hit.path, hits));
        if (!first.has(hit.path)) first.set(hit.path, { hit, needle, files: hits.length });
      }
    }
    let winner: string | undefined;
    for (const [path, score] of scores) if (winner === undefined || score > (scores.get(winner) ?? 0)) winner = path;
    const chosen = winner === undefined ? undefined : first.get(winner);
    if (!chosen) return common ? { kind: 'common' } : { kind: 'none' };
    const { line, column, length } = chosen.hit.first;
    return {
      kind: 'found',
      match: {
        location: { path: chosen.hit.path, line, column, origin: 'search', confidence: chosen.files === 1 ? CONFIDENCE_UNIQUE : CONFIDENCE_SHARED },
        length,
        needle: chosen.needle,
        files: chosen.files,
      },
    };
  }
}

/**
 * Where in a run to start looking: its start and the start of a word every SEED_STEP characters or
 * more, as long as MIN_NEEDLE_CHARS fit after it (a placeholder's value may be anywhere in the run).
 */
function seedStarts(run: string): number[] {
  const starts = [0];
  for (let at = SEED_STEP; at + MIN_NEEDLE_CHARS <= run.length; at++) {
    if (run[at - 1] !== ' ' || run[at] === ' ' || at - starts[starts.length - 1] < SEED_STEP) continue;
    starts.push(at);
  }
  return starts;
}

/** The file's clean matches of the run, from any of its seeds: the longest, and the one earliest in the run. */
function bestHit(run: string, starts: readonly number[], file: SearchedFile): Hit | undefined {
  const text = file.text;
  let longest: Match | undefined;
  let first: Match | undefined;
  for (const start of starts) {
    // A seed inside a match found already finds that match again.
    if ((longest && within(start, longest)) || (first && within(start, first))) continue;
    const seed = run.slice(start, start + MIN_NEEDLE_CHARS);
    for (let at = text.indexOf(seed); at >= 0; at = text.indexOf(seed, at + 1)) {
      const match = cleanMatch(run, start, text, at);
      if (!match) continue;
      // The whole run: both the longest and the earliest there can be.
      if (match.length === run.length) return hitOf(file, match, match);
      if (!longest || match.length > longest.length) longest = match;
      if (!first || match.runStart < first.runStart) first = match;
    }
  }
  return longest && first && hitOf(file, longest, first);
}

function hitOf(file: SearchedFile, longest: Match, first: Match): Hit {
  return { path: file.path, longest: longest.length, first: { ...lineAndColumn(file.text, first.offset), length: first.length } };
}

function within(start: number, match: Match): boolean {
  return start >= match.runStart && start + MIN_NEEDLE_CHARS <= match.runStart + match.length;
}

/**
 * The match around run[start] = text[at], grown both ways while the characters agree. It counts only
 * where each of its ends is the run's own end or a place where the file's literal stops (a quote, a
 * placeholder, an escape, a line end): text that goes on differently ("You are a helpful assistant."
 * against "You are a helpful assistant for Globex…") is another prompt that starts alike.
 */
function cleanMatch(run: string, start: number, text: string, at: number): Match | undefined {
  let back = 0;
  while (start - back > 0 && at - back > 0 && run.charCodeAt(start - back - 1) === text.charCodeAt(at - back - 1)) back++;
  let ahead = MIN_NEEDLE_CHARS;
  while (start + ahead < run.length && run.charCodeAt(start + ahead) === text.charCodeAt(at + ahead)) ahead++;
  const cleanStart = start - back === 0 || LITERAL_END.test(text.charAt(at - back - 1));
  const cleanEnd = start + ahead === run.length || LITERAL_END.test(text.charAt(at + ahead));
  return cleanStart && cleanEnd ? { offset: at - back, runStart: start - back, length: back + ahead } : undefined;
}

/** Where a literal in a file ends: a quote, a placeholder, an escape, a line end (or the file's end). */
const LITERAL_END = /^$|[\r\n"'`\\{}$%]/;

/**
 * Paths that quote a prompt without being where the call is made: tests, fixtures, recordings and
 * docs. (Not every Markdown file: a prompt is often kept in one, `prompts/greeter.md`, and read at run time.)
 */
const QUOTING_PATH =
  /(^|[\\/])(tests?|__tests__|spec|__snapshots__|cassettes|fixtures|docs?)[\\/]|[._-](test|spec)\.[a-z]+$|(^|[\\/])test_[^\\/]*\.py$|(^|[\\/])(README|CHANGELOG|CONTRIBUTING)[^\\/]*$/i;
const QUOTING_WEIGHT = 0.25;

/**
 * A file's weight for a needle: less for tests, fixtures, recordings and docs, and for a compiled
 * JavaScript copy of a TypeScript file that holds the needle too (`lib/x.js` beside `src/x.ts`).
 */
function fileWeight(path: string, hits: readonly Hit[]): number {
  if (QUOTING_PATH.test(path)) return QUOTING_WEIGHT;
  const compiled = JS_FILE.exec(path)?.[1];
  if (compiled && hits.some((hit) => TS_FILE.exec(hit.path)?.[1] === compiled)) return QUOTING_WEIGHT;
  return 1;
}

/** A JavaScript or TypeScript file's name without its extension. */
const JS_FILE = /([^\\/]+)\.[cm]?jsx?$/;
const TS_FILE = /([^\\/]+)\.[cm]?tsx?$/;

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
