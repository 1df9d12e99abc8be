// Codex, OpenAI's coding agent (CLI and IDE), pointed at Spanlight through its `[otel]` config
// (`exporter = { otlp-http = … }` or `otlp-grpc`). It sends what it does as log records (codex-rs/otel):
// `codex.user_prompt`, `codex.api_request` / `codex.websocket_request` (a model request went out),
// `codex.sse_event` (`event.kind = response.completed` carries the token counts), `codex.tool_decision`,
// `codex.tool_result`; each with `conversation.id`, `model` and `event.timestamp`.
//
// Nothing in an event names its turn: a turn is a conversation's events from one user prompt to the
// next, and a model call runs from its request to the completed response after it. So, unlike Claude
// Code's, these events are read in order with a little memory per conversation: the turn in progress
// and the request waiting for its answer (bounded; after a restart the rest of a turn is a trace of its
// own). The spans carry GenAI attributes (`invoke_agent`, `chat`, `execute_tool`, `gen_ai.usage.*`), so
// the GenAI convention module reads them, beside Codex's own.
import type { RawLogRecord, RawSpan } from '../otlp/types';
import { MADE_FROM_EVENTS_ATTRIBUTE, type Attributes, type SpanStatus } from '../protocol/model';
import { asBoolean, asNumber, asString } from '../semconv/attributeReaders';
import { compareNano } from '../store/spanMeta';
import { agentTurnAttributes, copyAttributes, copyNumber, copyString, eventEnd, eventSpan, hashId, promptName, shortError, startBefore, widenRoot, type AgentEvents, type PromptSpans } from './eventSpans';

const PREFIX = 'codex.';
const CODEX_EVENTS = 'codex events';
/** What Codex writes in place of the prompt unless told to log it (`log_user_prompt = true`). */
const REDACTED = '[REDACTED]';
const MAX_CONVERSATIONS = 1000;

interface Turn {
  traceId: string;
  rootSpanId: string;
}

interface Conversation {
  turn?: Turn;
  /** When the model request now waiting for its completed response went out. */
  requestStart?: string;
}

export class CodexEvents implements AgentEvents {
  private readonly conversations = new Map<string, Conversation>();

  accepts(record: RawLogRecord): boolean {
    return !record.spanId && eventName(record) !== undefined && asString(record.attributes['conversation.id']) !== undefined;
  }

  spansOf(records: readonly RawLogRecord[]): PromptSpans[] {
    const turns = new Map<string, PromptSpans>();
    // An export holds a conversation's events in the order they happened; sorted anyway, as the rules below depend on it.
    const ordered = records.map((record) => ({ record, end: eventEnd(record) })).sort((a, b) => compareNano(a.end, b.end));
    for (const { record, end } of ordered) {
      const name = eventName(record);
      const id = asString(record.attributes['conversation.id']);
      if (!name || !id || record.spanId) continue;
      const conversation = this.conversation(id);
      if (name === 'user_prompt' || !conversation.turn) {
        // A turn whose prompt came before a restart, or was never sent, starts at its first event.
        const from = name === 'user_prompt' ? 'prompt' : 'continued';
        const traceId = hashId(32, 'codex', id, from, end);
        conversation.turn = { traceId, rootSpanId: hashId(16, 'codex', traceId, 'root') };
        conversation.requestStart = undefined;
      }
      const turn = conversation.turn;
      const root = rootSpan(record, name, turn, end);
      let group = turns.get(turn.traceId);
      if (!group) turns.set(turn.traceId, (group = { root, children: [] }));
      else group.root = this.mergeRoot(group.root, root);
      const child = this.childSpan(name, record, conversation, turn, end);
      if (child) {
        group.children.push(child);
        group.root = this.mergeRoot(group.root, { ...root, startTimeUnixNano: child.startTimeUnixNano, endTimeUnixNano: child.endTimeUnixNano });
      }
    }
    return [...turns.values()];
  }

  mergeRoot(stored: RawSpan, latest: RawSpan): RawSpan {
    return widenRoot(stored, latest, rootName);
  }

  private conversation(id: string): Conversation {
    let conversation = this.conversations.get(id);
    if (conversation) this.conversations.delete(id);
    else conversation = {};
    // Re-inserted: the Map's order is then least recently used first, which is what is evicted.
    this.conversations.set(id, conversation);
    if (this.conversations.size > MAX_CONVERSATIONS) this.conversations.delete(this.conversations.keys().next().value as string);
    return conversation;
  }

