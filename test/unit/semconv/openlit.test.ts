// OpenLIT (`openlit.init()`) writes GenAI attributes, plus two of its own that the GenAI module reads:
// `gen_ai.usage.cost`, the USD cost it priced the call at (0 for a model it has no price for), and
// `gen_ai.server.time_to_first_token` in seconds. The span below has the attributes of its OpenAI
// chat instrumentation for a streamed call.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { Attributes, JsonValue } from '../../../src/protocol/model';
import { normalizeLlmCall } from '../../../src/semconv';
import { rawSpan } from './spanBuilder';

const openlitChat = (model: string, cost: JsonValue, extra: Attributes = {}): Attributes => ({
  'telemetry.sdk.name': 'openlit',
  'gen_ai.system': 'openai',
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': model,
  'gen_ai.response.model': model,
  'gen_ai.request.is_stream': true,
  'gen_ai.usage.input_tokens': 1_000,
  'gen_ai.usage.output_tokens': 100,
  'gen_ai.usage.cost': cost,
  'gen_ai.server.time_to_first_token': 0.31,
  'gen_ai.server.time_per_output_token': 0.02,
  ...extra,
});
const priced = (attributes: Attributes) => normalizeSpan(rawSpan(attributes, { name: `chat ${String(attributes['gen_ai.request.model'])}` }), []).llm;

test("OpenLIT's cost is the span's cost where the price table has no price for the model, and stays beside the table's", () => {
  const unknown = priced(openlitChat('acme-large-2027', 0.0123));
  assert.equal(unknown?.reportedCostUsd, 0.0123);
  assert.equal(unknown?.costUsd, 0.0123, 'a model the table lacks: what OpenLIT says it cost');
  const known = priced(openlitChat('gpt-4o-mini', 0.0123));
  assert.equal(known?.costUsd, (1_000 * 0.15 + 100 * 0.6) / 1e6, 'a model in the table: the table decides');
  assert.equal(known?.reportedCostUsd, 0.0123);
});

test('a zero, a cost in another currency, or a value that is no cost is no reported cost (never a misleading zero)', () => {
  assert.equal(priced(openlitChat('acme-large-2027', 0))?.costUsd, undefined, 'OpenLIT writes 0 when it has no price');
  assert.equal(priced(openlitChat('acme-large-2027', 0.5, { 'gen_ai.usage.cost.currency': 'EUR' }))?.reportedCostUsd, undefined);
  assert.equal(priced(openlitChat('acme-large-2027', 0.5, { 'gen_ai.usage.cost.currency': 'usd' }))?.reportedCostUsd, 0.5);
  for (const bad of [-0.1, 'free', '', null, true, [0.1], { usd: 1 }, Number.NaN] as JsonValue[]) {
    assert.equal(normalizeLlmCall(rawSpan(openlitChat('acme-large-2027', bad)))?.reportedCostUsd, undefined, JSON.stringify(bad));
  }
  assert.equal(normalizeLlmCall(rawSpan(openlitChat('acme-large-2027', '0.004')))?.reportedCostUsd, 0.004, 'numeric text');
});

test('its time to first token, in seconds, and that the call was streamed', () => {
  const llm = normalizeLlmCall(rawSpan(openlitChat('gpt-4o-mini', 0.001)));
  assert.equal(llm?.timeToFirstTokenMs, 310);
  assert.equal(llm?.params.stream, true);
});
