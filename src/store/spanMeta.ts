// What the store keeps in memory (and in the per-segment index files) for each span: the few fields
// summaries, queries and tree order need — never the messages themselves, which stay on disk.
import { isExceptionEvent, isModelCallOperation, type LlmMessage, type LlmOperation, type Span, type StatusCode } from '../protocol/model';

/**
 * Search text budget. Per message we keep 200 characters (its start, and its end when it is longer: a
 * RAG prompt asks its question after the context), per span at most 1,024 (a long input's latest user
 * turn, start and end, and the answer's start), per trace at most 16 KiB of UTF-8 (later spans get what
 * is left); span names are searched too (distinct names, 4 KiB per trace). An agent's trace of ten model
 * calls and their tools fits, its final answer included (4 KiB ran out after about six spans). The text
 * is bytes outside the JS heap: about 1 KB per model call, nothing for most other spans.
 */
export const SEARCH_CHARS_PER_MESSAGE = 200;
export const SEARCH_CHARS_PER_SPAN = 1024;
export const SEARCH_BYTES_PER_TRACE = 16 * 1024;
export const SEARCH_NAME_CHARS_PER_TRACE = 4096;

/**
 * The search text of a span without any. Search text is kept as UTF-8 bytes, outside the JS heap: it is
 * half of what the index of an LLM span would otherwise hold there, and every byte of it was copied by
 * the young-generation GC (twice) before it settled. One prompt character outside Latin-1 also made a
 * string take two bytes per character. Bytes are searched as they are (TraceIndex: lowercase text and a
 * lowercase needle, both UTF-8, match where the strings would).
 */
export const NO_TEXT: Buffer = Buffer.alloc(0);

