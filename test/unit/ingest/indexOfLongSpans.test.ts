// The hot path indexes a protobuf span from its preview, in which long string attributes are left out
// (splitTraces.ts); reading it back normalizes the whole span. The trace list (models, tokens, cost)
// comes from the index, the span's detail from the read: they must agree however long the messages
// are. Conventions that keep the model or the token usage inside a JSON attribute along with the
// messages (Logfire's request_data / response_data, LangSmith's gen_ai.completion, …) are the cases; random
// mixes of every convention's attributes guard the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexTracesProtobuf } from '../../../src/ingest/indexTraces';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { PREVIEW_STRING_BYTES } from '../../../src/otlp/splitTraces';
import { indexFieldsOf, type IndexFields } from '../../../src/store/spanMeta';
import { conventionAttributes, exportOf, longSpanCases } from './longSpanCases';

/** What the index keeps of a span, minus its search text (built from the edges of long strings by design). */
function indexed(fields: IndexFields): object {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { text, ...rest } = fields;
  return rest;
}

/** The index fields of the hot path's preview, and of the full normalization. */
function bothIndexes(body: Buffer): [object, object] {
  const [hot] = indexTracesProtobuf(body, {}).spans;
  const [raw] = decodeTracesProtobuf(body).spans;
  return [indexed(hot.fields), indexed(indexFieldsOf(normalizeSpan(raw, [])))];
}

for (const c of longSpanCases) {
  test(`the index of a span with long messages equals its full normalization's: ${c.convention}`, () => {
    const body = exportOf(c.attributes, c.name);
    assert.ok(body.length > 2 * PREVIEW_STRING_BYTES, 'the messages are longer than the preview keeps');
    const [hot, full] = bothIndexes(body);
    assert.match(JSON.stringify(full), /"(inputTokens|requestModel)"/, 'the case has index fields to lose');
    assert.deepEqual(hot, full);
  });
}

test('the index equals the full normalization for 1,500 random mixes of the conventions, messages short or long', () => {
  // A fixed seed: a failure names the mix, and reruns find it again.
  let state = 20261204;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 1500; i++) {
    const sets = conventionAttributes(random);
    const attributes = { ...sets[Math.floor(random() * sets.length)], ...(random() < 0.5 ? sets[Math.floor(random() * sets.length)] : {}) };
    for (const key of Object.keys(attributes)) if (random() < 0.15) delete attributes[key];
    const [hot, full] = bothIndexes(exportOf(attributes, 'chat'));
    assert.deepEqual(hot, full, `mix ${i}: ${Object.keys(attributes).join(', ')}`);
  }
});

test("a source path longer than the preview keeps still gives the index the span's source (the tree's source link)", () => {
  for (const key of ['code.file.path', 'code.filepath']) {
    const path = `/app/${'deep/'.repeat(220)}agent.py`;
    const body = exportOf({ [key]: path, 'code.line.number': 12 }, 'run_agent');
    assert.ok(path.length > PREVIEW_STRING_BYTES);
    const [hot, full] = bothIndexes(body);
    assert.equal((full as IndexFields).shape?.source, true, key);
    assert.deepEqual(hot, full, key);
  }
});
