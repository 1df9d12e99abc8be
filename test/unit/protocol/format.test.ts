// How numbers read in the webviews.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAge, formatCost, formatCountOf, formatTraceCost, formatDuration, formatTokenPair, formatTokens, prettyJson } from '../../../src/protocol/format';

describe('formatting', () => {
  test('cost: unknown is a dash, small costs keep two significant digits', () => {
    assert.equal(formatCost(undefined), '—');
    assert.equal(formatCost(0), '$0');
    assert.equal(formatCost(0.00004), '<$0.0001');
    assert.equal(formatCost(0.00123456), '$0.0012');
    assert.equal(formatCost(0.0456), '$0.046');
    assert.equal(formatCost(0.5), '$0.5');
    assert.equal(formatCost(12.345), '$12.35');
    assert.equal(formatCost(12345.6), '$12,346');
  });

  test('durations', () => {
    assert.equal(formatDuration(0.3), '<1 ms');
    assert.equal(formatDuration(12.4), '12 ms');
    assert.equal(formatDuration(1234), '1.23 s');
    assert.equal(formatDuration(45_600), '45.6 s');
    assert.equal(formatDuration(125_000), '2m 05s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
    assert.equal(formatDuration(Number.NaN), '—');
  });

  test('tokens', () => {
    assert.equal(formatTokens(950), '950');
    assert.equal(formatTokens(1234), '1.2k');
    assert.equal(formatTokens(1000), '1k');
    assert.equal(formatTokens(12_345), '12k');
    assert.equal(formatTokens(1_234_567), '1.2M');
    assert.equal(formatTokenPair(1234, 56), '1.2k → 56');
    assert.equal(formatTokenPair(undefined, 56), '? → 56');
    assert.equal(formatTokenPair(undefined, undefined), undefined);
  });

  test('a count and its noun: plural but for one, thousands grouped', () => {
    assert.equal(formatCountOf(1, 'file'), '1 file');
    assert.equal(formatCountOf(0, 'error'), '0 errors');
    assert.equal(formatCountOf(12006, 'file'), '12,006 files');
  });

  test('relative age', () => {
    const now = 1_700_000_000_000;
    assert.equal(formatAge(now + 5000, now), 'now');
    assert.equal(formatAge(now - 12_400, now), '12s ago');
    assert.equal(formatAge(now - 5 * 60_000, now), '5m ago');
    assert.equal(formatAge(now - 3 * 3_600_000, now), '3h ago');
    assert.equal(formatAge(now - 3 * 86_400_000, now), '3d ago');
  });

  test('JSON is pretty-printed, anything else is left alone', () => {
    assert.equal(prettyJson('{"a":1}'), '{\n  "a": 1\n}');
    assert.equal(prettyJson('{not json'), '{not json');
    assert.equal(prettyJson('plain'), 'plain');
  });
});

test("a trace's cost says when it leaves calls out", () => {
  assert.deepEqual(formatTraceCost(0.0123), { text: '$0.012', title: 'Cost at list prices' });
  assert.deepEqual(formatTraceCost(undefined), { text: '—', title: '' });
  const partial = formatTraceCost(0.0123, 1);
  assert.equal(partial.text, '$0.012+');
  assert.match(partial.title, /^Cost of the priced calls; 1 model call has no price/);
  assert.match(formatTraceCost(undefined, 2).title, /^2 model calls have no price/);
});
