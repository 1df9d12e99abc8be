// Spans made of an agent's events. Coding agents (Claude Code, Codex, Gemini CLI) send what they do as
// OTLP log records without trace or span ids: each user prompt becomes a trace, with a root covering
// the turn and a span per model call and tool use. The parts every such agent shares are here; what
// its events mean is in its own module (claudeCodeEvents.ts, codexEvents.ts, geminiCliEvents.ts).
import { createHash } from 'node:crypto';
import { durationMsFromDecimals } from '../otlp/scalars';
import type { RawLogRecord, RawSpan } from '../otlp/types';
import { MADE_FROM_EVENTS_ATTRIBUTE, type Attributes, type JsonValue, type SpanStatus } from '../protocol/model';
import { asNumber, asString } from '../semconv/attributeReaders';
import { compareNano } from '../store/spanMeta';

/** The spans one export's events stand for, per turn: its root as these events see it, and a span per event. */
export interface PromptSpans {
  root: RawSpan;
  children: RawSpan[];
}

/** One agent's events as spans (IngestPipeline stores them, widening each turn's stored root). */
export interface AgentEvents {
  /** A record this agent sent that is not tied to a span: with tracing on, its span holds what it says. */
  accepts(record: RawLogRecord): boolean;
  spansOf(records: readonly RawLogRecord[]): PromptSpans[];
  /** The root covering the events of both versions (the stored one and one of a later export). */
  mergeRoot(stored: RawSpan, latest: RawSpan): RawSpan;
}

/** Lowercase hex of `length` digits, the same for the same parts in every process and every run. */
export function hashId(length: 16 | 32, ...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, length);
}

/** When the event happened, which for a model call or a tool use is when it ended (it is sent then). */
export function eventEnd(record: RawLogRecord): string {
  if (record.timeUnixNano !== '0') return record.timeUnixNano;
  const iso = Date.parse(asString(record.attributes['event.timestamp']) ?? '');
  if (Number.isFinite(iso) && iso > 0) return (BigInt(iso) * 1_000_000n).toString();
  return record.observedTimeUnixNano;
}

/** `durationMs` before `end` (an instant when it is not a positive number). */
export function startBefore(end: string, durationMs: JsonValue | undefined): string {
  const ms = asNumber(durationMs);
  if (ms === undefined || ms <= 0) return end;
  const start = BigInt(end) - BigInt(Math.round(ms * 1_000_000));
  return start > 0n ? start.toString() : '0';
}

/** Copies those of `keys` that `from` has. */
export function copyAttributes(from: Attributes, to: Attributes, keys: readonly string[]): void {
  for (const key of keys) if (from[key] !== undefined) to[key] = from[key];
}

/**
 * GenAI's attributes of a turn's root, which genai.ts reads: an agent invocation in a conversation, and
 * the user's prompt as its input when the agent sent its text (kept under `prompt`, which names the root).
 */
export function agentTurnAttributes(agent: string, conversationId: JsonValue | undefined, madeFrom: string, prompt?: string): Attributes {
  const attributes: Attributes = { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent, [MADE_FROM_EVENTS_ATTRIBUTE]: madeFrom };
  if (conversationId !== undefined) attributes['gen_ai.conversation.id'] = conversationId;
  if (prompt !== undefined) {
    attributes['prompt'] = prompt;
    attributes['gen_ai.input.messages'] = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: prompt }] }]);
  }
  return attributes;
}

export interface SpanFields {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  start: string;
  end: string;
  attributes: Attributes;
  status?: SpanStatus;
}

/** A span of `record`'s resource and scope. */
export function eventSpan(record: RawLogRecord, f: SpanFields): RawSpan {
  return {
    traceId: f.traceId,
    spanId: f.spanId,
    ...(f.parentSpanId ? { parentSpanId: f.parentSpanId } : {}),
    name: f.name,
    kind: 'INTERNAL',
    startTimeUnixNano: f.start,
    endTimeUnixNano: f.end,
    durationMs: durationMsFromDecimals(f.start, f.end),
    status: f.status ?? { code: 'UNSET' },
    attributes: f.attributes,
    events: [],
    links: [],
    resource: record.resource,
    scope: record.scope,
  };
}

/**
 * The root covering both versions' events. Attributes are merged (only a root made from the turn's
 * prompt event has the prompt), and the name follows them.
 */
export function widenRoot(stored: RawSpan, latest: RawSpan, nameOf: (attributes: Attributes) => string): RawSpan {
  // Times here are decimal strings without leading zeros (the decoders' and eventEnd's), which compareNano orders.
  const start = compareNano(stored.startTimeUnixNano, latest.startTimeUnixNano) <= 0 ? stored.startTimeUnixNano : latest.startTimeUnixNano;
  const end = compareNano(stored.endTimeUnixNano, latest.endTimeUnixNano) >= 0 ? stored.endTimeUnixNano : latest.endTimeUnixNano;
  const attributes = { ...stored.attributes, ...latest.attributes };
  return { ...stored, name: nameOf(attributes), startTimeUnixNano: start, endTimeUnixNano: end, durationMs: durationMsFromDecimals(start, end), attributes };
}

const ROOT_NAME_CHARS = 100;

/**
 * A turn's root is named by the first line of its prompt when the agent sent its text: the trace list
 * then shows what each trace was asked, not the same name on every row.
 */
export function promptName(prompt: string | undefined, fallback: string): string {
  const line = prompt?.trim().split('\n', 1)[0];
  if (!line) return fallback;
  return line.length > ROOT_NAME_CHARS ? `${line.slice(0, ROOT_NAME_CHARS - 1)}…` : line;
}

const MAX_ERROR_CHARS = 300;

export function copyString(from: Attributes, key: string, to: Attributes, as: string): void {
  const value = asString(from[key]);
  if (value !== undefined) to[as] = value;
}

/** A count, which agents may format as text (Codex's `%count`), as the number a GenAI attribute holds. */
export function copyNumber(from: Attributes, key: string, to: Attributes, as: string): void {
  const value = asNumber(from[key]);
  if (value !== undefined) to[as] = value;
}

/** An error's first line, cut to a length a status message can show. */
export function shortError(text: string): string {
  const line = text.trim().split('\n', 1)[0];
  return line.length > MAX_ERROR_CHARS ? `${line.slice(0, MAX_ERROR_CHARS - 1)}…` : line;
}
