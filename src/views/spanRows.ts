// Span → SpanRow: the few numbers and labels one line of the span tree needs. Built on the host so a
// 10k-span trace crosses postMessage as small rows, never as full spans with their prompts.
import { shownName, type LlmOperation, type Span } from '../protocol/model';
import { displayModel, hasDbSystem, nanoDiffMs, placedStart, shapeOf, type IndexedSpanInfo } from '../store/spanMeta';
import type { PackedLlm, PackedSpanRows, SpanKindIcon, SpanRow } from '../protocol/messages';

const ICON_BY_OPERATION: Readonly<Record<LlmOperation, SpanKindIcon>> = {
  chat: 'llm',
  text_completion: 'llm',
  responses: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
  tool: 'tool',
  retrieval: 'retrieval',
  rerank: 'retrieval',
  agent: 'agent',
  workflow: 'agent',
  other: 'other',
};

// Word-level LLM vocabulary; checked last, after the cheaper substring tests below.
const LLM_NAME = /\b(chat|completions?|llm|generate\w*|responses?)\b|dogenerate|dostream|streamtext/;

/**
 * The icon a span name suggests, for spans no convention recognised. Substring tests on the lowercased
 * name, in order: embedding before LLM ("embeddings text-embedding-3-small" is not a chat call because
 * of "text"), tool and retrieval before agent. Cheap on purpose: it runs for every span of a trace.
 */
export function kindIconFromName(name: string): SpanKindIcon {
  const n = name.toLowerCase();
  if (n.includes('embed')) return 'embedding';
  if (n.includes('tool') || n.includes('function_call') || n.includes('function call')) return 'tool';
  if (n.includes('retriev') || n.includes('vector') || n.includes('search') || n.includes('rerank') || (n.includes('query') && /\bquery\b/.test(n))) {
    return 'retrieval';
  }
  if (n.includes('agent') || n.includes('workflow') || n.includes('chain') || n.includes('graph')) return 'agent';
  return LLM_NAME.test(n) ? 'llm' : 'other';
}

/** The icon of a span: from the normalized operation when there is one, else from attributes and name. */
export function kindIconFor(span: Pick<Span, 'name' | 'displayName' | 'attributes' | 'llm'>): SpanKindIcon {
  return kindIconOf(shownName(span), span.llm?.operation, hasDbSystem(span.attributes));
}

/** kindIconFor from its inputs (the index keeps them: see SpanShape). */
export function kindIconOf(name: string, op: LlmOperation | undefined, db: boolean): SpanKindIcon {
  if (op && op !== 'other') return ICON_BY_OPERATION[op];
  // A database or vector-store client span (db.system) is a retrieval step in an LLM app.
  if (db) return 'retrieval';
  const fromName = kindIconFromName(name);
  return fromName === 'other' && op ? ICON_BY_OPERATION[op] : fromName;
}

/** The start of a trace, parsed once per trace: BigInt for any difference, and its string for the fast path. */
export interface NanoBase {
  value: bigint;
  text: string;
  /** `text` without its last EXACT_DIGITS digits, and those digits as a number. */
  high: string;
  low: number;
}

/** Digits that fit a double exactly (< 2^53): 10^15 ns is 11.5 days, far more than any trace spans. */
const EXACT_DIGITS = 15;

/**
 * ms from the trace start. Nanoseconds since 1970 overflow a double's exact range, their difference
 * does not: when both strings share everything but their last 15 digits, those digits subtract exactly
 * as numbers (no BigInt per span); otherwise BigInt does it.
 */
export function offsetMs(startTimeUnixNano: string, base: NanoBase): number {
  const s = startTimeUnixNano;
  if (s.length === base.text.length && s.length > EXACT_DIGITS && s.startsWith(base.high)) {
    const diff = Number(s.slice(-EXACT_DIGITS)) - base.low;
    if (Number.isFinite(diff)) return diff / 1e6;
  }
  try {
    return Number(BigInt(s) - base.value) / 1e6;
  } catch {
    return 0; // Not a decimal string: the decoder already reported it; place the span at the start.
  }
}

export function parseNano(value: string): NanoBase {
  let parsed: bigint;
  try {
    parsed = BigInt(value);
  } catch {
    return { value: 0n, text: '0', high: '', low: 0 };
  }
  const high = value.length > EXACT_DIGITS ? value.slice(0, -EXACT_DIGITS) : '';
  return { value: parsed, text: value, high, low: Number(value.slice(-EXACT_DIGITS)) };
}

