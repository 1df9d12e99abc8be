// Model id → price, and usage × price → USD. Pure; the table lives in priceTable.ts.
import type { LlmUsage } from '../protocol/model';
import { PRICE_TABLE, type TokenPrices, type Vendor } from './priceTable';

/** User setting `spanlight.pricing.overrides`: model id → USD per 1M tokens. Wins over the built-in table. */
export type PriceOverrides = Record<string, { input: number; output: number; cachedInput?: number; cacheWrite?: number }>;

export interface ModelPrice extends TokenPrices {
  /** The table or override key that matched, e.g. `gpt-4o` for `gpt-4o-2024-08-06` (lets the UI say "priced as …"). */
  model: string;
  vendor?: Vendor;
  origin: 'table' | 'override';
}

/**
 * The price of `model`, or undefined when unknown (never a guessed zero).
 * Order: overrides, then the built-in table; in each, the exact id, then the longest key that the id extends
 * by a date or version suffix only (`gpt-4o-2024-08-06` → `gpt-4o`, `gemini-2.0-flash-001` → `gemini-2.0-flash`,
 * `claude-sonnet-4-20250514` → `claude-sonnet-4`). Provider prefixes (`openai/`, `models/`, Bedrock's
 * `us.anthropic.`) are dropped first.
 *
 * `provider` is a hint, not a filter: instrumentations report the client library (`openai`) even when it talks to
 * DeepSeek's or xAI's OpenAI-compatible endpoint, so a mismatch must not hide a price. It only rules out
 * self-hosted runtimes, whose models have no list price even when they share a hosted model's name.
 */
export function resolvePrice(model: string, provider?: string, overrides?: PriceOverrides): ModelPrice | undefined {
  const raw = model.trim().toLowerCase();
  if (!raw) return undefined;
  const id = canonicalModelId(raw);
  if (overrides) {
    const table = normalizedOverrides(overrides);
    const key = table.has(raw) ? raw : findKey(id, table);
    const hit = key === undefined ? undefined : table.get(key);
    if (hit) return { ...hit.prices, model: hit.key, origin: 'override' };
  }
  if (provider && SELF_HOSTED.test(provider.trim().toLowerCase())) return undefined;
  const key = findKey(id, TABLE_KEYS);
  if (key === undefined) return undefined;
  const { vendor, ...prices } = PRICE_TABLE[key];
  return { ...dropUndefined(prices), model: key, vendor, origin: 'table' };
}

/**
 * USD for one call. Assumptions, following OpenAI's usage and the OTel GenAI spec for `gen_ai.usage.input_tokens`:
 * - `inputTokens` includes cached reads and cache writes; those are billed at their own rates and taken out of
 *   the full-price remainder, never billed twice. When the cache counts exceed `inputTokens`, the input count
 *   cannot include them (Anthropic's raw `input_tokens` excludes them), so it is all full-price.
 * - `reasoningTokens` are already inside `outputTokens` (OpenAI's completion_tokens include them) and are never
 *   added again. Normalizers must fold reasoning into output for providers that report it apart (Gemini's thoughts).
 * Missing counts are 0: an embeddings call has no output tokens.
 */
export function computeCostUsd(usage: LlmUsage, price: TokenPrices): number {
  const input = usage.inputTokens ?? 0;
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheCreationInputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const cached = cacheRead + cacheWrite;
  const fullPrice = cached <= input ? input - cached : input;
  const micro =
    fullPrice * price.input + cacheRead * (price.cachedInput ?? price.input) + cacheWrite * (price.cacheWrite ?? price.input) + output * price.output;
  // Rounded to 1e-12 USD so sums of many calls do not show float noise like 0.30000000000000004.
  return Math.round((micro / 1_000_000) * 1e12) / 1e12;
}

/**
 * Reads the user setting, which is untyped JSON: entries with a non-numeric or negative price are skipped and
 * reported, so one typo does not drop every override.
 */
export function parsePriceOverrides(value: unknown): { overrides: PriceOverrides; errors: string[] } {
  const overrides: PriceOverrides = {};
  const errors: string[] = [];
  if (value === undefined || value === null) return { overrides, errors };
  if (typeof value !== 'object' || Array.isArray(value)) return { overrides, errors: ['price overrides must be an object of model id → {input, output}'] };
  for (const [model, entry] of Object.entries(value)) {
    const e = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const input = priceField(e.input);
    const output = priceField(e.output);
    const cachedInput = e.cachedInput === undefined ? undefined : priceField(e.cachedInput);
    const cacheWrite = e.cacheWrite === undefined ? undefined : priceField(e.cacheWrite);
    if (input === undefined || output === undefined || (e.cachedInput !== undefined && cachedInput === undefined) || (e.cacheWrite !== undefined && cacheWrite === undefined)) {
      errors.push(`price override for "${model}" needs non-negative numbers: input and output (USD per 1M tokens), optional cachedInput and cacheWrite`);
      continue;
    }
    overrides[model] = dropUndefined({ input, output, cachedInput, cacheWrite });
  }
  return { overrides, errors };
}

