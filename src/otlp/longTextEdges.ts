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
  const text = raw.replace(JSON_ESCAPE, unescapeJson);
  return side === 'start' ? text.slice(0, EDGE_CHARS) : text.slice(-EDGE_CHARS);
}

/** (Not a closure in edge(): the bundle's keepNames makes every closure creation a defineProperty call.) */
function bytesAt(buf: Buffer, start: number, end: number, side: 'start' | 'end', bytes: number): string {
  return side === 'start' ? utf8Range(buf, start, Math.min(end, start + bytes)) : utf8Range(buf, Math.max(start, end - bytes), end);
}

/** One pass over every JSON escape: \uXXXX, the whitespace ones, and escaped quote, backslash and slash. */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([nrt])|(["\\/]))/g;

function unescapeJson(_: string, hex: string | undefined, space: string | undefined, char: string | undefined): string {
  if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
  return space !== undefined ? ' ' : (char as string);
}
