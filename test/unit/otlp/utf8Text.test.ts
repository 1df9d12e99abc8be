// ShortStrings hands back a kept string only for the very bytes it was decoded from: strings that share
// its slot (same length and probed bytes), non-ASCII text and invalid UTF-8 must never be mistaken for it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShortStrings, utf8Range } from '../../../src/otlp/utf8Text';

/** `texts` back to back in one buffer, and a decoder of the i-th one through `strings`. */
function packed(texts: (string | Buffer)[]) {
  const parts = texts.map((t) => (typeof t === 'string' ? Buffer.from(t, 'utf8') : t));
  const buf = Buffer.concat(parts);
  const starts = parts.map((_, i) => parts.slice(0, i).reduce((n, p) => n + p.length, 0));
  return (strings: ShortStrings, i: number) => strings.text(buf, starts[i], starts[i] + parts[i].length);
}

test('repeated bytes give the same string object, decoded once', () => {
  const strings = new ShortStrings();
  const read = packed(['gen_ai.request.model', 'gen_ai.request.model']);
  const first = read(strings, 0);
  assert.equal(first, 'gen_ai.request.model');
  assert.equal(read(strings, 1), first);
});

test('strings sharing a slot (same length, first, middle and last byte) are told apart', () => {
  const strings = new ShortStrings();
  // Same length, same bytes at 0, length >> 1 and the end: the same slot, whatever the hash.
  const read = packed(['abXdefg', 'abYdefg', 'abXdefg', 'aZXdefg']);
  for (let round = 0; round < 3; round++) {
    assert.equal(read(strings, 0), 'abXdefg');
    assert.equal(read(strings, 1), 'abYdefg');
    assert.equal(read(strings, 2), 'abXdefg');
    assert.equal(read(strings, 3), 'aZXdefg');
  }
});

test('non-ASCII text and invalid UTF-8 decode as Buffer does, and never match an ASCII neighbour', () => {
  const strings = new ShortStrings();
  const invalid = Buffer.from([0x61, 0xff, 0x63]); // "a", a byte no UTF-8 has, "c"
  const read = packed(['a?c', invalid, 'aé', 'a\u00e9c', '配送', 'a?c', invalid]);
  const expected = ['a?c', utf8Range(invalid, 0, 3), 'aé', 'aéc', '配送', 'a?c', utf8Range(invalid, 0, 3)];
  for (let round = 0; round < 2; round++) expected.forEach((text, i) => assert.equal(read(strings, i), text, `string ${i}, round ${round}`));
});

test('empty and long strings are decoded as they are', () => {
  const strings = new ShortStrings();
  const long = 'x'.repeat(ShortStrings.MAX_BYTES + 1);
  const read = packed(['', long, long]);
  assert.equal(read(strings, 0), '');
  assert.equal(read(strings, 1), long);
  assert.equal(read(strings, 2), long);
});
