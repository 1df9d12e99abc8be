// Normalization entry point: raw span (+ its correlated log records) → the contract's LlmCall.
// Runs for every received span, so the first step is one pass over the attribute keys that decides
// which conventions can possibly apply; a span with no LLM-ish key returns after that pass.
import type { RawLogRecord, RawSpan } from '../otlp/types';
import type { LlmCall } from '../protocol/model';
import { mergeFragments, type LlmCallFragment, type SpanView } from './callFragments';
import { normalizeClaudeCode } from './claudeCode';
import { firstChunkEventMs } from './firstToken';
import { normalizeGenAi } from './genai';
import { normalizeGeminiCli } from './geminiCli';
import { GENKIT_CALL_FIELDS_IN_JSON, GENKIT_PREFIX, normalizeGenkit } from './genkit';
import { isGenAiEventName, isGenAiLogRecord, normalizeGenAiLogRecords, normalizeGenAiSpanEvents } from './genaiEvents';
import { normalizeGenAiLegacy } from './genaiLegacy';
import { ADK_CALL_FIELDS_IN_JSON, ADK_PREFIX, normalizeGoogleAdk } from './googleAdk';
import { HAYSTACK_CALL_FIELDS_IN_JSON, HAYSTACK_PREFIX, normalizeHaystack } from './haystack';
import { LANGSMITH_CALL_FIELDS_IN_JSON, normalizeLangSmith } from './langchain';
import { LANGFUSE_CALL_FIELDS_IN_JSON, normalizeLangfuse } from './langfuse';
import { LOGFIRE_CALL_FIELDS_IN_JSON, normalizeLogfire } from './logfire';
import { MASTRA_PREFIX, normalizeMastra } from './mastra';
import { MLFLOW_CALL_FIELDS_IN_JSON, MLFLOW_PREFIX, normalizeMlflow } from './mlflow';
import { normalizeOpenInference, OPENINFERENCE_CALL_FIELDS_IN_JSON } from './openinference';
import { normalizePydanticAiRun, PYDANTIC_AI_HISTORY } from './pydanticAi';
import { isStrandsSpan, normalizeStrands } from './strands';
import { normalizeTraceloop, TRACELOOP_CALL_FIELDS_IN_JSON } from './traceloop';
import { normalizeVercelAi, VERCEL_AI_CALL_FIELDS_IN_JSON } from './vercelAi';

export { MAX_INLINE_DATA_CHARS, TRUNCATION_MARKER_PREFIX } from './messageParts';
export { isGenAiLogRecord } from './genaiEvents';

/**
 * String attributes in which a convention keeps a call's model or token usage inside JSON, beside its
 * messages. The ingest hot path indexes a span from a preview that leaves long strings out
 * (splitTraces.ts): it keeps these whole, so that the models, tokens and cost of the trace list are
 * the ones the span's full normalization shows.
 */
export const CALL_FIELDS_IN_JSON: readonly string[] = [
  ...LOGFIRE_CALL_FIELDS_IN_JSON,
  ...LANGSMITH_CALL_FIELDS_IN_JSON,
  ...TRACELOOP_CALL_FIELDS_IN_JSON,
  ...OPENINFERENCE_CALL_FIELDS_IN_JSON,
  ...LANGFUSE_CALL_FIELDS_IN_JSON,
  ...ADK_CALL_FIELDS_IN_JSON,
  ...MLFLOW_CALL_FIELDS_IN_JSON,
  ...HAYSTACK_CALL_FIELDS_IN_JSON,
  ...GENKIT_CALL_FIELDS_IN_JSON,
  ...VERCEL_AI_CALL_FIELDS_IN_JSON,
];

const GENAI = 1 << 0;
const GENAI_LEGACY = 1 << 1;
const OPENINFERENCE = 1 << 2;
const TRACELOOP = 1 << 3;
const VERCEL = 1 << 4;
const LOGFIRE = 1 << 5;
const LANGSMITH = 1 << 7;
const LANGFUSE = 1 << 8;
/** Claude Code's spans carry `span.type`; their name (`claude_code.*`), or the made-from marker of spans made of its events, confirms it. */
const CLAUDE_CODE = 1 << 9;
const GOOGLE_ADK = 1 << 10;
const MLFLOW = 1 << 11;
const MASTRA = 1 << 12;
const PYDANTIC_AI_RUN = 1 << 13;
const HAYSTACK = 1 << 14;
const GENKIT = 1 << 15;

