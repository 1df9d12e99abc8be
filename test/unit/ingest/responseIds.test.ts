import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResponseIds } from '../../../src/ingest/responseIds';

test('the most recent model calls are remembered by response id, the oldest forgotten first', () => {
  const ids = new ResponseIds(2);
  ids.remember('a', { traceId: 't1', spanId: 's1' });
  ids.remember('b', { traceId: 't1', spanId: 's2' });
  // Seen again (a re-sent span): it is recent again.
  ids.remember('a', { traceId: 't1', spanId: 's1' });
  ids.remember('c', { traceId: 't2', spanId: 's3' });
  assert.deepEqual(ids.spanOf('a'), { traceId: 't1', spanId: 's1' });
  assert.equal(ids.spanOf('b'), undefined);
  assert.deepEqual(ids.spanOf('c'), { traceId: 't2', spanId: 's3' });
});

test('what is remembered is the span key alone, not the index fields it came with', () => {
  const ids = new ResponseIds();
  const fields = { traceId: 't', spanId: 's', name: 'chat', text: Buffer.alloc(1000) };
  ids.remember('r', fields);
  assert.deepEqual(ids.spanOf('r'), { traceId: 't', spanId: 's' });
});