// ---------------------------------------------------------------------------------------------------------------

const TABLE_KEYS: ReadonlyMap<string, string> = new Map(Object.keys(PRICE_TABLE).map((k) => [k, k]));

/**
 * What may follow a key for the id to still be that model: dates (`-2024-08-06`, `-20241022`, Vertex `@20241022`),
 * snapshot numbers (`-001`, `-0709`), `-latest`, `-preview[-05-20]`, `-exp`, Bedrock `-v1:0`. A bare 1–2 digit
 * segment is a minor version (`claude-opus-4-7`), and a word (`-pro`, `-audio`, `-search`) a different model.
 */
const VERSION_SUFFIX = /^(?:[-@:](?:\d{8}|\d{4}-\d{2}-\d{2}|\d{3,4}|latest|v\d+(?::\d+)?|(?:preview|exp|experimental)(?:-\d{2}-\d{2}|-\d{2}-\d{4}|-\d{4}|-\d{2})?))+$/;

/** Runtimes on the developer's machine or cluster: a `llama3`/`mistral-small` there costs no list price. */
const SELF_HOSTED = /^(ollama|lmstudio|lm_studio|lm-studio|llama\.?cpp|llamafile|vllm|localai|local|tgi|huggingface\.tgi|mlx)(\.|$)/;

/** Bedrock ids: optional cross-region profile, then vendor and a dot (`us.anthropic.claude-…`). */
const BEDROCK_PREFIX = /^(?:(?:us|eu|apac|au|jp|ca|global|us-gov)\.)?(?:anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai|qwen|writer)\./;

/** A Bedrock model id (`anthropic.claude-…`, `us.amazon.nova-pro-v1:0`) or a Bedrock ARN (an inference profile, a provisioned model). */
export function isBedrockModelId(model: string): boolean {
  const id = model.trim().toLowerCase();
  return BEDROCK_PREFIX.test(id) || id.startsWith('arn:aws:bedrock:');
}

/** Lowercased id without routing prefixes, in the spelling the table uses. */
export function canonicalModelId(model: string): string {
  let id = model.trim().toLowerCase();
  // `openai/gpt-4o` (OpenRouter, LiteLLM), `models/gemini-2.0-flash` (Gemini API), full Vertex resource names.
  id = id.slice(id.lastIndexOf('/') + 1);
  id = id.replace(BEDROCK_PREFIX, '');
  // Azure spells gpt-3.5 without the dot.
  id = id.replace(/^gpt-35-/, 'gpt-3.5-');
  // Anthropic ids use dashes; routers often write `claude-3.5-sonnet` or `claude-sonnet-4.5`.
  if (id.startsWith('claude')) id = id.replace(/(\d)\.(\d)/g, '$1-$2');
  return id;
}

function findKey(id: string, keys: ReadonlyMap<string, unknown>): string | undefined {
  if (keys.has(id)) return id;
  let best: string | undefined;
  for (const key of keys.keys()) {
    if (id.length > key.length && id.startsWith(key) && (best === undefined || key.length > best.length) && VERSION_SUFFIX.test(id.slice(key.length))) {
      best = key;
    }
  }
  return best;
}

interface OverrideEntry {
  key: string;
  prices: TokenPrices;
}

// Overrides change only when the user edits settings; normalize each object once, not once per span.
const overrideCache = new WeakMap<PriceOverrides, Map<string, OverrideEntry>>();

function normalizedOverrides(overrides: PriceOverrides): Map<string, OverrideEntry> {
  let table = overrideCache.get(overrides);
  if (!table) {
    table = new Map();
    for (const [key, prices] of Object.entries(overrides)) {
      const entry = { key, prices: dropUndefined({ ...prices }) };
      // Both spellings: the key as written (a custom Azure deployment name) and its canonical form.
      table.set(key.trim().toLowerCase(), entry);
      table.set(canonicalModelId(key), entry);
    }
    overrideCache.set(overrides, table);
  }
  return table;
}

function priceField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}
