// Whether a stored span holds a piece of text anywhere, and where: the search of all stored text. The
// trace list's filter cannot do it: it matches each span's indexed snippet (names, models, and 200
// characters at each edge of a long text; see textMatch.ts). A stored record is tested in two steps:
// - its bytes as stored, cheaply (recordMayHold). A span received as OTLP protobuf keeps its strings as
//   raw UTF-8, and text inside JSON (a conversation in one attribute, a log record, a span stored in
//   contract form) keeps its printable ASCII as typed: only quotes, backslashes, control characters,
//   non-ASCII ones and a few more may be escaped. So the longest run of the needle free of those is in
//   the bytes of any record that holds it, in some letter case.
// - then the few records that pass are read back as spans and their text matched for real
//   (findTextInSpan), which also says where it is and gives the words around it.
import { shownName, type JsonValue, type LlmMessage, type Span } from '../protocol/model';
import { isBase64Record } from './recordFormat';
import { FORMAT_WORD_KEY_NAMES, searchSpellings } from './textMatch';

export interface TextNeedle {
  /** What the user typed, trimmed. */
  typed: string;
  /** Its lowercase spellings (searchSpellings): text holds the needle if it holds one of them. */
  spellings: string[];
  /**
   * Lowercase latin1 strings (a character per byte), one of which is in a record's bytes read as
   * latin1 and lowercased whenever the record holds the needle; undefined when no such test is sure,
   * and every record is read back.
   */
  probes: string[] | undefined;
}

/** Shortest run of the needle worth testing bytes with, when the needle also has characters that may be escaped. */
const MIN_PROBE = 3;
/** A character JSON encoders may escape: not printable ASCII, or `"` `\` `/`, or Go's `<` `>` `&`. */
const ESCAPABLE_CHAR = /[^\x20-\x7e]|["\\/<>&]/;
const ESCAPABLE = new RegExp(ESCAPABLE_CHAR.source, 'g');
/** Around a match, characters kept before and after it. */
const SNIPPET_BEFORE = 40;
const SNIPPET_AFTER = 80;
/** A string this long without a space is data (base64, a hash, a token), not text. */
const BLOB_CHARS = 256;
/** JSON in a string is read for its values up to this size; longer, it is matched as it is. */
const MAX_JSON_CHARS = 4 * 1024 * 1024;
const FORMAT_WORD_KEYS: ReadonlySet<string> = new Set(FORMAT_WORD_KEY_NAMES);

/** Undefined for text that is empty once trimmed. */
export function textNeedle(typed: string): TextNeedle | undefined {
  const trimmed = typed.trim();
  if (!trimmed) return undefined;
  const spellings = searchSpellings(trimmed.toLowerCase());
  const probes: string[] = [];
  for (const spelling of spellings) {
    const found = probesOf(spelling);
    if (!found) return { typed: trimmed, spellings, probes: undefined };
    probes.push(...found);
  }
  return { typed: trimmed, spellings, probes: [...new Set(probes)] };
}

function probesOf(spelling: string): string[] | undefined {
  const runs = spelling.split(ESCAPABLE);
  if (runs.length === 1) return [spelling];
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a));
  if (longest.length >= MIN_PROBE) return [longest];
  // Text with no letter case (Chinese, Japanese, digits) is in the bytes as UTF-8 or as JSON's \u escapes
  // (Python's json.dumps writes every non-ASCII character so). Other short needles are not tested.
  if (spelling.toUpperCase() !== spelling || [...spelling].some(isEscapedAscii)) return undefined;
  const escaped = [...spelling].map((c) => (c.charCodeAt(0) < 0x80 ? c : [...c].map(unicodeEscape).join(''))).join('');
  return [latin1Lower(Buffer.from(spelling, 'utf8')), escaped];
}

/** An ASCII character JSON encoders may escape (a control character, or one of ESCAPABLE's). */
function isEscapedAscii(char: string): boolean {
  return char.charCodeAt(0) < 0x80 && ESCAPABLE_CHAR.test(char);
}

