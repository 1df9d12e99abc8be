// The replay's word diff: what changed from the captured answer, and the texts rebuilt exactly from it.
//   node --import tsx --test webview/test/*.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DIFF_WORDS, wordDiff } from '../src/replay/textDiff';

const rebuilt = (runs: { kind: string; text: string }[], side: 'before' | 'after') =>
  runs.filter((r) => r.kind === 'same' || r.kind === (side === 'before' ? 'removed' : 'added')).map((r) => r.text).join('');

test('changed words are removed and added runs between the words kept', () => {
  const runs = wordDiff('Your order ships in 2 days.', 'Your order ships tomorrow, in 2 days.');
  assert.deepEqual(runs, [
    { kind: 'same', text: 'Your order ships ' },
    { kind: 'added', text: 'tomorrow, ' },
    { kind: 'same', text: 'in 2 days.' },
  ]);
  const swapped = wordDiff('Refunds take 5 days.', 'Refunds take 3 days.');
  assert.deepEqual(swapped, [{ kind: 'same', text: 'Refunds take ' }, { kind: 'removed', text: '5' }, { kind: 'added', text: '3' }, { kind: 'same', text: ' days.' }]);
});

test('both texts are rebuilt exactly from the runs, whitespace and line breaks included', () => {
  const before = 'Line one\n\n  indented  twice\ttab end';
  const after = 'Line one\nindented twice\ttab, then more\n';
  const runs = wordDiff(before, after);
  assert.ok(runs);
  assert.equal(rebuilt(runs, 'before'), before);
  assert.equal(rebuilt(runs, 'after'), after);
  assert.deepEqual(wordDiff('', ''), []);
  assert.deepEqual(wordDiff('', 'new'), [{ kind: 'added', text: 'new' }]);
});

test('answers too long to compare at a click say so instead of freezing the panel', () => {
  const long = Array.from({ length: MAX_DIFF_WORDS + 10 }, (_, i) => `w${i}`).join(' ');
  assert.equal(wordDiff(long, 'short'), undefined);
});
