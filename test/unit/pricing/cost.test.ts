import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalModelId, computeCostUsd, parsePriceOverrides, resolvePrice, type PriceOverrides } from '../../../src/pricing/cost';
import { PRICE_TABLE, pricesAsOf } from '../../../src/pricing/priceTable';

describe('price resolution', () => {
  const cases: Array<{ name: string; model: string; provider?: string; priced: string | undefined }> = [
    { name: 'exact OpenAI id', model: 'gpt-4o', priced: 'gpt-4o' },
    { name: 'exact id in another case', model: 'GPT-4o-Mini', priced: 'gpt-4o-mini' },
    { name: 'dated OpenAI snapshot', model: 'gpt-4o-2024-08-06', priced: 'gpt-4o' },
    { name: 'snapshot with its own price wins over the family', model: 'gpt-4o-2024-05-13', priced: 'gpt-4o-2024-05-13' },
    { name: 'gpt-4o-mini is not priced as gpt-4o', model: 'gpt-4o-mini-2024-07-18', priced: 'gpt-4o-mini' },
    { name: 'gpt-4.1-nano is not priced as gpt-4.1', model: 'gpt-4.1-nano-2025-04-14', priced: 'gpt-4.1-nano' },
    { name: 'o3-mini is not priced as o3', model: 'o3-mini-2025-01-31', priced: 'o3-mini' },
    { name: 'gpt-5 snapshot', model: 'gpt-5-2025-08-07', priced: 'gpt-5' },
    { name: 'gpt-5.4-mini snapshot', model: 'gpt-5.4-mini-2026-03-17', priced: 'gpt-5.4-mini' },
    { name: 'Anthropic 3.x dated id', model: 'claude-3-5-sonnet-20241022', priced: 'claude-3-5-sonnet' },
    { name: 'Anthropic 4 dated id', model: 'claude-sonnet-4-20250514', priced: 'claude-sonnet-4' },
    { name: 'Sonnet 4.5 is not priced as Sonnet 4', model: 'claude-sonnet-4-5-20250929', priced: 'claude-sonnet-4-5' },
    { name: 'Opus 4.5 gets its own (lower) price', model: 'claude-opus-4-5-20251101', priced: 'claude-opus-4-5' },
    { name: 'Anthropic -latest alias', model: 'claude-3-7-sonnet-latest', priced: 'claude-3-7-sonnet' },
    { name: 'dotted Claude spelling from routers', model: 'anthropic/claude-3.5-sonnet', priced: 'claude-3-5-sonnet' },
    { name: 'Bedrock cross-region id', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', priced: 'claude-sonnet-4' },
    { name: 'Vertex AI @date id', model: 'claude-3-5-sonnet-v2@20241022', priced: 'claude-3-5-sonnet' },
    { name: 'Gemini numbered snapshot', model: 'gemini-2.0-flash-001', priced: 'gemini-2.0-flash' },
    { name: 'Gemini API models/ prefix', model: 'models/gemini-1.5-pro-002', priced: 'gemini-1.5-pro' },
    { name: 'Gemini dated preview', model: 'gemini-2.5-flash-preview-05-20', priced: 'gemini-2.5-flash' },
    { name: 'flash-lite is not priced as flash', model: 'gemini-2.5-flash-lite', priced: 'gemini-2.5-flash-lite' },
    { name: 'OpenRouter provider prefix', model: 'openai/gpt-4o', priced: 'gpt-4o' },
    { name: 'Azure gpt-35 spelling', model: 'gpt-35-turbo-0125', priced: 'gpt-3.5-turbo' },
    { name: 'DeepSeek chat', model: 'deepseek-chat', priced: 'deepseek-chat' },
    { name: 'DeepSeek reasoner', model: 'deepseek-reasoner', priced: 'deepseek-reasoner' },
    { name: 'xAI numbered snapshot', model: 'grok-4-0709', priced: 'grok-4' },
    { name: 'xAI mini fast is not priced as mini', model: 'grok-3-mini-fast-latest', priced: 'grok-3-mini-fast' },
    { name: 'Mistral pinned id', model: 'mistral-large-2411', priced: 'mistral-large-2411' },
    { name: 'embedding model', model: 'text-embedding-3-small', priced: 'text-embedding-3-small' },
    { name: 'unknown model', model: 'my-own-model', priced: undefined },
    { name: 'a word suffix is another model (audio)', model: 'gpt-4o-audio-preview-2024-12-17', priced: undefined },
    { name: 'a bare minor version is another model', model: 'claude-opus-4-7', priced: undefined },
    { name: 'a dotted minor version is another model', model: 'gpt-5.3-codex', priced: undefined },
    { name: 'OpenAI fine-tunes have their own prices', model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123', priced: undefined },
    { name: 'moving Mistral alias stays unpriced', model: 'mistral-large-latest', priced: undefined },
    { name: 'empty model', model: '  ', priced: undefined },
    { name: 'provider hint does not hide an OpenAI-compatible vendor', model: 'deepseek-chat', provider: 'openai', priced: 'deepseek-chat' },
    { name: 'self-hosted runtime has no list price', model: 'mistral-small-2503', provider: 'ollama', priced: undefined },
  ];
  for (const c of cases) {
    test(`${c.name}: ${JSON.stringify(c.model)} → ${c.priced ?? 'no price'}`, () => {
      const price = resolvePrice(c.model, c.provider);
      assert.equal(price?.model, c.priced);
      if (price) assert.equal(price.origin, 'table');
    });
  }

  test('resolved prices carry the table rates and vendor', () => {
    assert.deepEqual(resolvePrice('gpt-4o-2024-08-06'), { model: 'gpt-4o', vendor: 'openai', origin: 'table', input: 2.5, cachedInput: 1.25, output: 10 });
  });

  test('Anthropic prices include cache read and cache write rates', () => {
    const price = resolvePrice('claude-sonnet-4-20250514');
    assert.equal(price?.cachedInput, 0.3);
    assert.equal(price?.cacheWrite, 3.75);
  });
});

describe('price overrides', () => {
  const overrides: PriceOverrides = {
    'gpt-4o': { input: 1, output: 2 },
    'My-Azure-Deployment': { input: 3, output: 4, cachedInput: 0.5 },
    'claude-sonnet-4': { input: 9, output: 9 },
  };

  test('an override wins over the built-in table', () => {
    assert.deepEqual(resolvePrice('gpt-4o', undefined, overrides), { model: 'gpt-4o', origin: 'override', input: 1, output: 2 });
  });

  test('an override applies to dated ids of its model', () => {
    assert.equal(resolvePrice('claude-sonnet-4-20250514', undefined, overrides)?.origin, 'override');
  });

  test('an override prices a model the table does not know, matched case-insensitively', () => {
    assert.deepEqual(resolvePrice('my-azure-deployment', 'azure.ai.openai', overrides), { model: 'My-Azure-Deployment', origin: 'override', input: 3, output: 4, cachedInput: 0.5 });
  });

  test('an override applies even to a self-hosted model', () => {
    assert.equal(resolvePrice('gpt-4o', 'ollama', overrides)?.input, 1);
  });

  test('models without an override still use the table', () => {
    assert.equal(resolvePrice('gpt-4o-mini', undefined, overrides)?.origin, 'table');
  });

  test('settings JSON with a bad entry keeps the good ones and reports the bad one', () => {
    const { overrides: parsed, errors } = parsePriceOverrides({ good: { input: 1, output: 2 }, bad: { input: 'x', output: 2 }, negative: { input: -1, output: 1 } });
    assert.deepEqual(parsed, { good: { input: 1, output: 2 } });
    assert.equal(errors.length, 2);
    assert.match(errors[0], /"bad"/);
  });

  test('settings that are not an object are reported', () => {
    assert.equal(parsePriceOverrides([1, 2]).errors.length, 1);
    assert.deepEqual(parsePriceOverrides(undefined), { overrides: {}, errors: [] });
  });
});

describe('cost', () => {
  const gpt4o = { input: 2.5, cachedInput: 1.25, output: 10 };
  const cases: Array<{ name: string; usage: Parameters<typeof computeCostUsd>[0]; price: Parameters<typeof computeCostUsd>[1]; usd: number }> = [
    { name: 'input and output tokens', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 }, price: gpt4o, usd: 12.5 },
    // 1M input of which 400k cached: 600k × 2.5 + 400k × 1.25 = 1.5 + 0.5
    { name: 'cached input is billed at the cached rate, not twice', usage: { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 0 }, price: gpt4o, usd: 2 },
    { name: 'cached input without a cached rate is billed at the input rate', usage: { inputTokens: 1_000_000, cachedInputTokens: 400_000 }, price: { input: 2, output: 8 }, usd: 2 },
    // 100k input incl. 50k read + 20k written: 30k × 3 + 50k × 0.3 + 20k × 3.75 = 0.09 + 0.015 + 0.075
    { name: 'cache writes are billed at the write rate', usage: { inputTokens: 100_000, cachedInputTokens: 50_000, cacheCreationInputTokens: 20_000 }, price: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 }, usd: 0.18 },
    // Anthropic-style counts (input excludes cache): 10k × 3 + 50k × 0.3 = 0.03 + 0.015
    { name: 'input that excludes cached tokens is all full price', usage: { inputTokens: 10_000, cachedInputTokens: 50_000 }, price: { input: 3, output: 15, cachedInput: 0.3 }, usd: 0.045 },
    { name: 'reasoning tokens are inside output tokens, not added again', usage: { inputTokens: 0, outputTokens: 1_000_000, reasoningTokens: 600_000 }, price: gpt4o, usd: 10 },
    { name: 'embeddings have input only', usage: { inputTokens: 1_000_000 }, price: { input: 0.02, output: 0 }, usd: 0.02 },
    { name: 'small calls do not show float noise', usage: { inputTokens: 15, cachedInputTokens: 7, outputTokens: 13 }, price: { input: 0.15, cachedInput: 0.075, output: 0.6 }, usd: 0.000009525 },
  ];
  for (const c of cases) {
    test(c.name, () => assert.equal(computeCostUsd(c.usage, c.price), c.usd));
  }
});

describe('price table', () => {
  test('has a review date', () => assert.match(pricesAsOf, /^\d{4}-\d{2}-\d{2}$/));

  test('every key is already canonical, so exact lookups can hit it', () => {
    for (const key of Object.keys(PRICE_TABLE)) assert.equal(canonicalModelId(key), key);
  });

  test('every price is a non-negative number and cache reads are never dearer than input', () => {
    for (const [key, p] of Object.entries(PRICE_TABLE)) {
      for (const v of [p.input, p.output, p.cachedInput ?? 0, p.cacheWrite ?? 0]) assert.ok(Number.isFinite(v) && v >= 0, key);
      assert.ok((p.cachedInput ?? p.input) <= p.input, key);
    }
  });
});
