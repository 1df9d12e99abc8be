// The data contract shared by the store, the JSON API, the views and the tests (DESIGN.md "Data contract").
// Everything here is plain JSON: it crosses the webview boundary and the HTTP API unchanged.

/** A JSON value as stored in attributes (OTLP AnyValue flattened). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Attributes = Record<string, JsonValue>;

export type SpanKind = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER' | 'UNSPECIFIED';
export type StatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface SpanStatus {
  code: StatusCode;
  message?: string;
}

export interface SpanEvent {
  name: string;
  /** Decimal string: nanoseconds do not fit a double. */
  timeUnixNano: string;
  attributes: Attributes;
}

/**
 * GenAI's exception event (semantic-conventions-genai, gen-ai-exceptions.md): a failed model call, with the
 * `exception.*` attributes of OTel's own `exception` event. Recorders send it as a log record (LiteLLM since
 * 1.93, Microsoft.Extensions.AI), which normalization adds to its span's events, or add it to the span.
 */
export const GENAI_EXCEPTION_EVENT = 'gen_ai.client.operation.exception';

/** A span event that records an exception (type, message, stack trace): OTel's `exception` or GenAI's. */
export function isExceptionEvent(event: Pick<SpanEvent, 'name'>): boolean {
  return event.name === 'exception' || event.name === GENAI_EXCEPTION_EVENT;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface Scope {
  name: string;
  version?: string;
}

/** Which instrumentation convention(s) an `llm` view was read from. */
export type Convention =
  | 'genai'
  | 'genai-events'
  | 'genai-logs'
  | 'openinference'
  | 'traceloop'
  | 'vercel-ai'
  | 'logfire'
  | 'langchain'
  | 'langfuse'
  | 'claude-code'
  | 'google-adk'
  | 'gemini-cli'
  | 'mlflow'
  | 'strands'
  | 'mastra'
  | 'pydantic-ai'
  | 'haystack'
  | 'genkit';

export type LlmOperation =
  | 'chat'
  | 'text_completion'
  | 'embeddings'
  | 'responses'
  | 'generate_content'
  | 'tool'
  | 'agent'
  | 'retrieval'
  | 'rerank'
  | 'workflow'
  | 'other';

/** Operations that are an actual request to a model (tool, agent, workflow… spans are not): they are counted as calls and priced. */
const MODEL_CALL_OPERATIONS: ReadonlySet<LlmOperation> = new Set<LlmOperation>(['chat', 'text_completion', 'embeddings', 'responses', 'generate_content']);

export function isModelCallOperation(operation: LlmOperation): boolean {
  return MODEL_CALL_OPERATIONS.has(operation);
}

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool' | 'developer' | string;

/** A typed part of a message; unknown part types are kept as `other` with their raw value. */
/** Appended to inline media data cut short (MessagePart.data); the number is the original length in characters. */
export const TRUNCATION_MARKER_PREFIX = '…[truncated, original length ';

export type MessagePart =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'tool_call'; id?: string; name: string; arguments: string }
  | { type: 'tool_result'; id?: string; result: string }
  | {
      type: 'image' | 'audio' | 'video' | 'file';
      mimeType?: string;
      uri?: string;
      /** base64 or a data URI; cut when too long to show, ending then in TRUNCATION_MARKER_PREFIX + its length + `]` */
      data?: string;
      name?: string;
    }
  | { type: 'other'; value: JsonValue };

export interface ToolCall {
  id?: string;
  name: string;
  /** The arguments exactly as the model produced them (usually a JSON string). */
  arguments: string;
}

export interface LlmMessage {
  role: MessageRole;
  /** Plain text when the message is text only; typed parts otherwise (multimodal, reasoning…). */
  content: string | MessagePart[];
  toolCalls?: ToolCall[];
  /** For role `tool`: the call this message answers. */
  toolCallId?: string;
  name?: string;
  /** Output messages only. */
  finishReason?: string;
}

export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: JsonValue;
}

export interface LlmParams {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  max_tokens?: number;
  stop?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  n?: number;
  stream?: boolean;
  tools?: ToolDefinition[];
  tool_choice?: JsonValue;
  response_format?: JsonValue;
  /** Anything else the instrumentation recorded as a request parameter. */
  [key: string]: JsonValue | ToolDefinition[] | undefined;
}

export interface LlmUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cachedInputTokens?: number;
  cacheCreationInputTokens?: number;
  reasoningTokens?: number;
}

export interface LlmCall {
  operation: LlmOperation;
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  params: LlmParams;
  inputMessages: LlmMessage[];
  outputMessages: LlmMessage[];
  finishReasons: string[];
  usage: LlmUsage;
  /**
   * From the price table (with the user's overrides); when it has no price for the model, the cost the
   * recorder reported (`reportedCostUsd`). Absent when neither is known (never a misleading zero).
   */
  costUsd?: number;
  /** The call's cost as the agent or SDK that recorded it computed it (Claude Code's `cost_usd`, Langfuse's `cost_details`, OpenLIT's `gen_ai.usage.cost`). */
  reportedCostUsd?: number;
  /**
   * A streamed call: milliseconds from the request to the first chunk of its answer, as its recorder
   * measured it (an attribute, or a span event stamped when the chunk arrived). The span's duration is
   * when the stream ended.
   */
  timeToFirstTokenMs?: number;
  serverAddress?: string;
  serverPort?: number;
  /** Tool execution spans: the tool and its input/output. */
  tool?: { name: string; callId?: string; arguments?: string; result?: string };
  /** Generic input/output when no messages exist (chains, agents, retrievers). */
  input?: string;
  output?: string;
  /** What evaluators made of the call (GenAI's `gen_ai.evaluation.result` events and log records), in the order they came. */
  evaluations?: LlmEvaluation[];
  convention: Convention[];
}

