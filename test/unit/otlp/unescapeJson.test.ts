// The JSON escapes of a long attribute's edges, read as the regular expression they replaced read them
// (kept here as the reference): the search text of every stored span depends on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unescapeJson } from '../../../src/otlp/longTextEdges';

const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([nrt])|(["\\/]))/g;
function reference(raw: string): string {
  return raw.replace(JSON_ESCAPE, (_, hex: string | undefined, space: string | undefined, char: string | undefined) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return space !== undefined ? ' ' : (char as string);
  });
}

test('escapes are read as JSON writes them; what is no escape stays as it is', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['say \\"hi\\"\\nthen \\\\ and \\/', 'say "hi" then \\ and /'],
    ['caf\\u00e9 \\u00C9t\\u00e9', 'café Été'],
    ['not \\x an escape, \\u12 short, \\uZZZZ bad', 'not \\x an escape, \\u12 short, \\uZZZZ bad'],
    ['ends in a backslash \\', 'ends in a backslash \\'],
    ['cut at \\u00e', 'cut at \\u00e'],
    ['\\\\u00e9 is an escaped backslash', '\\u00e9 is an escaped backslash'],
  ];
  for (const [raw, expected] of cases) {
    assert.equal(unescapeJson(raw), expected, raw);
    assert.equal(reference(raw), expected, `reference: ${raw}`);
  }
});

test('the same as the regular expression on thousands of random strings of escapes and their near misses', () => {
  const pieces = ['\\', '\\\\', '\\"', '\\n', '\\t', '\\r', '\\/', '\\u', '\\u00e9', '\\uD83D\\uDE00', '\\u12', 'u', '00e9', 'a', ' ', 'é', '"', 'x'];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let n = 0; n < 5000; n++) {
    let raw = '';
    for (let i = Math.floor(random() * 12); i > 0; i--) raw += pieces[Math.floor(random() * pieces.length)];
    assert.equal(unescapeJson(raw), reference(raw), JSON.stringify(raw));
  }
});
