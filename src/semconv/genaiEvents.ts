// GenAI message events, on the span (span events) or beside it (OTLP log records tied by span id):
// - per-message events `gen_ai.{system,user,assistant,tool}.message` and `gen_ai.choice`
//   (@opentelemetry/instrumentation-openai 0.21.0 chat completions emits these as log records, content in
//   the body; Azure SDKs put the body as JSON in the span-event attribute `gen_ai.event.content`);
// - `gen_ai.client.inference.operation.details` with structured `gen_ai.input.messages` /
//   `gen_ai.output.messages` attributes (the same package's Responses API path, one event per input
//   and per output item);
// - the oldest form, `gen_ai.content.prompt` / `gen_ai.content.completion` span events carrying
//   `gen_ai.prompt` / `gen_ai.completion` as JSON (semconv 1.26–1.27).
import { GENAI_EXCEPTION_EVENT, isExceptionEvent, type Attributes, type Convention, type JsonValue, type LlmEvaluation, type LlmMessage, type SpanEvent } from '../protocol/model';
import type { RawLogRecord } from '../otlp/types';
import { asNumber, asString, isObject, readJson, textOf, type JsonObject } from './attributeReaders';
import type { LlmCallFragment } from './callFragments';
import { geminiMessage } from './geminiContent';
import { joinMessages, textMessage } from './messageParts';
import { messageFromOpenAi, messagesFromOpenAi } from './openaiMessages';
import { normalizeProvider } from './providers';
import { readStructuredMessages, readSystemInstructions } from './structuredMessages';

const OPERATION_DETAILS = 'gen_ai.client.inference.operation.details';

/**
 * GenAI's evaluation event: an evaluator's verdict on a call's answer, parented to the evaluated span
 * (DSPy's, DeepEval's and Azure AI Evaluation's instrumentations emit it, often after the call: a log
 * record arriving late is stored with its span, see ingestPipeline.ts). The convention's words: it
 * "SHOULD be parented to GenAI operation span being evaluated when possible or set gen_ai.response.id
 * when span id is not available" (an evaluator run apart from the app): see evaluatedResponseId.
 */
const EVALUATION_RESULT = 'gen_ai.evaluation.result';
const RESPONSE_ID = 'gen_ai.response.id';