  private childSpan(name: string, record: RawLogRecord, conversation: Conversation, turn: Turn, end: string): RawSpan | undefined {
    const a = record.attributes;
    const model = asString(a['model']);
    const child = (kind: string, spanName: string, start: string, attributes: Attributes, status?: SpanStatus): RawSpan =>
      eventSpan(record, {
        traceId: turn.traceId,
        spanId: hashId(16, 'codex', turn.traceId, kind, record.timeUnixNano, end, asString(a['call_id']) ?? ''),
        parentSpanId: turn.rootSpanId,
        name: spanName,
        start,
        end,
        attributes: { ...a, ...attributes, [MADE_FROM_EVENTS_ATTRIBUTE]: CODEX_EVENTS },
        status,
      });
    const modelCall = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', ...(model ? { 'gen_ai.request.model': model } : {}) };
    switch (name) {
      case 'api_request':
      case 'websocket_request': {
        if (!isModelEndpoint(a['endpoint'])) return undefined;
        const start = startBefore(end, a['duration_ms']);
        const httpStatus = asNumber(a['http.response.status_code']);
        const error = asString(a['error.message']);
        if (error === undefined && (httpStatus === undefined || httpStatus < 400) && asBoolean(a['success']) !== false) {
          conversation.requestStart = start;
          return undefined;
        }
        // A request that failed is a model call that never answered.
        return child(name, `chat ${model ?? 'model'}`, start, modelCall, { code: 'ERROR', message: shortError(error ?? `HTTP ${httpStatus ?? 'error'}`) });
      }
      case 'sse_event': {
        if (asString(a['event.kind']) !== 'response.completed') return undefined;
        const start = conversation.requestStart ?? end;
        conversation.requestStart = undefined;
        const error = asString(a['error.message']);
        const usage: Attributes = {};
        copyNumber(a, 'input_token_count', usage, 'gen_ai.usage.input_tokens');
        copyNumber(a, 'output_token_count', usage, 'gen_ai.usage.output_tokens');
        copyNumber(a, 'cached_token_count', usage, 'gen_ai.usage.cache_read.input_tokens');
        copyNumber(a, 'reasoning_token_count', usage, 'gen_ai.usage.reasoning.output_tokens');
        return child(name, `chat ${model ?? 'model'}`, start, { ...modelCall, ...usage }, error ? { code: 'ERROR', message: shortError(error) } : undefined);
      }
      case 'tool_result': {
        const tool = asString(a['tool_name']) ?? 'tool';
        const failed = asBoolean(a['success']) === false;
        const attributes: Attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool };
        copyString(a, 'call_id', attributes, 'gen_ai.tool.call.id');
        copyString(a, 'arguments', attributes, 'gen_ai.tool.call.arguments');
        copyString(a, 'output', attributes, 'gen_ai.tool.call.result');
        const status: SpanStatus | undefined = failed ? { code: 'ERROR', message: shortError(asString(a['output']) ?? 'tool failed') } : undefined;
        return child(name, `execute_tool ${tool}`, startBefore(end, a['duration_ms']), attributes, status);
      }
      case 'tool_decision': {
        // An approved tool use is followed by its tool_result; only a refused one would otherwise leave no trace.
        const decision = asString(a['decision']);
        if (decision !== 'denied' && decision !== 'abort') return undefined;
        const tool = asString(a['tool_name']) ?? 'tool';
        const attributes: Attributes = { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool };
        copyString(a, 'call_id', attributes, 'gen_ai.tool.call.id');
        return child(name, `execute_tool ${tool}`, end, attributes);
      }
      default:
        return undefined;
    }
  }
}

const KINDS: ReadonlySet<string> = new Set(['user_prompt', 'api_request', 'websocket_request', 'sse_event', 'tool_result', 'tool_decision']);

/**
 * The event's name without `codex.`, for the kinds that make or shape a span. Codex's name is the
 * `event.name` attribute, read first: its log bridge may fill the record's own event name with the
 * code location of the log call.
 */
function eventName(record: RawLogRecord): string | undefined {
  const full = asString(record.attributes['event.name']) ?? record.eventName;
  if (!full?.startsWith(PREFIX)) return undefined;
  const name = full.slice(PREFIX.length);
  return KINDS.has(name) ? name : undefined;
}

function rootSpan(record: RawLogRecord, name: string, turn: Turn, end: string): RawSpan {
  const a = record.attributes;
  const prompt = name === 'user_prompt' ? asString(a['prompt']) : undefined;
  const attributes = agentTurnAttributes('Codex', a['conversation.id'], CODEX_EVENTS, prompt === REDACTED ? undefined : prompt);
  copyAttributes(a, attributes, ['conversation.id', 'model', 'app.version', 'terminal.type']);
  if (name === 'user_prompt') copyAttributes(a, attributes, ['prompt_length']);
  return eventSpan(record, { traceId: turn.traceId, spanId: turn.rootSpanId, name: rootName(attributes), start: end, end, attributes });
}

/**
 * Whether a request event is a model request: Codex logs its other API calls the same way. Its model
 * endpoints are the Responses API, or Chat Completions for other providers; `unknown` when it could not
 * tell, which it does for model requests.
 */
function isModelEndpoint(endpoint: Attributes[string] | undefined): boolean {
  const path = asString(endpoint);
  return path === undefined || path === 'unknown' || /responses|chat|completions|messages/.test(path);
}

function rootName(attributes: Attributes): string {
  return promptName(asString(attributes['prompt']), 'invoke_agent Codex');
}
