// Span shapes, and llm metas with nothing in them, are shared by every span of the index with the same
// one: equal ones give one frozen object, and no two different ones are ever confused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packFields, unpackFields } from '../../../src/ingest/fieldColumns';
import { decodeIndexLine } from '../../../src/store/indexFormat';
import { metaFromFields, NO_TEXT, sharedIfEmpty, sharedShape, type IndexFields, type LlmMeta, type SpanShape } from '../../../src/store/spanMeta';

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

test('an llm meta with no model, tokens or cost is one shared frozen object per modelCall value', () => {
  const empty = (modelCall: boolean): LlmMeta => ({ modelCall, requestModel: undefined, responseModel: undefined, inputTokens: undefined, outputTokens: undefined, costUsd: undefined });
  for (const modelCall of [false, true]) {
    const shared = sharedIfEmpty(empty(modelCall));
    assert.deepEqual(shared, empty(modelCall));
    assert.ok(Object.isFrozen(shared));
    assert.equal(sharedIfEmpty(empty(modelCall)), shared);
  }
  assert.notEqual(sharedIfEmpty(empty(false)), sharedIfEmpty(empty(true)));
  // Anything in it, even a zero, keeps an object of its own.
  for (const filled of [{ requestModel: 'm' }, { responseModel: 'm' }, { inputTokens: 0 }, { outputTokens: 0 }, { costUsd: 0 }]) {
    const llm = { ...empty(true), ...filled };
    assert.equal(sharedIfEmpty(llm), llm);
  }
});

test('fields from the worker share the empty meta, and the store can take them (nothing writes to it)', () => {
  const fields: IndexFields[] = ['tool', 'agent'].map((name, i) => ({
    traceId: 't', spanId: `s${i}`, parentSpanId: undefined, name, start: '1', end: '2', status: 'OK', service: 'svc',
    llm: { modelCall: false, requestModel: undefined, responseModel: undefined, inputTokens: undefined, outputTokens: undefined, costUsd: undefined },
    text: NO_TEXT, shape: undefined,
  }));
  const [a, b] = unpackFields(packFields(fields, []));
  assert.equal(a.llm, b.llm);
  assert.ok(Object.isFrozen(a.llm));
  assert.equal(metaFromFields(a, 1, 100).llm, a.llm);
});

test('index entries of both forms share the empty meta', () => {
  const fromJson = (llm: unknown[]) => decodeIndexLine(JSON.stringify([1, 0, 10, 't', 's', 0, 'tool', '1', '2', 0, 0, '', llm]), 0)?.meta.llm;
  const empty = fromJson([0, 0, 0, null, null, null]);
  assert.ok(empty && Object.isFrozen(empty));
  assert.equal(fromJson([0, '', '', null, null, null]), empty);
  assert.equal(sharedIfEmpty({ ...empty }), empty);
  assert.notEqual(fromJson([0, 'gpt-4o', 0, null, null, null]), empty);
});