export interface LlmMeta {
  modelCall: boolean;
  requestModel?: string;
  responseModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

/**
 * What a row of the span tree needs beyond the meta (its icon, source link and error marker), so a
 * trace's tree can be built from the index alone, without reading a record (TraceStore.getTraceIndex).
 */
export interface SpanShape {
  operation?: LlmOperation;
  /** A `db.system` / `db.system.name` attribute: a database or vector-store step. */
  db: boolean;
  /** The span has a source location. */
  source: boolean;
  /** It has an `exception` event. */
  exception: boolean;
}

/** One stored version of a span, reduced to what the index needs. `seq` orders versions and deletions. */
export interface SpanMeta {
  seq: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** Decimal nanosecond strings without leading zeros, so they compare by (length, text). */
  start: string;
  end: string;
  status: StatusCode;
  service?: string;
  llm?: LlmMeta;
  /**
   * Lowercase search snippet of llm spans, UTF-8 (NO_TEXT otherwise): models, tool name, the start of
   * messages. Possibly a view into a buffer shared with the other spans of its batch: never written to.
   */
  text: Buffer;
  /** Absent in index entries written before it existed: their trees are built from the records. */
  shape?: SpanShape;
}

/** A `db.system` / `db.system.name` attribute: the span is a database or vector-store step. */
export function hasDbSystem(attributes: Span['attributes'] | undefined): boolean {
  return attributes?.['db.system'] !== undefined || attributes?.['db.system.name'] !== undefined;
}

/** The shape of a span, as the index keeps it and as a row of the span tree shows it (spanRows.ts). */
export function shapeOf(span: Span): SpanShape {
  return {
    operation: span.llm?.operation,
    db: hasDbSystem(span.attributes),
    source: span.source !== undefined,
    exception: Array.isArray(span.events) && span.events.some((e) => e?.name !== undefined && isExceptionEvent(e)),
  };
}

/**
 * Shapes are few (an operation and three flags) and nobody changes one: the index's spans with the same
 * shape share one frozen object instead of holding one each (a hundred thousand in a full index).
 */
const sharedShapes = new Map<string | undefined, SpanShape[]>();

export function sharedShape(shape: SpanShape): SpanShape {
  // Per operation, the eight combinations of the flags (no key string to build for every span).
  const flags = (shape.db ? 1 : 0) | (shape.source ? 2 : 0) | (shape.exception ? 4 : 0);
  let byFlags = sharedShapes.get(shape.operation);
  if (!byFlags) {
    byFlags = [];
    // Operations come from a fixed list; the bound only guards against a bug elsewhere.
    if (sharedShapes.size < 128) sharedShapes.set(shape.operation, byFlags);
  }
  let shared = byFlags[flags];
  if (!shared) {
    shared = Object.freeze({ operation: shape.operation, db: shape.db, source: shape.source, exception: shape.exception });
    byFlags[flags] = shared;
  }
  return shared;
}

/**
 * Tool, agent and retrieval spans have an llm meta with nothing in it but `modelCall: false`: a third
 * of the spans of an agent app. They share one frozen object, as shapes do.
 */
const EMPTY_LLM: Readonly<Record<'true' | 'false', LlmMeta>> = {
  true: Object.freeze({ modelCall: true, requestModel: undefined, responseModel: undefined, inputTokens: undefined, outputTokens: undefined, costUsd: undefined }),
  false: Object.freeze({ modelCall: false, requestModel: undefined, responseModel: undefined, inputTokens: undefined, outputTokens: undefined, costUsd: undefined }),
};

/** `llm`, or the shared object equal to it when it holds no model, tokens or cost. Never written to. */
export function sharedIfEmpty(llm: LlmMeta): LlmMeta {
  const empty =
    llm.requestModel === undefined && llm.responseModel === undefined && llm.inputTokens === undefined && llm.outputTokens === undefined && llm.costUsd === undefined;
  return empty ? EMPTY_LLM[llm.modelCall ? 'true' : 'false'] : llm;
}

/** A span as the index knows it, with its shape: enough for a row of the span tree. */
export type IndexedSpanInfo = Readonly<Pick<SpanMeta, 'spanId' | 'parentSpanId' | 'name' | 'start' | 'end' | 'status' | 'llm'>> & {
  readonly shape: SpanShape;
};

export function isModelCall(meta: Pick<SpanMeta, 'llm'>): boolean {
  return meta.llm?.modelCall === true;
}

/**
 * A span that reports token usage: the unit of token/cost accounting (see traceAggregate.ts). Mostly a
 * model call; also an agent run or workflow that reports the usage of the calls below it, which counts
 * where those calls report none (Logfire's Claude Agent SDK integration puts a run's usage on its
 * `invoke_agent` span only).
 */
export function isUsageCall(meta: Pick<SpanMeta, 'llm'>): boolean {
  const llm = meta.llm;
  return llm !== undefined && (llm.inputTokens !== undefined || llm.outputTokens !== undefined);
}

/** The model a summary shows for a span: what answered, else what was asked for. */
export function displayModel(meta: Pick<SpanMeta, 'llm'>): string | undefined {
  return meta.llm?.responseModel ?? meta.llm?.requestModel;
}

// Service and model names repeat on every span; sharing one string instance saves memory at 100k spans.
const interned = new Map<string, string>();
export function intern(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < 10_000) interned.set(value, value);
  return value;
}

/** Accepts any decimal string; anything else (missing, negative, garbage) becomes '0'. */
export function normalizeNano(value: string | undefined): string {
  if (value === undefined || value === '') return '0';
  // A loop, not a regular expression: two of these per span at ingest, where the decoders' times are
  // already canonical (the common case returns the string itself).
  let firstNonZero = -1;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return '0';
    if (firstNonZero < 0 && c !== 0x30) firstNonZero = i;
  }
  return firstNonZero < 0 ? '0' : firstNonZero === 0 ? value : value.slice(firstNonZero);
}

/** A time an exporter left unset: a span's start or end that is not a time at all (1970). */
export const UNSET_TIME = '0';

/** Where a span sits in time: its start, or its end when it has no start (it took no known time). */
export function placedStart(start: string, end: string): string {
  return start === UNSET_TIME ? end : start;
}

