// One raw span (+ the log records that belong to it) → the contract's Span with its derived views.
import type { RawLogRecord, RawSpan } from '../otlp/types';
import type { LlmUsage, Span } from '../protocol/model';
import { normalizeLlmCall } from '../semconv';
import { computeCostUsd, resolvePrice, type PriceOverrides } from '../pricing/cost';
import { resolveSource } from '../source/resolveSource';

export function normalizeSpan(raw: RawSpan, logs: readonly RawLogRecord[], priceOverrides?: PriceOverrides): Span {
  const span: Span = raw;
  const llm = normalizeLlmCall(raw, logs);
  if (llm) {
    const model = llm.responseModel ?? llm.requestModel;
    const price = model ? resolvePrice(model, llm.provider, priceOverrides) : undefined;
    if (price && hasUsage(llm.usage)) llm.costUsd = computeCostUsd(llm.usage, price);
    span.llm = llm;
  }
  const source = resolveSource(raw);
  if (source) span.source = source;
  return span;
}

/** The stored span minus what normalization derived, so it can be normalized again with late logs. */
export function toRawSpan(span: Span): RawSpan {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { llm, source, ...raw } = span;
  return raw;
}

function hasUsage(usage: LlmUsage): boolean {
  return usage.inputTokens !== undefined || usage.outputTokens !== undefined;
}