/** `llm.*` keys that belong to OpenLLMetry's legacy set rather than to OpenInference. */
const LEGACY_LLM_KEYS = new Set(['llm.top_k', 'llm.frequency_penalty', 'llm.presence_penalty', 'llm.chat.stop_sequences', 'llm.is_streaming']);

/**
 * The LLM view of a span, or undefined when no convention applies (the span stays a plain span with
 * its raw attributes). When several conventions apply their readings are merged: the more specific or
 * more structured source wins a field, the others fill what it left empty; `convention` lists them all.
 * Pure: never throws on bad input, never mutates its arguments. `costUsd` is left to pricing.
 */
export function normalizeLlmCall(span: RawSpan, logs?: readonly RawLogRecord[]): LlmCall | undefined {
  const attributes = span.attributes;
  const flags = scanKeys(attributes);
  const hasEvents = hasGenAiSpanEvent(span);
  const hasLogs = logs !== undefined && logs.length > 0 && hasGenAiLogRecord(logs);
  if (flags === 0 && !hasEvents && !hasLogs) return undefined;

  const view: SpanView = {
    attributes,
    keys: Object.keys(attributes),
    name: span.name,
    startTimeUnixNano: span.startTimeUnixNano,
    durationMs: span.durationMs,
    scope: span.scope,
  };
  const fragments: (LlmCallFragment | undefined)[] = [];
  // Priority order. LangSmith and Langfuse first: LangSmith re-uses `gen_ai.*` names loosely
  // (`gen_ai.prompt` is its raw run input, `gen_ai.system` defaults to "langchain"), and both know the
  // run/observation type exactly. Then the structured OTel form before its legacy and event forms.
  if (flags & LANGSMITH) fragments.push(normalizeLangSmith(view));
  if (flags & LANGFUSE) fragments.push(normalizeLangfuse(view));
  // MLflow's span type is exact too; its attributes never mix with GenAI's (its translation replaces them).
  if (flags & MLFLOW) fragments.push(normalizeMlflow(view));
  // So is Haystack's, whose own tracer writes no other convention's names.
  if (flags & HAYSTACK) fragments.push(normalizeHaystack(view));
  // And Genkit's: its model actions carry no GenAI names of their own.
  if (flags & GENKIT) fragments.push(normalizeGenkit(view));
  // Before GenAI: its model calls carry a few `gen_ai.*` attributes, and their tokens only in its own.
  if (flags & CLAUDE_CODE) fragments.push(normalizeClaudeCode(view));
  // Before GenAI too: its model calls' GenAI attributes name no operation, and its tracer as their system.
  if (flags & GOOGLE_ADK) fragments.push(normalizeGoogleAdk(view));
  // Before GenAI too: its spans use GenAI's names with values in Gemini's shapes.
  if (flags & GENAI) fragments.push(normalizeGeminiCli(view));
  // Read once: Strands' tool spans take their input and result from them, and they are a source of their own below.
  const fromEvents = hasEvents ? normalizeGenAiSpanEvents(span.events) : undefined;
  // Before GenAI too: its tool spans' events are no conversation, and one of its figures has another unit.
  if (flags & GENAI && isStrandsSpan(view)) fragments.push(normalizeStrands(view, fromEvents));
  // Before GenAI too: what it adds is what GenAI has no name for, and its workflow types GenAI calls `other`.
  if (flags & MASTRA) fragments.push(normalizeMastra(view));
  // Before GenAI too: a run's history is its conversation, which GenAI's attributes do not hold.
  if (flags & PYDANTIC_AI_RUN) fragments.push(normalizePydanticAiRun(view));
  if (flags & GENAI) fragments.push(normalizeGenAi(view));
  if (flags & GENAI_LEGACY) fragments.push(normalizeGenAiLegacy(view));
  fragments.push(fromEvents);
  if (hasLogs) fragments.push(normalizeGenAiLogRecords(span.spanId, logs));
  if (flags & OPENINFERENCE) fragments.push(normalizeOpenInference(view));
  if (flags & TRACELOOP) fragments.push(normalizeTraceloop(view));
  if (flags & VERCEL) fragments.push(normalizeVercelAi(view));
  if (flags & LOGFIRE) fragments.push(normalizeLogfire(view));
  const found = fragments.filter((f): f is LlmCallFragment => f !== undefined);
  if (found.length === 0) return undefined;
  const call = mergeFragments(found);
  // No convention reported it as a figure: the first chunk's event on the span, whoever added it.
  if (call.timeToFirstTokenMs === undefined && span.events.length > 0) {
    const firstChunk = firstChunkEventMs(span);
    if (firstChunk !== undefined) call.timeToFirstTokenMs = firstChunk;
  }
  return call;
}