/** Exact comparison of normalized nanosecond strings (doubles lose precision past 2^53 ns). */
export function compareNano(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function nanoDiffMs(from: string, to: string): number {
  // An unset time ('0'): no known duration, as both decoders read a span's own (durationMsFromParts).
  if (from === UNSET_TIME || to === UNSET_TIME) return 0;
  const diff = BigInt(to) - BigInt(from);
  return diff > 0n ? Number(diff) / 1e6 : 0;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A message's start, and its end when it is longer than the budget: `start … end`. */
function startAndEnd(text: string): string {
  if (text.length <= SEARCH_CHARS_PER_MESSAGE) return text;
  const half = SEARCH_CHARS_PER_MESSAGE / 2;
  return `${text.slice(0, half)} … ${text.slice(-half)}`;
}

function messageText(message: LlmMessage): string {
  if (typeof message.content === 'string' && !message.toolCalls?.length) return startAndEnd(message.content);
  // (No `add` closure: the bundle's keepNames turns every closure creation into a defineProperty call.)
  const pieces: string[] = [];
  if (typeof message.content === 'string') pieces.push(message.content);
  else {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') pieces.push(part.text);
      else if (part.type === 'tool_call') pieces.push(`${part.name} ${part.arguments}`);
      else if (part.type === 'tool_result') pieces.push(part.result);
    }
  }
  for (const call of message.toolCalls ?? []) pieces.push(`${call.name} ${call.arguments}`);
  // Each piece cut first: a message can be megabytes (base64 images, long documents).
  return startAndEnd(pieces.map(startAndEnd).join(' '));
}

/**
 * The span's search snippet (its name is searched separately, see TraceAggregate.searchNames). Order
 * matters because of the caps: its session and user ids, models and tool first, then the latest user
 * turn and the answer (what people search for), then the rest of the input (system prompt last).
 */
export function searchTextOf(span: Span, extraTexts: readonly string[] = []): string {
  // Pieces are added until the cap is reached, and not made at all after that: most of an LLM span's
  // messages never fit.
  // First, being short: the filter finds a conversation's turns, or a user's, by their id.
  let text = sessionSearchText(span.session);
  const llm = span.llm;
  if (llm) {
    const { requestModel, responseModel } = llm;
    const tool = llm.tool?.name;
    if (requestModel) text = withPiece(text, requestModel);
    if (responseModel && responseModel !== requestModel) text = withPiece(text, responseModel);
    if (tool && tool !== requestModel && tool !== responseModel) text = withPiece(text, tool);
    // A tool span's call and what it returned (a city, an order number, an error).
    if (llm.tool?.arguments) text = withPiece(text, startAndEnd(llm.tool.arguments));
    if (llm.tool?.result) text = withPiece(text, startAndEnd(llm.tool.result));
    const inputs = llm.inputMessages;
    let lastUser = inputs.length - 1;
    while (lastUser >= 0 && inputs[lastUser].role !== 'user') lastUser--;
    if (lastUser >= 0) text = withPiece(text, messageText(inputs[lastUser]));
    for (const message of llm.outputMessages) {
      if (text.length >= SEARCH_CHARS_PER_SPAN) break;
      text = withPiece(text, messageText(message));
    }
    if (llm.input) text = withPiece(text, llm.input.slice(0, SEARCH_CHARS_PER_MESSAGE));
    if (llm.output) text = withPiece(text, llm.output.slice(0, SEARCH_CHARS_PER_MESSAGE));
    // The rest of the input, latest first.
    for (let i = inputs.length - 1; i >= 0 && text.length < SEARCH_CHARS_PER_SPAN; i--) {
      if (i !== lastUser) text = withPiece(text, messageText(inputs[i]));
    }
  }
  // Text of attributes the index saw only in part (long strings of OTLP protobuf spans, see splitTraces.ts).
  for (const extra of extraTexts) {
    if (text.length >= SEARCH_CHARS_PER_SPAN) break;
    text = withPiece(text, extra);
  }
  return text.slice(0, SEARCH_CHARS_PER_SPAN).toLowerCase();
}

/** How a span's search text starts: its session and user ids (lowercased when the text is). */
export function sessionSearchText(session: Span['session']): string {
  let text = '';
  if (session?.id) text = withPiece(text, session.id);
  if (session?.user) text = withPiece(text, session.user);
  return text;
}

/**
 * Whether a stored search text starts with `leading` (a span's sessionSearchText), or is a cut of it:
 * the trace's text budget left the span less than its ids. (Left nothing, it is taken for a text from
 * before the ids led, which a span other than a model call did not have: such a span is stored again
 * once, to no avail.)
 */
export function searchTextLeads(stored: Buffer, leading: string): boolean {
  if (leading === '') return true;
  const wanted = Buffer.from(leading.toLowerCase(), 'utf8');
  if (stored.length >= wanted.length) return stored.subarray(0, wanted.length).equals(wanted);
  return stored.length > 0 && wanted.subarray(0, stored.length).equals(stored);
}

/** `text` with `piece` on a line of its own, unless it is already at the cap. */
function withPiece(text: string, piece: string): string {
  if (text.length >= SEARCH_CHARS_PER_SPAN) return text;
  return text ? `${text}\n${piece}` : piece;
}

/**
 * Search text as the index keeps it: its own UTF-8 copy (a string `slice` would be a view that could
 * keep a multi-megabyte message alive for as long as the span is indexed).
 */
export function searchTextBytes(text: string): Buffer {
  return text === '' ? NO_TEXT : Buffer.from(text, 'utf8');
}

/** At most `budget` bytes of `text`, cut where a UTF-8 character starts (a cut character could never match). */
export function cutText(text: Buffer, budget: number): Buffer {
  if (text.length <= budget) return text;
  let end = Math.max(0, budget);
  while (end > 0 && (text[end] & 0xc0) === 0x80) end--;
  return end === 0 ? NO_TEXT : text.subarray(0, end);
}

/** A span's meta before the store gives it a seq; `text` is capped per span (the store caps it per trace). */
export type IndexFields = Omit<SpanMeta, 'seq'>;

/** What the index needs of a span, computable away from the store (the ingest worker, see spanIndexer.ts). */
export function indexFieldsOf(span: Span, extraTexts?: readonly string[]): IndexFields {
  const llm = span.llm;
  const service = span.resource?.['service.name'];
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || undefined,
    // The shown name (a display name where the recorder keeps one): the tree, the trace list and search use it.
    name: span.displayName ?? (typeof span.name === 'string' ? span.name : ''),
    start: normalizeNano(span.startTimeUnixNano),
    end: normalizeNano(span.endTimeUnixNano),
    status: span.status?.code === 'ERROR' || span.status?.code === 'OK' ? span.status.code : 'UNSET',
    service: typeof service === 'string' && service !== '' ? intern(service) : undefined,
    llm: llm
      ? sharedIfEmpty({
          modelCall: isModelCallOperation(llm.operation),
          requestModel: intern(llm.requestModel || undefined),
          responseModel: intern(llm.responseModel || undefined),
          inputTokens: finiteNumber(llm.usage?.inputTokens),
          outputTokens: finiteNumber(llm.usage?.outputTokens),
          costUsd: finiteNumber(llm.costUsd),
        })
      : undefined,
    text: searchTextBytes(searchTextOf(span, extraTexts)),
    shape: shapeOf(span),
  };
}

