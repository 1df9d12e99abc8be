// Held GenAI log records: bounded by size as well as count (a prompt's records hold its images), and
// released once their span is stored with them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { approximateSize, LogCorrelator } from '../../../src/ingest/logCorrelator';
import { logRecord } from '../semconv/spanBuilder';

const record = (spanId: string, content: string) => logRecord('gen_ai.user.message', { content }, { spanId });

test('approximateSize follows the text a record holds, nested or not', () => {
  const small = approximateSize(record('a1a1a1a1a1a1a1a1', 'hi'));
  const image = `data:image/png;base64,${'A'.repeat(1_000_000)}`;
  const big = approximateSize(logRecord('gen_ai.user.message', { content: [{ type: 'image_url', image_url: { url: image } }] }, { spanId: 'a1a1a1a1a1a1a1a1' }));
  assert.ok(small > 0 && small < 1024, `${small}`);
  assert.ok(big >= 1_000_000 && big < 1_000_000 + 1024, `${big}`);
});

test('past maxBytes the oldest spans\' records go first, whatever their count', () => {
  const correlator = new LogCorrelator({ maxBytes: 2_500_000 });
  const megabyte = 'x'.repeat(1_000_000);
  for (const spanId of ['0000000000000001', '0000000000000002', '0000000000000003']) correlator.add([record(spanId, megabyte)]);
  assert.equal(correlator.size, 2);
  assert.deepEqual(correlator.recordsFor(record('0000000000000001', '').traceId!, '0000000000000001'), []);
  assert.equal(correlator.recordsFor(record('0000000000000003', '').traceId!, '0000000000000003').length, 1);
  assert.ok(correlator.heldBytes <= 2_500_000 && correlator.heldBytes >= 2_000_000, `${correlator.heldBytes}`);
});

test('release drops a span\'s records and their bytes; records that come later are held again', () => {
  const correlator = new LogCorrelator();
  const first = record('0000000000000001', 'first');
  correlator.add([first, record('0000000000000002', 'other')]);
  correlator.release(first.traceId!, '0000000000000001');
  assert.equal(correlator.size, 1);
  assert.equal(correlator.heldBytes, approximateSize(record('0000000000000002', 'other')));
  assert.deepEqual(correlator.recordsFor(first.traceId!, '0000000000000001'), []);
  const added = correlator.add([first]);
  assert.equal(added.size, 1, 'sent again after its release: new to the correlator (the store tells it is not new)');
});
