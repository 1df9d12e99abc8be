import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseIds } from '../../../src/ingest/responseIds';

test('the most recent model calls are remembered by response id (at least half the bound), older ones forgotten', () => {
  const ids = new ResponseIds(4);
  const span = (i: number) => ({ traceId: 't', spanId: `s${i}` });
  for (let i = 0; i < 10; i++) ids.remember(`r${i}`, span(i));
  for (let i = 8; i < 10; i++) assert.deepEqual(ids.spanOf(`r${i}`), span(i), `r${i}`);
  for (let i = 0; i < 6; i++) assert.equal(ids.spanOf(`r${i}`), undefined, `r${i}`);
  // Seen again (a re-sent span), a call is recent again.
  ids.remember('r0', span(0));
  ids.remember('r10', span(10));
  assert.deepEqual(ids.spanOf('r0'), span(0));
});

test('what is remembered is the span key alone, not the index fields it came with', () => {
  const ids = new ResponseIds();
  const fields = { traceId: 't', spanId: 's', name: 'chat', text: Buffer.alloc(1000) };
  ids.remember('r', fields);
  assert.deepEqual(ids.spanOf('r'), { traceId: 't', spanId: 's' });
});

test('saved and restored, the calls come back in their order, the newest still the last forgotten; junk is skipped', () => {
  const ids = new ResponseIds(6);
  for (let i = 0; i < 5; i++) ids.remember(`r${i}`, { traceId: 't', spanId: `s${i}` });
  const restored = new ResponseIds(6);
  restored.restore(JSON.parse(JSON.stringify([...ids.entries(), 'junk', ['r9'], ['r8', { traceId: 1, spanId: 's' }], null])));
  assert.deepEqual(restored.entries(), ids.entries());
  for (const junk of [undefined, null, 'x', { r0: 's' }]) new ResponseIds().restore(junk);
});
