// The bench's page-fault probe: it must count faults of fresh memory (one per 4 KiB page touched), or the
// cost it prints beside the receiver's faults per export would be a division by the wrong number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measurePageFaultCost } from '../../../bench/pageFaultCost';

test('each round touches fresh pages and takes about one fault per page', { skip: process.platform !== 'linux' && 'minor faults are read as Linux counts them' }, () => {
  const bytes = 8 * 1024 * 1024;
  const cost = measurePageFaultCost(3, bytes);
  const pages = bytes / 4096;
  // Fault-around or a huge page may map several pages per fault; never more faults than pages (+ noise).
  assert.ok(cost.faults >= pages / 64 && cost.faults <= pages * 1.1, `${cost.faults} faults for ${pages} pages`);
  assert.ok(Number.isFinite(cost.microsPerFault) && cost.microsPerFault > 0, String(cost.microsPerFault));
});