/** The id the provider gave a call's response (GenAI), by which an evaluation may name the call. */
export function responseIdOf(attributes: Attributes): string | undefined {
  const id = attributes[RESPONSE_ID];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The response an evaluation record names when it is tied to no span; undefined for any other record. */
export function evaluatedResponseId(record: RawLogRecord): string | undefined {
  if (record.spanId) return undefined;
  const name = record.eventName ?? asString(record.attributes['event.name']);
  return name === EVALUATION_RESULT ? responseIdOf(record.attributes) : undefined;
}

/**
 * The GenAI exception events recorded about a span as log records (GENAI_EXCEPTION_EVENT), as span events,
 * so that the views show the error and its stack trace leads to the code like any recorded exception.
 * One the span already holds (the same time, type and message) is left out: a span normalized again with
 * its records gets nothing twice.
 */
export function loggedExceptionEvents(spanId: string, events: readonly SpanEvent[], records: readonly RawLogRecord[]): SpanEvent[] {
  const held = new Set(events.filter(isExceptionEvent).map(exceptionKey));
  const logged: SpanEvent[] = [];
  for (const r of records) {
    if (r.spanId !== undefined && r.spanId !== spanId) continue;
    if ((r.eventName ?? asString(r.attributes['event.name'])) !== GENAI_EXCEPTION_EVENT) continue;
    const event: SpanEvent = { name: GENAI_EXCEPTION_EVENT, timeUnixNano: logTime(r), attributes: r.attributes };
    // The convention puts the message in an attribute; a logging bridge may leave it in the body.
    if (r.attributes['exception.message'] === undefined && typeof r.body === 'string' && r.body !== '') {
      event.attributes = { ...r.attributes, 'exception.message': r.body };
    }
    const key = exceptionKey(event);
    if (held.has(key)) continue;
    held.add(key);
    logged.push(event);
  }
  return logged;
}

function exceptionKey(event: SpanEvent): string {
  return JSON.stringify([event.timeUnixNano, event.attributes['exception.type'] ?? null, event.attributes['exception.message'] ?? null]);
}

/** A log record's time, or when the collector saw it for one sent without (allowed by the data model). */
function logTime(record: RawLogRecord): string {
  return record.timeUnixNano && record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
}

/** One event in a source-neutral form: span events and log records are read the same way. */
interface GenAiEvent {
  name: string;
  time: string;
  /** Position in the source, the tie-breaker for equal times (instrumentations stamp a whole prompt at once). */
  seq: number;
  body: JsonValue;
  attributes: Attributes;
}

/** Cheap pre-check for the dispatcher: does any event name look like a GenAI event? */
export function isGenAiEventName(name: string | undefined): boolean {
  return name !== undefined && name.startsWith('gen_ai.');
}

/** A log record that is a GenAI event (by the record's event name, else its `event.name` attribute). */
export function isGenAiLogRecord(record: RawLogRecord): boolean {
  return isGenAiEventName(record.eventName ?? asString(record.attributes['event.name']));
}

export function normalizeGenAiSpanEvents(events: readonly SpanEvent[]): LlmCallFragment | undefined {
  const list: GenAiEvent[] = [];
  events.forEach((e, seq) => {
    if (isGenAiEventName(e.name)) list.push({ name: e.name, time: e.timeUnixNano, seq, body: spanEventBody(e), attributes: e.attributes });
  });
  return list.length > 0 ? fragmentFromEvents(list, 'genai-events') : undefined;
}

export function normalizeGenAiLogRecords(spanId: string, records: readonly RawLogRecord[]): LlmCallFragment | undefined {
  const list: GenAiEvent[] = [];
  records.forEach((r, seq) => {
    if (r.spanId !== undefined && r.spanId !== spanId) return;
    const name = r.eventName ?? asString(r.attributes['event.name']);
    if (!name || !isGenAiEventName(name)) return;
    list.push({ name, time: logTime(r), seq, body: logBody(r.body), attributes: r.attributes });
  });
  return list.length > 0 ? fragmentFromEvents(list, 'genai-logs') : undefined;
}

/** Span events carry the body in attributes: JSON in `gen_ai.event.content`, else the attributes themselves. */
function spanEventBody(event: SpanEvent): JsonValue {
  const content = readJson(event.attributes['gen_ai.event.content']);
  if (content?.ok) return content.value;
  return event.attributes;
}

/** Log bodies are kvlists (decoded objects); some SDKs send a JSON string instead. */
function logBody(body: JsonValue): JsonValue {
  if (typeof body !== 'string') return body;
  const parsed = readJson(body);
  return parsed?.ok ? parsed.value : body;
}

function compareTime(a: string, b: string): number {
  // Decimal nanosecond strings: compare by length first, then lexically (no BigInt needed).
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function fragmentFromEvents(events: GenAiEvent[], convention: Convention): LlmCallFragment | undefined {
  events.sort((x, y) => compareTime(x.time, y.time) || x.seq - y.seq);
  const inputs: LlmMessage[] = [];
  const choices: { index: number; seq: number; message: LlmMessage }[] = [];
  const detailOutputs: LlmMessage[][] = [];
  const evaluations: LlmEvaluation[] = [];
  let provider: string | undefined;

  for (const event of events) {
    provider ??= asString(event.attributes['gen_ai.provider.name']) ?? asString(event.attributes['gen_ai.system']);
    const body = isObject(event.body) ? event.body : {};
    switch (event.name) {
      case 'gen_ai.system.message':
      case 'gen_ai.user.message':
      case 'gen_ai.assistant.message':
      case 'gen_ai.tool.message':
        inputs.push(messageFromEventBody(event.body, roleOfEventName(event.name)));
        break;
      case 'gen_ai.choice': {
        // The spec's body holds the `message`; Google's Gen AI SDK instrumentation writes the candidate's
        // `content`, and the Vertex AI one puts the calls beside the message (semconv 1.28's `tool_calls`).
        const answer = body.message === undefined && body.content !== undefined ? { content: body.content } : decoded(body.message);
        const message = messageFromEventBody(isObject(answer) && answer.tool_calls === undefined && body.tool_calls !== undefined ? { ...answer, tool_calls: body.tool_calls } : answer, 'assistant');
        const finishReason = asString(body.finish_reason);
        if (finishReason) message.finishReason = finishReason;
        choices.push({ index: asNumber(body.index) ?? choices.length, seq: choices.length, message });
        break;
      }
      case OPERATION_DETAILS: {
        const a = event.attributes;
        const instructions = readSystemInstructions(a['gen_ai.system_instructions']);
        if (instructions) inputs.push(instructions);
        inputs.push(...(readStructuredMessages(a['gen_ai.input.messages'], 'user') ?? []));
        const outputs = readStructuredMessages(a['gen_ai.output.messages'], 'assistant');
        if (outputs) detailOutputs.push(outputs);
        break;
      }
      case 'gen_ai.content.prompt':
        inputs.push(...legacyContentMessages(event.attributes['gen_ai.prompt'], 'user'));
        break;
      case 'gen_ai.content.completion':
        choices.push(...legacyContentMessages(event.attributes['gen_ai.completion'], 'assistant').map((message, i) => ({ index: i, seq: choices.length + i, message })));
        break;
      case EVALUATION_RESULT: {
        const evaluation = evaluationOf(event.attributes);
        if (evaluation) evaluations.push(evaluation);
        break;
      }
    }
  }

  choices.sort((x, y) => x.index - y.index || x.seq - y.seq);
  const outputs = choices.length > 0 ? choices.map((c) => c.message) : joinDetailOutputs(detailOutputs);
  if (inputs.length === 0 && outputs.length === 0 && evaluations.length === 0) return undefined;
  const fragment: LlmCallFragment = { convention, inputMessages: inputs, outputMessages: outputs };
  if (provider) fragment.provider = normalizeProvider(provider);
  if (evaluations.length > 0) fragment.evaluations = evaluations;
  return fragment;
}

/** An evaluation event's fields are attributes (see EVALUATION_RESULT). */
function evaluationOf(a: Attributes): LlmEvaluation | undefined {
  const name = asString(a['gen_ai.evaluation.name']);
  if (!name) return undefined;
  const evaluation: LlmEvaluation = { name };
  const score = asNumber(a['gen_ai.evaluation.score.value']);
  if (score !== undefined) evaluation.score = score;
  const label = asString(a['gen_ai.evaluation.score.label']);
  if (label) evaluation.label = label;
  const explanation = asString(a['gen_ai.evaluation.explanation']);
  if (explanation) evaluation.explanation = explanation;
  return evaluation;
}

function roleOfEventName(name: string): string {
  // gen_ai.<role>.message
  return name.slice('gen_ai.'.length, name.length - '.message'.length);
}

/**
 * Body `{content, role?, tool_calls?: [{id, type, function: {name, arguments}}], id?}`; `id` is the
 * answered tool call on `gen_ai.tool.message`. Span-event attributes may hold `tool_calls` as JSON text.
 */
function messageFromEventBody(body: JsonValue, role: string): LlmMessage {
  if (typeof body === 'string') return textMessage(role, body);
  // Strands Agents' `gen_ai.choice` message: the answer's content blocks, without a message around them.
  if (Array.isArray(body)) return messageFromOpenAi({ role, content: body }, role) ?? textMessage(role, '');
  if (!isObject(body)) return textMessage(role, '');
  const gemini = geminiContentMessage(body.content, role);
  if (gemini) return gemini;
  // Gemini's recorders keep its role name for the assistant.
  const recordedRole = asString(body.role);
  const message: JsonObject = { role: recordedRole === 'model' ? 'assistant' : (recordedRole ?? role), tool_calls: decoded(body.tool_calls) };
  const content = typeof body.content === 'string' ? (contentBlocksIn(body.content) ?? body.content) : body.content;
  if (content !== undefined && content !== null) {
    message.content = typeof content === 'string' || Array.isArray(content) ? content : textOf(content);
  }
  const toolCallId = body.tool_call_id ?? (role === 'tool' ? body.id : undefined);
  if (toolCallId !== undefined) message.tool_call_id = toolCallId;
  return messageFromOpenAi(message, role) ?? textMessage(role, '');
}

/**
 * A Gemini `Content` (`{role, parts: [{text}, {function_call}, …]}`, every field present, unset ones null) as
 * the body's content: Google's Gen AI SDK instrumentation logs the request's and each candidate's so.
 */
function geminiContentMessage(content: JsonValue | undefined, role: string): LlmMessage | undefined {
  if (!isObject(content) || !Array.isArray(content.parts)) return undefined;
  return geminiMessage(typeof content.role === 'string' ? content : { ...content, role: role === 'assistant' ? 'model' : role });
}

/**
 * Content recorded as the JSON text of its content blocks (Strands Agents writes Bedrock Converse
 * blocks, `[{"text": …}, {"toolUse": …}]`, into the span event's `content` attribute). Text that
 * merely looks like JSON stays text: every item must be an object naming a block kind.
 */
function contentBlocksIn(text: string): JsonValue[] | undefined {
  if (!text.startsWith('[{')) return undefined;
  const parsed = readJson(text);
  if (!parsed?.ok || !Array.isArray(parsed.value)) return undefined;
  return parsed.value.every(isContentBlock) ? parsed.value : undefined;
}

function isContentBlock(item: JsonValue): boolean {
  if (!isObject(item)) return false;
  for (const key in item) if (CONTENT_BLOCK_KEYS.has(key)) return true;
  return false;
}

/** The kinds of Bedrock Converse blocks, and `type`, which names the kind of every other API's blocks. */
const CONTENT_BLOCK_KEYS: ReadonlySet<string> = new Set([
  'type', 'text', 'toolUse', 'toolResult', 'image', 'document', 'video', 'reasoningContent', 'reasoning', 'guardContent', 'citationsContent', 'cachePoint',
]);

/** A value that span-event attributes may hold as JSON text. */
function decoded(value: JsonValue | undefined): JsonValue {
  const parsed = readJson(value);
  return parsed?.ok ? parsed.value : (value ?? null);
}

/** `gen_ai.prompt` / `gen_ai.completion` JSON of OpenAI-format messages; unreadable text is kept as one message. */
function legacyContentMessages(value: JsonValue | undefined, role: string): LlmMessage[] {
  const parsed = readJson(value);
  if (!parsed) return [];
  if (!parsed.ok) return [textMessage(role, parsed.raw)];
  if (typeof parsed.value === 'string') return [textMessage(role, parsed.value)];
  return Array.isArray(parsed.value) ? messagesFromOpenAi(parsed.value, role) : [];
}

/**
 * Streaming Responses calls emit one operation-details event per finished output item, each holding
 * one assistant message: those are parts of the same answer, so they are joined into one message.
 */
function joinDetailOutputs(batches: LlmMessage[][]): LlmMessage[] {
  if (batches.length <= 1) return batches[0] ?? [];
  const flat = batches.flat();
  return batches.every((b) => b.length === 1 && b[0].role === 'assistant') ? [joinMessages(flat)] : flat;
}
