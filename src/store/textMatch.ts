// Where a search needle counts as found in a span's search text (SpanMeta.text).
//
// For spans received as OTLP protobuf, a long attribute is indexed by windows of the JSON it was sent
// as (otlp/longTextEdges.ts), so the keys of the message formats ("role", "parts", "content") and the
// words their fixed fields take ("role": "user", "type": "text") are in the text of nearly every model
// call. A needle found only there matched every trace: "user", "tool" or "content" listed them all.
// Such a hit is skipped here and the next one looked for. What a message says, a tool's name and its
// arguments' own keys ("location") are still found, and so is a needle the user typed with its quotes
// or colon (`"role":"tool"`): it is not inside one quoted word.

/** Keys of the message formats Spanlight indexes (GenAI, OpenAI, Anthropic, Vercel AI, Bedrock, Gemini), lowercase. */
const FORMAT_KEYS = wordSet([
  'role', 'content', 'parts', 'type', 'text', 'name', 'id', 'index', 'message', 'messages',
  'finish_reason', 'finishreason', 'stop_reason', 'refusal', 'annotations',
  'tool_calls', 'toolcalls', 'tool_call_id', 'toolcallid', 'tool_use_id', 'tooluseid', 'toolname', 'tooluse', 'toolresult',
  'function', 'function_call', 'functioncall', 'functionresponse', 'arguments', 'args', 'input', 'output', 'result', 'response', 'is_error', 'iserror',
  'image_url', 'url', 'uri', 'detail', 'source', 'media_type', 'mime_type', 'mimetype', 'modality', 'data', 'inline_data', 'inlinedata', 'file',
  'thinking', 'reasoning', 'signature', 'cache_control', 'providermetadata', 'provideroptions',
]);

/** Keys whose string values are the format's own words ("role": "user"), not what a message says. */
export const FORMAT_WORD_KEY_NAMES: readonly string[] = ['role', 'type', 'finish_reason', 'finishreason', 'stop_reason', 'modality', 'media_type', 'mime_type', 'mimetype', 'detail'];
const FORMAT_WORD_KEYS = wordSet([...FORMAT_WORD_KEY_NAMES]);

/** Longer than any key above: a scan for the quotes around a hit stops here. */
const MAX_WORD_BYTES = 24;

/**
 * Whether `needle` (lowercase UTF-8) occurs in `text` (lowercase UTF-8) other than inside a format key
 * or one of its fixed words.
 */
export function containsSearchText(text: Buffer, needle: Buffer): boolean {
  // A needle with a space, quote or colon is never inside one quoted word.
  if (!needle.every(isWordByte)) return text.includes(needle);
  let at = text.indexOf(needle);
  while (at >= 0) {
    if (!inFormatWord(text, at, at + needle.length)) return true;
    at = text.indexOf(needle, at + 1);
  }
  return false;
}

/**
 * The typed text as German may write it either way: ß has no upper case of its own, so "STRASSE"
 * lowercases to "strasse" and never met "straße" (nor "strasse" a "Straße" in a prompt).
 */
export function searchSpellings(needle: string): string[] {
  if (!needle) return [];
  return [...new Set([needle, needle.replace(/ß/g, 'ss'), needle.replace(/ss/g, 'ß')])];
}

/** Whether text[start, end) lies inside a quoted format key (`"role":`) or fixed word (`"role": "user"`). */
function inFormatWord(text: Buffer, start: number, end: number): boolean {
  let open = start - 1;
  while (open >= 0 && start - open <= MAX_WORD_BYTES && isWordByte(text[open])) open--;
  let close = end;
  while (close < text.length && close - end <= MAX_WORD_BYTES && isWordByte(text[close])) close++;
  const quote = text[open];
  if (open < 0 || (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) || text[close] !== quote) return false;
  const after = skipSpaces(text, close + 1, 1);
  if (text[after] === COLON) return hasWord(FORMAT_KEYS, text, open + 1, close);
  // A value: `"key": "word"`, its key one of those with fixed words.
  const colon = skipSpaces(text, open - 1, -1);
  if (text[colon] !== COLON) return false;
  const keyClose = skipSpaces(text, colon - 1, -1);
  if (text[keyClose] !== DOUBLE_QUOTE && text[keyClose] !== SINGLE_QUOTE) return false;
  let keyOpen = keyClose - 1;
  while (keyOpen >= 0 && keyClose - keyOpen <= MAX_WORD_BYTES && isWordByte(text[keyOpen])) keyOpen--;
  return keyOpen >= 0 && text[keyOpen] === text[keyClose] && hasWord(FORMAT_WORD_KEYS, text, keyOpen + 1, keyClose);
}

/**
 * Words by their hash, so that a hit is checked without making a string of it: a common needle
 * ("content") has a hundred thousand hits in the keys of a full store.
 */
type WordSet = ReadonlyMap<number, Buffer>;

function wordSet(words: string[]): WordSet {
  const set = new Map<number, Buffer>();
  for (const word of words) {
    const bytes = Buffer.from(word, 'latin1');
    const hash = hashOf(bytes, 0, bytes.length);
    if (set.has(hash)) throw new Error(`textMatch: "${word}" and "${set.get(hash)?.toString()}" share a hash`);
    set.set(hash, bytes);
  }
  return set;
}

function hasWord(set: WordSet, text: Buffer, start: number, end: number): boolean {
  const word = set.get(hashOf(text, start, end));
  if (!word || word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) if (word[i] !== text[start + i]) return false;
  return true;
}

/** FNV-1a, 32 bits. */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const COLON = 0x3a;

/** The bytes of the format's words: lowercase letters, digits and `_` (the text is lowercase). */
function isWordByte(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x5f;
}

/** The first index from `at`, stepping by `step`, that is not a space (Python's json.dumps writes `": "`). */
function skipSpaces(text: Buffer, at: number, step: 1 | -1): number {
  while (at >= 0 && at < text.length && text[at] === 0x20) at += step;
  return at;
}