/** One pass over the keys, branching on the first character so unrelated keys cost one comparison. */
function scanKeys(attributes: RawSpan['attributes']): number {
  let flags = 0;
  for (const key in attributes) {
    switch (key.charCodeAt(0)) {
      case 0x67: // g
        if (key.startsWith('gen_ai.')) {
          flags |= GENAI;
          if (key.startsWith('gen_ai.prompt.') || key.startsWith('gen_ai.completion.') || isLegacyUsageKey(key)) {
            flags |= GENAI_LEGACY;
          }
        } else if (key.startsWith(ADK_PREFIX)) flags |= GOOGLE_ADK;
        else if (key.startsWith(GENKIT_PREFIX)) flags |= GENKIT;
        break;
      case 0x6c: // l
        if (key.startsWith('llm.')) {
          if (key === 'llm.request.type') flags |= TRACELOOP;
          else if (key.startsWith('llm.usage.') || key.startsWith('llm.request.functions.') || LEGACY_LLM_KEYS.has(key)) flags |= GENAI_LEGACY;
          else flags |= OPENINFERENCE;
        } else if (key.startsWith('logfire.')) flags |= LOGFIRE;
        else if (key.startsWith('langsmith.')) flags |= LANGSMITH;
        else if (key.startsWith('langfuse.observation.')) flags |= LANGFUSE;
        break;
      case 0x6f: // o
        if (key === 'openinference.span.kind') flags |= OPENINFERENCE;
        break;
      case 0x61: // a
        if (key.startsWith('ai.')) flags |= VERCEL;
        break;
      case 0x74: // t
        if (key.startsWith('traceloop.')) flags |= TRACELOOP;
        break;
      case 0x73: // s
        if (key === 'span.type') flags |= CLAUDE_CODE;
        break;
      case 0x70: // p
        if (key === PYDANTIC_AI_HISTORY) flags |= PYDANTIC_AI_RUN;
        break;
      case 0x68: // h
        if (key.startsWith(HAYSTACK_PREFIX)) flags |= HAYSTACK;
        break;
      case 0x6d: // m
        if (key.startsWith(MLFLOW_PREFIX)) flags |= MLFLOW;
        else if (key.startsWith(MASTRA_PREFIX)) flags |= MASTRA;
        break;
    }
  }
  return flags;
}

/** Usage names of the pre-1.30 GenAI semconv / OpenLLMetry (`prompt_tokens`, `cache_read_input_tokens`, …). */
function isLegacyUsageKey(key: string): boolean {
  return (
    key === 'gen_ai.usage.prompt_tokens' ||
    key === 'gen_ai.usage.completion_tokens' ||
    key === 'gen_ai.usage.cache_read_input_tokens' ||
    key === 'gen_ai.usage.cache_creation_input_tokens' ||
    key === 'gen_ai.usage.reasoning_tokens'
  );
}

function hasGenAiSpanEvent(span: RawSpan): boolean {
  const events = span.events;
  for (let i = 0; i < events.length; i++) if (isGenAiEventName(events[i].name)) return true;
  return false;
}

function hasGenAiLogRecord(logs: readonly RawLogRecord[]): boolean {
  return logs.some(isGenAiLogRecord);
}
