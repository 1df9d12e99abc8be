// normalizeSpan remembers resolved prices (resolvePrice scans the table for dated model ids): the cache
// must never change what a span costs, including when the user edits the price overrides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { PriceOverrides } from '../../../src/pricing/cost';
import { rawSpan } from '../semconv/spanBuilder';

function chat(model: string) {
  return rawSpan({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': model,
    'gen_ai.response.model': model,
    'gen_ai.usage.input_tokens': 1_000_000,
    'gen_ai.usage.output_tokens': 0,
  });
}

test('cost follows the price overrides in effect for each span, also after they are replaced', () => {
  const first: PriceOverrides = { 'my-finetune': { input: 3, output: 12 } };
  const second: PriceOverrides = { 'my-finetune': { input: 5, output: 20 } };
  assert.equal(normalizeSpan(chat('my-finetune'), [], first).llm?.costUsd, 3);
  assert.equal(normalizeSpan(chat('my-finetune'), [], first).llm?.costUsd, 3, 'same answer from the cache');
  assert.equal(normalizeSpan(chat('my-finetune'), [], second).llm?.costUsd, 5, 'new overrides object, new price');
  assert.equal(normalizeSpan(chat('my-finetune'), []).llm?.costUsd, undefined, 'no overrides: not in the table, no price');
});

test('a dated model id is priced like its family, every time', () => {
  const costs = [1, 2, 3].map(() => normalizeSpan(chat('gpt-4o-mini-2024-07-18'), []).llm?.costUsd);
  assert.ok(costs[0] !== undefined && costs[0] > 0);
  assert.deepEqual(costs, [costs[0], costs[0], costs[0]]);
});