/**
 * The meta of a stored version. The text is cut to what the trace's budget has left: search text is
 * built in priority order, so its first `budget` bytes are what a smaller cap would have built.
 */
export function metaFromFields(fields: IndexFields, seq: number, textBudget: number): SpanMeta {
  const text = cutText(fields.text, textBudget);
  // Field by field, not a spread: the fields come from a worker (structured clone) and one object
  // shape for every meta keeps the index code monomorphic. Names are interned again: a clone made
  // fresh copies of the worker's shared strings.
  const { traceId, spanId, parentSpanId, name, start, end, status, llm, shape } = fields;
  const service = intern(fields.service);
  // (A shared empty meta has no models, and is never written to.)
  if (llm && (llm.requestModel !== undefined || llm.responseModel !== undefined)) {
    llm.requestModel = intern(llm.requestModel);
    llm.responseModel = intern(llm.responseModel);
  }
  return { seq, traceId, spanId, parentSpanId, name, start, end, status, service, llm, text, shape };
}

/** The meta of a span; its search text is at most SEARCH_CHARS_PER_SPAN characters and `textBudget` bytes. */
export function metaFromSpan(span: Span, seq: number, textBudget: number, extraTexts?: readonly string[]): SpanMeta {
  return metaFromFields(indexFieldsOf(span, extraTexts), seq, textBudget);
}
