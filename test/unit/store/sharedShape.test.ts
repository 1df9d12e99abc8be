// Span shapes are shared by every span of the index with the same one: equal shapes give one frozen
// object, and no two different shapes are ever confused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedShape, type SpanShape } from '../../../src/store/spanMeta';

test('equal shapes share one frozen object; each of the 8 flag combinations per operation its own', () => {
  const seen = new Set<SpanShape>();
  for (const operation of [undefined, 'chat', 'tool', 'embeddings'] as const) {
    for (let flags = 0; flags < 8; flags++) {
      const shape: SpanShape = { operation, db: (flags & 1) !== 0, source: (flags & 2) !== 0, exception: (flags & 4) !== 0 };
      const shared = sharedShape(shape);
      assert.deepEqual(shared, shape);
      assert.ok(Object.isFrozen(shared));
      assert.equal(sharedShape({ ...shape }), shared);
      seen.add(shared);
    }
  }
  assert.equal(seen.size, 32);
});
