// The search text of a string attribute too long for the ingest preview (a prompt, an answer, a whole
// conversation as JSON), read from its bytes without decoding all of it: its start, its end, and the
// latest user turn wherever it is (in an agent's later calls the question sits between a long system
// prompt and the tool results that follow it).
import { utf8Range } from './utf8Text';

/** Characters kept from each end of a long string, and of the latest user turn. */
const EDGE_CHARS = 200;
/**
 * An escaped character (`\u00e9`, Python's json.dumps writes every non-ASCII one so) takes 6 bytes: a
 * window this many times wider still holds EDGE_CHARS of such text.
 */
const ESCAPED_WIDTH = 6;
/** `"user"`: the role of a user's message in the GenAI, OpenAI and Anthropic shapes (`"role": "user"` too). */
const USER_ROLE = Buffer.from('"user"');

/** The loose search text of buf[start, end): the latest user turn, the start and the end. */
export function longTextEdges(buf: Buffer, start: number, end: number): string {
  const head = edge(buf, start, end, 'start');
  const tail = edge(buf, start, end, 'end');
  // Searched within the string only: lastIndexOf on the whole request read back through every span before it.
  const found = buf.subarray(start, end).lastIndexOf(USER_ROLE);
  const user = found < 0 ? -1 : start + found;
  // Only where it is not already in the start or the end (a first call's question is its last words).
  const inMiddle = user >= start + EDGE_CHARS && user < end - EDGE_CHARS * ESCAPED_WIDTH;
  return inMiddle ? `${edge(buf, user + USER_ROLE.length, end, 'start')} … ${head} … ${tail}` : `${head} … ${tail}`;
}

/** EDGE_CHARS of readable text at one end of buf[start, end). */
function edge(buf: Buffer, start: number, end: number, side: 'start' | 'end'): string {
  let raw = bytesAt(buf, start, end, side, EDGE_CHARS);
  if (!raw.includes('\\')) return raw;
  if (raw.includes('\\u')) raw = bytesAt(buf, start, end, side, EDGE_CHARS * ESCAPED_WIDTH);
  const text = unescapeJson(raw);
  return side === 'start' ? text.slice(0, EDGE_CHARS) : text.slice(-EDGE_CHARS);
}

/** (Not a closure in edge(): the bundle's keepNames makes every closure creation a defineProperty call.) */
function bytesAt(buf: Buffer, start: number, end: number, side: 'start' | 'end', bytes: number): string {
  return side === 'start' ? utf8Range(buf, start, Math.min(end, start + bytes)) : utf8Range(buf, Math.max(start, end - bytes), end);
}

/**
 * `raw` with its JSON escapes read: \uXXXX as its character, \n \r \t as a space, \" \\ \/ as the
 * character; anything else after a backslash is left as it is, as the regular expression with a replacer
 * it replaced did (test/unit/otlp/unescapeJson.test.ts holds them equal). One pass, with slices between
 * escapes: the edges of the ingest bench's 512-span export took 0.57 ms instead of 0.71.
 */
export function unescapeJson(raw: string): string {
  let out = '';
  let from = 0;
  for (let at = raw.indexOf('\\'); at >= 0 && at < raw.length - 1; at = raw.indexOf('\\', from)) {
    const next = raw.charCodeAt(at + 1);
    if (next === 0x75 /* u */ && at + 5 < raw.length && isHex4(raw, at + 2)) {
      out += raw.slice(from, at) + String.fromCharCode(parseInt(raw.slice(at + 2, at + 6), 16));
      from = at + 6;
    } else if (next === 0x6e /* n */ || next === 0x72 /* r */ || next === 0x74 /* t */) {
      out += `${raw.slice(from, at)} `;
      from = at + 2;
    } else if (next === 0x22 /* " */ || next === 0x5c /* \ */ || next === 0x2f /* / */) {
      out += raw.slice(from, at) + raw[at + 1];
      from = at + 2;
    } else {
      // Not an escape: the backslash stays, and the search goes on from the character after it.
      out += raw.slice(from, at + 1);
      from = at + 1;
    }
  }
  return out + raw.slice(from);
}

function isHex4(text: string, at: number): boolean {
  for (let i = at; i < at + 4; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