/** `\uXXXX` of each UTF-16 unit of one character, in lowercase hex (as the line is lowercased). */
function unicodeEscape(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

function latin1Lower(bytes: Buffer): string {
  return bytes.toString('latin1').toLowerCase();
}

/**
 * False only when the record line surely does not hold the needle. Read as latin1 and lowercased: a
 * UTF-8 sequence maps the same way in the line and in a probe, so it is found where it is.
 */
export function recordMayHold(line: Buffer, needle: TextNeedle): boolean {
  // A record of the old base64 form hides its text; the records of stores that old are read back.
  if (!needle.probes || isBase64Record(line)) return true;
  const text = latin1Lower(line);
  return needle.probes.some((probe) => text.includes(probe));
}

export interface TextHit {
  /** TextSearchMatch.where */
  where: string;
  /** TextSearchMatch.snippet */
  snippet: string;
}

/** The first place the span holds the needle: its name, its messages, its attributes, its events… */
export function findTextInSpan(span: Span, needle: TextNeedle): TextHit | undefined {
  for (const [where, text] of spanTexts(span)) {
    const lower = text.toLowerCase();
    for (const spelling of needle.spellings) {
      const at = lower.indexOf(spelling);
      // Lowercasing changed the length (İ): the lowercase text is the one the position is in.
      if (at >= 0) return { where, snippet: snippetAt(lower.length === text.length ? text : lower, at, spelling.length) };
    }
  }
  return undefined;
}

type PlacedText = [where: string, text: string];

/** The span's text, by what holds it, in the order a person would look: the chat before the raw attributes it came from. */
function* spanTexts(span: Span): Generator<PlacedText> {
  yield ['name', shownName(span)];
  if (span.displayName !== undefined) yield ['name', span.name];
  const llm = span.llm;
  if (llm) {
    for (const message of llm.inputMessages) yield* messageTexts(message, `${message.role} message`);
    for (const message of llm.outputMessages) yield* messageTexts(message, 'answer');
    if (llm.tool) {
      yield ['tool', llm.tool.name];
      if (llm.tool.arguments) yield ['tool arguments', llm.tool.arguments];
      if (llm.tool.result) yield ['tool result', llm.tool.result];
    }
    if (llm.input) yield ['input', llm.input];
    if (llm.output) yield ['output', llm.output];
    for (const evaluation of llm.evaluations ?? []) yield* valueTexts(`evaluation ${evaluation.name}`, [evaluation.label ?? '', evaluation.explanation ?? '']);
  }
  for (const [key, value] of Object.entries(span.attributes)) yield* valueTexts(key, value);
  for (const event of span.events) {
    const where = `event ${event.name}`;
    yield [where, event.name];
    for (const value of Object.values(event.attributes)) yield* valueTexts(where, value);
  }
  if (span.status.message) yield ['status message', span.status.message];
  for (const [key, value] of Object.entries(span.resource)) yield* valueTexts(key, value);
}

function* messageTexts(message: LlmMessage, where: string): Generator<PlacedText> {
  if (typeof message.content === 'string') yield [where, message.content];
  else {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') yield [where, part.text];
      else if (part.type === 'tool_call') yield* toolCallTexts(part.name, part.arguments);
      else if (part.type === 'tool_result') yield [where, part.result];
      else if (part.type === 'other') yield* valueTexts(where, part.value);
      else if (part.name) yield [where, part.name];
    }
  }
  for (const call of message.toolCalls ?? []) yield* toolCallTexts(call.name, call.arguments);
}

function* toolCallTexts(name: string, args: string): Generator<PlacedText> {
  yield ['tool call', name];
  yield [`tool call ${name}`, args];
}

/**
 * The strings in a value (numbers as written), JSON in a string read for its values: keys are the
 * format's, and so are the values of keys such as "role" and "type" ("user" would be in every chat).
 * Walked with a stack of its own: a value may nest deeper than the call stack goes.
 */
function* valueTexts(where: string, value: JsonValue): Generator<PlacedText> {
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const next = stack.pop() as JsonValue;
    if (typeof next === 'string') {
      const json = parsedJson(next);
      if (json !== undefined) stack.push(json);
      else if (!isBlob(next)) yield [where, next];
    } else if (typeof next === 'number') {
      yield [where, String(next)];
    } else if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
    } else if (next !== null && typeof next === 'object') {
      const entries = Object.entries(next);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        if (!(typeof item === 'string' && FORMAT_WORD_KEYS.has(key.toLowerCase()))) stack.push(item);
      }
    }
  }
}

/** A JSON object or array in a string (a conversation, tool arguments); undefined for anything else. */
function parsedJson(text: string): JsonValue | undefined {
  const first = text.trimStart()[0];
  if ((first !== '{' && first !== '[') || text.length > MAX_JSON_CHARS) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Data, not text: an inline image or file, or a long run without a space (base64). */
function isBlob(text: string): boolean {
  if (text.startsWith('data:')) return true;
  return text.length > BLOB_CHARS && !/\s/.test(text.slice(0, BLOB_CHARS));
}

/** text[at, at + length) with the words around it, on one line. */
export function snippetAt(text: string, at: number, length: number): string {
  let start = Math.max(0, at - SNIPPET_BEFORE);
  let end = Math.min(text.length, at + length + SNIPPET_AFTER);
  // Not between the two halves of a surrogate pair (an emoji).
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  const shown = text.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${start > 0 ? shown.trimStart() : shown}${end < text.length ? '…' : ''}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
