// One raw span (+ the log records that belong to it) → the contract's Span with its derived views.
import type { RawLogRecord, RawSpan } from '../otlp/types';
import type { LlmCall, LlmUsage, Span } from '../protocol/model';
import { normalizeLlmCall } from '../semconv';
import { displayNameOf } from '../semconv/displayName';
import { loggedExceptionEvents } from '../semconv/genaiEvents';
import { sessionOf } from '../semconv/session';
import { computeCostUsd, resolvePrice, type ModelPrice, type PriceOverrides } from '../pricing/cost';
import { resolveSource } from '../source/resolveSource';

export function normalizeSpan(raw: RawSpan, logs: readonly RawLogRecord[], priceOverrides?: PriceOverrides): Span {
  const span: Span = raw;
  // Before the source: an exception's stack trace may be all that ties the span to a line.
  const exceptions = logs.length > 0 ? loggedExceptionEvents(raw.spanId, raw.events, logs) : [];
  if (exceptions.length > 0) span.events = [...raw.events, ...exceptions];
  const llm = normalizeLlmCall(raw, logs);
  if (llm) span.llm = priced(llm, priceOverrides);
  const source = resolveSource(raw);
  if (source) span.source = source;
  const displayName = displayNameOf(raw.name, raw.attributes);
  if (displayName) span.displayName = displayName;
  const session = sessionOf(raw.attributes);
  if (session) span.session = session;
  return span;
}

/**
 * `llm` with its cost at current prices; when its model has no price (or it reports no usage), the cost
 * its recorder reported, if any: a model newer than the price table still shows what the agent says it
 * cost. The table comes first so that the user's overrides apply to every span alike.
 */
function priced(llm: LlmCall, priceOverrides: PriceOverrides | undefined): LlmCall {
  const model = llm.responseModel ?? llm.requestModel;
  const price = model ? cachedPrice(model, llm.provider, priceOverrides) : undefined;
  if (price && hasUsage(llm.usage)) llm.costUsd = computeCostUsd(llm.usage, price);
  else if (llm.reportedCostUsd !== undefined) llm.costUsd = llm.reportedCostUsd;
  else delete llm.costUsd;
  return llm;
}

/**
 * normalizeSpan with the current price overrides, shared by ingest (IngestPipeline) and reads (the
 * store's deriveSpan): settings can change the overrides while spans stream in.
 */
export class SpanNormalizer {
  constructor(private priceOverrides: PriceOverrides = {}) {}

  setPriceOverrides(overrides: PriceOverrides): void {
    this.priceOverrides = overrides;
  }

  readonly normalize = (raw: RawSpan, logs: readonly RawLogRecord[]): Span => normalizeSpan(raw, logs, this.priceOverrides);

  /** A normalized span priced again with the current overrides (a copy; the rest of it as it is). */
  reprice(span: Span): Span {
    return span.llm ? { ...span, llm: priced({ ...span.llm }, this.priceOverrides) } : span;
  }
}

/** The stored span minus what normalization derived, so it can be normalized again with late logs. */
export function toRawSpan(span: Span): RawSpan {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { llm, source, ...raw } = span;
  return raw;
}

// A model id with a date suffix (most response models: `gpt-4o-mini-2024-07-18`) makes resolvePrice test
// every table key with a regex, ~6 µs per LLM span (10–25% of decode + normalize in bench/ingest.ts).
// The few models an app uses repeat on every call, so each is resolved once per overrides object
// (settings replace the object when they change).
const PRICE_CACHE_LIMIT = 1000;
const NO_OVERRIDES: PriceOverrides = {};
/** overrides → provider ('' when absent) → model → price. */
const priceCache = new WeakMap<PriceOverrides, Map<string, Map<string, ModelPrice | undefined>>>();

function cachedPrice(model: string, provider: string | undefined, overrides: PriceOverrides | undefined): ModelPrice | undefined {
  let byProvider = priceCache.get(overrides ?? NO_OVERRIDES);
  if (!byProvider) priceCache.set(overrides ?? NO_OVERRIDES, (byProvider = new Map()));
  let prices = byProvider.get(provider ?? '');
  if (!prices) {
    // Ids come from the wire: a sender inventing one per span must not grow this without bound.
    if (byProvider.size >= PRICE_CACHE_LIMIT) byProvider.clear();
    byProvider.set(provider ?? '', (prices = new Map()));
  }
  if (prices.has(model)) return prices.get(model);
  const price = resolvePrice(model, provider, overrides);
  if (prices.size >= PRICE_CACHE_LIMIT) prices.clear();
  prices.set(model, price);
  return price;
}

function hasUsage(usage: LlmUsage): boolean {
  return usage.inputTokens !== undefined || usage.outputTokens !== undefined;
}