/** One evaluation of a call's answer: the evaluator's metric, its score and label, and why. */
export interface LlmEvaluation {
  name: string;
  score?: number;
  label?: string;
  explanation?: string;
}

/**
 * On a span Spanlight made of an agent's events (agents that send log records without span context:
 * Claude Code, Codex), which agent's events: e.g. `claude_code events`. Such spans have derived ids.
 */
export const MADE_FROM_EVENTS_ATTRIBUTE = 'spanlight.made_from';

export type SourceOrigin = 'attribute' | 'stacktrace' | 'search' | 'symbol';

export interface SourceLocation {
  /** As received until mapped to the workspace (a later layer does that). */
  path: string;
  line: number;
  column?: number;
  function?: string;
  origin: SourceOrigin;
  /** 0..1: attributes are exact (1), stack frames likely (0.8), text search a guess. */
  confidence: number;
}

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  status: SpanStatus;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  resource: Attributes;
  scope: Scope;
  llm?: LlmCall;
  source?: SourceLocation;
  /**
   * What the views call the span, where its recorder keeps a better label than its name in an attribute
   * (Haystack's component name, Logfire's formatted message: semconv/displayName.ts). Derived, like `llm`.
   */
  displayName?: string;
  /** The conversation and the end user it was part of, where its recorder says (semconv/session.ts). Derived, like `llm`. */
  session?: SpanSession;
}

/** A span's session (conversation) id and end user id; at least one is set. */
export interface SpanSession {
  id?: string;
  user?: string;
}

/** The name the views show for a span: its display name, else its name. */
export function shownName(span: Pick<Span, 'name' | 'displayName'>): string {
  return span.displayName ?? span.name;
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  serviceName: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanCount: number;
  llmCallCount: number;
  inputTokens: number;
  outputTokens: number;
  /** Sum over calls with a known price; absent when no call had one. */
  costUsd?: number;
  /**
   * Model calls counted in the tokens that have no price (a model the price table does not know):
   * `costUsd` leaves them out. Absent when there are none.
   */
  unpricedCallCount?: number;
  status: StatusCode;
  models: string[];
  pinned?: boolean;
}

export interface TraceDetail {
  summary: TraceSummary;
  /** Tree order: parents before children, siblings by start time. */
  spans: Span[];
}

export interface HealthInfo {
  ok: boolean;
  version: string;
  spans: number;
  traces: number;
  /**
   * Where big OTLP protobuf exports are indexed: on a worker thread, inline (no worker thread could
   * run), or 'idle' before the first big export. Absent from stores read without a receiver.
   */
  indexer?: 'worker' | 'inline' | 'idle';
  /** Forwarding to an upstream OTLP endpoint, when it is set up (spanlight.forward.endpoint, --forward). */
  forward?: ForwardStatus;
}

/** How forwarding received exports to an upstream OTLP/HTTP endpoint goes (src/forward/). */
export interface ForwardStatus {
  /** The upstream's base URL. */
  endpoint: string;
  /**
   * 'ok': the last export was delivered, or none was sent yet; 'retrying': the upstream cannot be
   * reached or is busy, exports wait and are retried; 'rejected': it refused the last export (not retried).
   */
  state: 'ok' | 'retrying' | 'rejected';
  /** Exports delivered, refused by the upstream, and dropped because too many were waiting. */
  sent: number;
  rejected: number;
  dropped: number;
  /** Exports waiting or on their way. */
  queued: number;
  /** Why the last export was not delivered (status and message, or the network error); never headers. */
  lastError?: string;
}

/** Filters of `GET /api/traces` and of the sidebar's trace list. */
export interface TraceQuery {
  limit?: number;
  offset?: number;
  /** Case-insensitive text over span names and message content. */
  q?: string;
  service?: string;
  model?: string;
  status?: StatusCode;
}

export interface TraceList {
  traces: TraceSummary[];
  total: number;
}

/**
 * One span found by `GET /api/search` (the search of all stored text, beyond what the trace list's
 * filter indexes): where in it the text is, and the words around it.
 */
export interface TextSearchMatch {
  traceId: string;
  spanId: string;
  /** The span's shown name (its display name, else its name). */
  spanName: string;
  /** Its trace's root span name, as the trace list shows it. */
  traceName: string;
  startTimeUnixNano: string;
  /** What holds the text, for people: "user message", "answer", an attribute's key, "event exception"… */
  where: string;
  /** The text around the first occurrence, on one line, with "…" where it was cut. */
  snippet: string;
}

export interface TextSearchResult {
  /** Newest trace first; a trace's spans in their stored order. */
  matches: TextSearchMatch[];
  /** Spans read, out of the spans stored when the search started. */
  scannedSpans: number;
  totalSpans: number;
  /** Why it stopped before reading every span: `limit` matches were found, or it was cancelled. */
  stopped?: 'limit' | 'cancelled';
}

/** What the store tells its subscribers after each batch of writes. */
export interface TraceChange {
  /** Traces seen for the first time in this batch. */
  added: TraceSummary[];
  /** Traces that already existed and got new or changed spans (or a pin). */
  updated: TraceSummary[];
  /** Deleted by the user or by retention. */
  removed: string[];
  /** Span ids written in this batch, per trace, so views can fetch just the delta. */
  spanIds: Record<string, string[]>;
}