export function spanRowFrom(span: Span, base: NanoBase): SpanRow {
  const llm = span.llm;
  const shape = shapeOf(span);
  const name = shownName(span);
  const row: SpanRow = {
    spanId: span.spanId,
    name,
    startOffsetMs: offsetMs(placedStart(span.startTimeUnixNano, span.endTimeUnixNano), base),
    durationMs: Number.isFinite(span.durationMs) ? Math.max(0, span.durationMs) : 0,
    status: span.status.code,
    // The index knows a span by its shown name (spanMeta.ts): the icon follows the same name both ways.
    kindIcon: kindIconOf(name, shape.operation, shape.db),
    hasSource: shape.source,
    error: span.status.code === 'ERROR' || shape.exception,
  };
  if (span.parentSpanId) row.parentSpanId = span.parentSpanId;
  if (llm) {
    row.operation = llm.operation;
    const model = llm.responseModel ?? llm.requestModel;
    if (model) row.model = model;
    if (llm.usage.inputTokens !== undefined) row.inputTokens = llm.usage.inputTokens;
    if (llm.usage.outputTokens !== undefined) row.outputTokens = llm.usage.outputTokens;
    if (llm.costUsd !== undefined) row.costUsd = llm.costUsd;
  }
  return row;
}

/** spanRowFrom for a span as the index knows it (TraceStore.getTraceIndex): the same row, no record read. */
export function spanRowFromIndex(span: IndexedSpanInfo, base: NanoBase): SpanRow {
  const { llm, shape } = span;
  const row: SpanRow = {
    spanId: span.spanId,
    name: span.name,
    startOffsetMs: offsetMs(placedStart(span.start, span.end), base),
    durationMs: nanoDiffMs(span.start, span.end),
    status: span.status,
    kindIcon: kindIconOf(span.name, shape.operation, shape.db),
    hasSource: shape.source,
    error: span.status === 'ERROR' || shape.exception,
  };
  if (span.parentSpanId) row.parentSpanId = span.parentSpanId;
  if (llm) {
    if (shape.operation) row.operation = shape.operation;
    const model = displayModel(span);
    if (model) row.model = model;
    if (llm.inputTokens !== undefined) row.inputTokens = llm.inputTokens;
    if (llm.outputTokens !== undefined) row.outputTokens = llm.outputTokens;
    if (llm.costUsd !== undefined) row.costUsd = llm.costUsd;
  }
  return row;
}

/** Rows of a whole trace, offsets relative to `baseTimeUnixNano` (normally the trace start). */
export function buildSpanRows(spans: readonly Span[], baseTimeUnixNano: string): SpanRow[] {
  const base = parseNano(baseTimeUnixNano);
  return spans.map((span) => spanRowFrom(span, base));
}

/** Rows → the columnar form they cross postMessage in (see PackedSpanRows). One tight pass: 10k rows. */
export function packSpanRows(rows: readonly SpanRow[]): PackedSpanRows {
  const n = rows.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(rows[i].spanId, i);
  const table = new Map<string, number>();
  const strings: string[] = [];
  const str = (value: string): number => {
    let i = table.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      table.set(value, i);
    }
    return i;
  };
  const packed: PackedSpanRows = {
    spanIds: new Array<string>(n),
    parents: new Array<number>(n),
    parentIds: {},
    strings,
    names: new Array<number>(n),
    kinds: new Array<number>(n),
    statuses: new Array<number>(n),
    starts: new Array<number>(n),
    durations: new Array<number>(n),
    flags: new Array<number>(n),
    llm: {},
  };
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    packed.spanIds[i] = row.spanId;
    const parent = row.parentSpanId === undefined ? -1 : (index.get(row.parentSpanId) ?? -2);
    packed.parents[i] = parent;
    if (parent === -2) packed.parentIds[i] = row.parentSpanId as string;
    packed.names[i] = str(row.name);
    packed.kinds[i] = str(row.kindIcon);
    packed.statuses[i] = str(row.status);
    packed.starts[i] = Math.round(row.startOffsetMs * 1000) / 1000;
    packed.durations[i] = Math.round(row.durationMs * 1000) / 1000;
    packed.flags[i] = (row.error ? 1 : 0) | (row.hasSource ? 2 : 0);
    if (row.operation !== undefined || row.model !== undefined || row.inputTokens !== undefined || row.outputTokens !== undefined || row.costUsd !== undefined) {
      const llm: PackedLlm = {};
      if (row.operation !== undefined) llm.operation = row.operation;
      if (row.model !== undefined) llm.model = str(row.model);
      if (row.inputTokens !== undefined) llm.inputTokens = row.inputTokens;
      if (row.outputTokens !== undefined) llm.outputTokens = row.outputTokens;
      if (row.costUsd !== undefined) llm.costUsd = row.costUsd;
      packed.llm[i] = llm;
    }
  }
  return packed;
}
