// The hot path indexes a protobuf span from its preview, in which long string attributes are left out
// (splitTraces.ts); reading it back normalizes the whole span. The trace list (models, tokens, cost)
// comes from the index, the span's detail from the read: they must agree however long the messages
// are. Conventions that keep the model or the token usage inside a JSON attribute along with the
// messages (Logfire's request_data / response_data, LangSmith's gen_ai.completion, …) are the cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexTracesProtobuf } from '../../../src/ingest/indexTraces';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { PREVIEW_STRING_BYTES } from '../../../src/otlp/splitTraces';
import { indexFieldsOf, type IndexFields } from '../../../src/store/spanMeta';
import { exportOf, longSpanCases } from './longSpanCases';

/** What the index keeps of a span, minus its search text (built from the edges of long strings by design). */
function indexed(fields: IndexFields): object {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { text, ...rest } = fields;
  return rest;
}

for (const c of longSpanCases) {
  test(`the index of a span with long messages equals its full normalization's: ${c.convention}`, () => {
    const body = exportOf(c.attributes, c.name);
    assert.ok(body.length > 2 * PREVIEW_STRING_BYTES, 'the messages are longer than the preview keeps');
    const [hot] = indexTracesProtobuf(body, {}).spans;
    const [raw] = decodeTracesProtobuf(body).spans;
    const full = indexFieldsOf(normalizeSpan(raw, []));
    assert.ok(full.llm?.inputTokens !== undefined || full.llm?.requestModel !== undefined, 'the case has index fields to lose');
    assert.deepEqual(indexed(hot.fields), indexed(full));
  });
}
