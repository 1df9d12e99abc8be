// The index keeps a span's times as canonical decimal nanosecond strings (no leading zeros), which
// compare by (length, text); anything that is no time at all is '0', an unset time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareNano, indexFieldsOf, metaFromSpan, normalizeNano } from '../../../src/store/spanMeta';
import type { Span } from '../../../src/protocol/model';

test('normalizeNano keeps canonical times, trims leading zeros, and turns anything else into 0', () => {
  const cases: [string | undefined, string][] = [
    ['1760000000123456789', '1760000000123456789'],
    ['0001760000000123456789', '1760000000123456789'],
    ['7', '7'],
    ['0', '0'],
    ['0000', '0'],
    ['', '0'],
    [undefined, '0'],
    ['-5', '0'],
    ['12a4', '0'],
    [' 12', '0'],
    ['1.5', '0'],
    ['１２', '0'], // full-width digits are not decimal digits
  ];
  for (const [value, expected] of cases) assert.equal(normalizeNano(value), expected, `normalizeNano(${JSON.stringify(value)})`);
  assert.ok(compareNano(normalizeNano('0099'), normalizeNano('100')) < 0);
});

test('indexFieldsOf is the meta of the span without a seq, its times canonical', () => {
  const span: Span = {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    name: 'chat gpt-4o',
    kind: 'CLIENT',
    startTimeUnixNano: '00120',
    endTimeUnixNano: 'garbage',
    durationMs: 0,
    status: { code: 'OK' },
    attributes: {},
    events: [],
    links: [],
    resource: { 'service.name': 'app' },
    scope: { name: 'test' },
  } as unknown as Span;
  const fields = indexFieldsOf(span);
  assert.equal('seq' in fields, false);
  assert.equal(fields.start, '120');
  assert.equal(fields.end, '0');
  assert.equal(fields.service, 'app');
  assert.deepEqual(metaFromSpan(span, 7, Infinity), { seq: 7, ...fields });
});
