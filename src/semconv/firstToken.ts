// Time to first token: how long a streamed call kept the user waiting before its answer started, the
// latency figure that matters for a chat UI (a span's duration is when the stream ended). Recorders
// report it in three ways, and each convention module reads its own with these helpers:
// - a duration attribute: GenAI's `gen_ai.response.time_to_first_chunk`, Pydantic AI's
//   `gen_ai.client.operation.time_to_first_chunk` and OpenLIT's `gen_ai.server.time_to_first_token`
//   (seconds), Strands Agents' same-named one, the Vercel AI SDK's `ai.response.msToFirstChunk` and
//   Claude Code's `ttft_ms` (milliseconds);
// - the moment the first chunk arrived: Langfuse's `completion_start_time` and Mastra's (ISO 8601);
// - a span event at that moment (firstChunkEventMs): OpenInference's `First Token Stream Event`, the
//   Vercel AI SDK's `ai.stream.firstChunk`, OpenLLMetry's `llm.content.completion.chunk` (one per chunk),
//   MLflow's `mlflow.chunk.item.0` (its chunk events are numbered) and `new_token` (its LangChain tracer).
import type { JsonValue } from '../protocol/model';
import type { RawSpan } from '../otlp/types';
import { asNumber, serializedText } from './attributeReaders';

/** Span events stamped when a call's first chunk arrived. */
const FIRST_CHUNK_EVENTS: ReadonlySet<string> = new Set([
  'First Token Stream Event',
  'ai.stream.firstChunk',
  'llm.content.completion.chunk',
  'mlflow.chunk.item.0',
  // MLflow's LangChain autologging, one per streamed token.
  'new_token',
]);
/** The decoders write times as decimal nanoseconds; anything else (a hand-built span) is no time. */
const NANO_TIME = /^[1-9]\d{0,19}$/;

/**
 * A reported duration in milliseconds, from a number (or numeric text) in `unitMs` milliseconds, when
 * the span lasted that long: a first token after the span's end is a figure in another unit than its
 * name says (Strands Agents writes milliseconds where OpenLIT writes seconds), not a wait.
 */
export function reportedMs(span: Pick<RawSpan, 'durationMs'>, value: JsonValue | undefined, unitMs: number): number | undefined {
  const n = asNumber(value);
  if (n === undefined || n < 0) return undefined;
  const ms = n * unitMs;
  // Recorders round the figure (to whole milliseconds, or seconds to a few digits) apart from the span's times.
  return ms <= span.durationMs + ROUNDING_MS ? ms : undefined;
}

const ROUNDING_MS = 1;

/**
 * Milliseconds from the span's start to an ISO 8601 time (JSON-quoted or not), when that time lies
 * within the span: one outside it is a clock or a recorder at odds with the span, not a wait.
 */
export function msFromStartToIso(span: Pick<RawSpan, 'startTimeUnixNano' | 'durationMs'>, value: JsonValue | undefined): number | undefined {
  // Langfuse JSON-encodes the value: a JSON string literal is unquoted.
  const text = typeof value === 'string' ? serializedText(value) : undefined;
  const at = text === undefined ? NaN : Date.parse(text);
  if (!Number.isFinite(at) || !NANO_TIME.test(span.startTimeUnixNano)) return undefined;
  return withinSpan(span, at - nanoToMs(span.startTimeUnixNano));
}

/** Milliseconds from the span's start to its earliest first-chunk event, if it has one within the span. */
export function firstChunkEventMs(span: Pick<RawSpan, 'startTimeUnixNano' | 'durationMs' | 'events'>): number | undefined {
  let first: string | undefined;
  for (const event of span.events) {
    if (!FIRST_CHUNK_EVENTS.has(event.name) || !NANO_TIME.test(event.timeUnixNano)) continue;
    if (first === undefined || BigInt(event.timeUnixNano) < BigInt(first)) first = event.timeUnixNano;
  }
  if (first === undefined || !NANO_TIME.test(span.startTimeUnixNano)) return undefined;
  return withinSpan(span, Number(BigInt(first) - BigInt(span.startTimeUnixNano)) / 1e6);
}

/** `ms` after the span's start, if that is within the span. */
function withinSpan(span: Pick<RawSpan, 'durationMs'>, ms: number): number | undefined {
  return ms >= 0 && ms <= span.durationMs ? ms : undefined;
}

/** A decimal nanosecond time as milliseconds since the epoch (a double keeps well under a millisecond). */
function nanoToMs(nano: string): number {
  return Number(BigInt(nano) / 1000n) / 1000;
}
