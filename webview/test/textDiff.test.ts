// The replay's word diff: what changed from the captured answer, and the texts rebuilt exactly from it.
//   node --import tsx --test webview/test/*.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DIFF_CELLS, wordDiff } from '../src/replay/textDiff';

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

test('two long answers that differ in a few places are compared; ones that differ throughout say so instead of freezing the panel', () => {
  const words = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(' ');
  // 20,000 words alike around one change: the common ends are taken off before the table is built.
  const before = `${words('a', 10_000)} middle ${words('z', 10_000)}`;
  const after = `${words('a', 10_000)} centre ${words('z', 10_000)}`;
  const runs = wordDiff(before, after);
  assert.ok(runs);
  assert.deepEqual(runs.filter((r) => r.kind !== 'same'), [{ kind: 'removed', text: 'middle' }, { kind: 'added', text: 'centre' }]);
  assert.equal(rebuilt(runs, 'before'), before);
  assert.equal(rebuilt(runs, 'after'), after);
  // Different throughout: their table would pass the bound.
  const side = Math.ceil(Math.sqrt(MAX_DIFF_CELLS) / 2) + 1;
  assert.equal(wordDiff(words('p', side), words('q', side)), undefined);
});
