// One trace in the index: its span refs and a summary maintained incrementally, so a 10k-span trace
// arriving one span at a time costs O(1) amortized per span instead of a full recount per batch.
//
// Counting rules (TraceSummary):
// - A "model call" is an llm span whose operation is chat, text_completion, embeddings, responses or
//   generate_content; a "usage call" is an llm span that reports input or output tokens: a model call,
//   or an agent run or workflow reporting the total of the calls below it.
// - Vercel AI (ai.generateText → ai.generateText.doGenerate) and Traceloop wrap each request in an outer
//   span that repeats the inner span's model and usage, and agent frameworks (Strands, the Claude Agent
//   SDK through Logfire) put a run's total on its agent span. So:
//   llmCallCount counts model calls with no model call below them;
//   tokens and cost are summed over model calls and usage calls with no usage call below them.
//   A multi-step outer span therefore contributes nothing and its steps are each counted once; an agent's
//   total counts only where its model calls report no usage of their own.
//   models lists what model calls answered with; an outer span's model (the one it asked for: an agent
//   run's `gpt-4o` above calls answered by `gpt-4o-2024-08-06`) only where no model call is below it.
// - Both "below" facts are kept as flags on each ref (hasModelDesc / hasUsageDesc). Flags only turn on
//   while spans arrive, and propagation stops at the first ancestor already flagged, which makes it
//   amortized O(1). A span that arrives after its children learns their flags from the list of children
//   that were waiting for it. The rare update that would turn a flag off (a span re-sent without its
//   usage, or with another parent) rebuilds the trace's aggregate once, O(spans).
import type { StatusCode, TraceSummary } from '../protocol/model';
import {
  compareNano,
  displayModel,
  isModelCall,
  isUsageCall,
  nanoDiffMs,
  placedStart,
  SEARCH_NAME_CHARS_PER_TRACE,
  type SpanMeta,
} from './spanMeta';
import { RootCandidates } from './rootCandidates';

/** The in-memory index entry of a span: its meta, where its record is, and the counting flags. */
export interface SpanRef extends Omit<SpanMeta, 'traceId'> {
  /** -1 until the record is on disk; `line` holds it meanwhile. */
  segment: number;
  offset: number;
  /** Bytes of the record line (counts toward the store's byte limit). */
  length: number;
  line?: Buffer;
  /** While this version is queued: the segment holding the version it replaced (see StoreWriter). */
  supersedes?: number;
  hasModelDesc: boolean;
  hasUsageDesc: boolean;
}

function earlier(a: SpanRef, b: SpanRef): boolean {
  const byStart = compareNano(a.start, b.start);
  return byStart < 0 || (byStart === 0 && a.seq < b.seq);
}

export class TraceAggregate {
  readonly spans = new Map<string, SpanRef>();
  /** Bytes of all span records, and of search text, for the store's budgets. */
  bytes = 0;
  textBytes = 0;
  pinned = false;
  removed = false;
  /** startKey as of the last change, kept by TraceIndex so sorting never re-parses strings. */
  orderKey = 0;

  // Root candidates: spans whose parent is absent (true roots, or orphans whose parent has not arrived).
  private readonly candidates = new RootCandidates<SpanRef>();
  private waiting: Map<string, SpanRef[]> | undefined;
  private minStart = '';
  private maxEnd = '';
  private timesStale = false;
  private errors = 0;
  private oks = 0;
  private llmCalls = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private cost = 0;
  private costCount = 0;
  /** Counted calls with tokens and no cost: their model is not in the price table. */
  private unpriced = 0;
  private models: Map<string, number> | undefined;
  private anyService: string | undefined;
  private cached: TraceSummary | undefined;
  private names: string | undefined;

  constructor(
    readonly traceId: string,
    /** Seq of the first span: breaks ties between traces that start at the same time. */
    readonly arrival: number,
  ) {}

  /** Earliest start, as a double: precise enough to order traces (ties fall back to arrival). */
  get startKey(): number {
    this.refreshTimes();
    return Number(this.minStart);
  }

  /** Adds a span, or replaces the version with the same id in place (callers keep their references). */
  put(incoming: SpanRef): void {
    this.cached = undefined;
    this.names = undefined;
    const existing = this.spans.get(incoming.spanId);
    if (!existing) {
      incoming.hasModelDesc = false;
      incoming.hasUsageDesc = false;
      this.spans.set(incoming.spanId, incoming);
      this.attach(incoming);
      return;
    }
    const needsRebuild =
      existing.parentSpanId !== incoming.parentSpanId ||
      (isModelCall(existing) && !isModelCall(incoming)) ||
      (isUsageCall(existing) && !isUsageCall(incoming));
    if (needsRebuild) {
      copyVersion(existing, incoming);
      this.rebuild();
      return;
    }
    this.count(existing, -1);
    const startChanged = existing.start !== incoming.start;
    const placedBefore = placedStart(existing.start, existing.end);
    const lostMin = placedBefore !== placedStart(incoming.start, incoming.end) && placedBefore === this.minStart;
    const lostMax = existing.end !== incoming.end && existing.end === this.maxEnd;
    copyVersion(existing, incoming);
    this.count(existing, +1);
    if (lostMin || lostMax) this.timesStale = true;
    else this.extendTimes(existing);
    if (startChanged) this.candidates.startChanged(existing);
    this.propagateUp(existing);
  }

  summary(): TraceSummary {
    if (this.cached) return this.cached;
    this.refreshTimes();
    const root = this.root();
    const summary: TraceSummary = {
      traceId: this.traceId,
      rootName: root?.name ?? '',
      serviceName: root?.service ?? this.anyService ?? '',
      startTimeUnixNano: this.minStart,
      durationMs: nanoDiffMs(this.minStart, this.maxEnd),
      spanCount: this.spans.size,
      llmCallCount: this.llmCalls,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      status: this.errors > 0 ? 'ERROR' : this.oks > 0 ? 'OK' : 'UNSET',
      models: this.models ? [...this.models.keys()] : [],
      pinned: this.pinned,
    };
    // Sums of floats drift after subtractions (re-sent spans); 12 significant digits hide the noise.
    if (this.costCount > 0) summary.costUsd = Number(this.cost.toPrecision(12));
    if (this.unpriced > 0) summary.unpricedCallCount = this.unpriced;
    this.cached = summary;
    return summary;
  }

  /** Distinct lowercase span names (capped), built on the first text query and kept until a change. */
  searchNames(): string {
    if (this.names === undefined) {
      let text = '';
      for (const name of new Set([...this.spans.values()].map((r) => r.name))) {
        if (text.length >= SEARCH_NAME_CHARS_PER_TRACE) break;
        text += name.toLowerCase() + '\n';
      }
      this.names = text.slice(0, SEARCH_NAME_CHARS_PER_TRACE);
    }
    return this.names;
  }

  /** Called when something outside the spans (the pin) changes what the summary shows. */
  invalidate(): void {
    this.cached = undefined;
  }

  get status(): StatusCode {
    return this.errors > 0 ? 'ERROR' : this.oks > 0 ? 'OK' : 'UNSET';
  }

  /** Parents before children, siblings by start time; spans whose parent is missing are roots. */
  inTreeOrder(): SpanRef[] {
    const children = new Map<string, SpanRef[]>();
    const roots: SpanRef[] = [];
    for (const ref of this.spans.values()) {
      const parent = ref.parentSpanId;
      if (parent === undefined || parent === ref.spanId || !this.spans.has(parent)) roots.push(ref);
      else {
        const list = children.get(parent);
        if (list) list.push(ref);
        else children.set(parent, [ref]);
      }
    }
    // A tie at the clock's resolution (whole milliseconds from the JavaScript SDK) goes to the span that
    // ended first, which began first: a quick tool before the model call that read its result. The
    // sidebar's tree orders rows the same way (webview/src/sidebar/treeState.ts).
    const bySiblingOrder = (a: SpanRef, b: SpanRef) => compareNano(a.start, b.start) || compareNano(a.end, b.end) || (a.spanId < b.spanId ? -1 : 1);
    const ordered: SpanRef[] = [];
    const visited = new Set<SpanRef>();
    const visit = (start: SpanRef) => {
      // Iterative DFS: instrumentations can nest thousands of spans deep (recursive agents).
      const stack = [start];
      while (stack.length > 0) {
        const ref = stack.pop() as SpanRef;
        if (visited.has(ref)) continue;
        visited.add(ref);
        ordered.push(ref);
        const kids = children.get(ref.spanId);
        if (kids) for (const kid of kids.sort(bySiblingOrder).reverse()) stack.push(kid);
      }
    };
    for (const root of roots.sort(bySiblingOrder)) visit(root);
    // A parent cycle (malformed data) is unreachable from any root: show those spans at the end.
    if (ordered.length < this.spans.size) {
      for (const ref of [...this.spans.values()].sort(bySiblingOrder)) if (!visited.has(ref)) visit(ref);
    }
    return ordered;
  }

  /** Recounts everything from the refs: after a change the incremental path cannot undo, O(spans). */
  rebuild(): void {
    const refs = [...this.spans.values()];
    this.spans.clear();
    this.candidates.clear();
    this.waiting = undefined;
    this.minStart = this.maxEnd = '';
    this.timesStale = false;
    this.errors = this.oks = this.llmCalls = this.inputTokens = this.outputTokens = this.cost = this.costCount = this.unpriced = 0;
    this.models = undefined;
    this.anyService = undefined;
    this.bytes = this.textBytes = 0;
    this.cached = this.names = undefined;
    for (const ref of refs) {
      ref.hasModelDesc = ref.hasUsageDesc = false;
      this.spans.set(ref.spanId, ref);
      this.attach(ref);
    }
  }

  private attach(ref: SpanRef): void {
    this.count(ref, +1);
    this.extendTimes(ref);
    const waitingChildren = this.waiting?.get(ref.spanId);
    if (waitingChildren) {
      this.waiting?.delete(ref.spanId);
      for (const child of waitingChildren) {
        this.candidates.delete(child);
        this.raiseFlags(ref, isModelCall(child) || child.hasModelDesc, isUsageCall(child) || child.hasUsageDesc);
      }
    }
    const parentId = ref.parentSpanId;
    if (parentId === undefined || parentId === ref.spanId || !this.spans.has(parentId)) {
      this.candidates.add(ref);
      if (parentId !== undefined && parentId !== ref.spanId) {
        this.waiting ??= new Map();
        const list = this.waiting.get(parentId);
        if (list) list.push(ref);
        else this.waiting.set(parentId, [ref]);
      }
    }
    this.propagateUp(ref);
  }

  /** Tells ancestors that a model/usage call is below them; stops at the first one that knew. */
  private propagateUp(ref: SpanRef): void {
    let model = isModelCall(ref) || ref.hasModelDesc;
    let usage = isUsageCall(ref) || ref.hasUsageDesc;
    let current = this.parentOf(ref);
    while (current && ((model && !current.hasModelDesc) || (usage && !current.hasUsageDesc))) {
      this.raiseFlags(current, model, usage);
      model = isModelCall(current) || current.hasModelDesc;
      usage = isUsageCall(current) || current.hasUsageDesc;
      current = this.parentOf(current);
    }
  }

  private raiseFlags(ref: SpanRef, model: boolean, usage: boolean): void {
    if ((!model || ref.hasModelDesc) && (!usage || ref.hasUsageDesc)) return;
    this.countCall(ref, -1);
    if (model) ref.hasModelDesc = true;
    if (usage) ref.hasUsageDesc = true;
    this.countCall(ref, +1);
  }

  private parentOf(ref: SpanRef): SpanRef | undefined {
    const parentId = ref.parentSpanId;
    return parentId === undefined || parentId === ref.spanId ? undefined : this.spans.get(parentId);
  }

  private count(ref: SpanRef, sign: 1 | -1): void {
    this.bytes += sign * ref.length;
    this.textBytes += sign * ref.text.length;
    if (ref.status === 'ERROR') this.errors += sign;
    else if (ref.status === 'OK') this.oks += sign;
    if (sign > 0 && ref.service !== undefined) this.anyService ??= ref.service;
    this.countCall(ref, sign);
  }

  private countCall(ref: SpanRef, sign: 1 | -1): void {
    const llm = ref.llm;
    if (!llm) return;
    // A model call's model, and an agent's or workflow's where no model call below says what answered.
    if (llm.modelCall || !ref.hasModelDesc) this.countModel(displayModel(ref), sign);
    if (llm.modelCall && !ref.hasModelDesc) this.llmCalls += sign;
    if (ref.hasUsageDesc || !(llm.modelCall || isUsageCall(ref))) return;
    this.inputTokens += sign * (llm.inputTokens ?? 0);
    this.outputTokens += sign * (llm.outputTokens ?? 0);
    if (llm.costUsd !== undefined) {
      this.cost += sign * llm.costUsd;
      this.costCount += sign;
    } else if (llm.inputTokens !== undefined || llm.outputTokens !== undefined) this.unpriced += sign;
  }

  private countModel(model: string | undefined, sign: 1 | -1): void {
    if (model === undefined) return;
    // AG2 names the models of a whole conversation in one attribute, comma-joined ("gpt-4o-mini,
    // claude-3-5-haiku"): each is a model of the trace, listed and filtered by on its own.
    if (model.includes(', ')) {
      for (const one of model.split(', ')) this.countModel(one, sign);
      return;
    }
    this.models ??= new Map();
    const n = (this.models.get(model) ?? 0) + sign;
    if (n > 0) this.models.set(model, n);
    else this.models.delete(model);
  }

  private extendTimes(ref: SpanRef): void {
    if (this.timesStale) return;
    // A span without a start (1970) would make the trace start then and last 56 years: it counts from its end.
    const start = placedStart(ref.start, ref.end);
    if (this.minStart === '' || compareNano(start, this.minStart) < 0) this.minStart = start;
    if (this.maxEnd === '' || compareNano(ref.end, this.maxEnd) > 0) this.maxEnd = ref.end;
  }

  private refreshTimes(): void {
    if (!this.timesStale) return;
    this.timesStale = false;
    this.minStart = this.maxEnd = '';
    for (const ref of this.spans.values()) this.extendTimes(ref);
  }

  private root(): SpanRef | undefined {
    const earliest = this.candidates.earliest();
    if (earliest) return earliest;
    // Only a parent cycle leaves no candidate: fall back to the earliest span.
    let first: SpanRef | undefined;
    for (const ref of this.spans.values()) if (!first || earlier(ref, first)) first = ref;
    return first;
  }
}

/** Moves a new version's data into the ref the aggregate already holds (its counting flags stay). */
function copyVersion(target: SpanRef, source: SpanRef): void {
  target.seq = source.seq;
  target.name = source.name;
  target.start = source.start;
  target.end = source.end;
  target.status = source.status;
  target.service = source.service;
  target.llm = source.llm;
  target.text = source.text;
  target.shape = source.shape;
  target.parentSpanId = source.parentSpanId;
  target.segment = source.segment;
  target.offset = source.offset;
  target.length = source.length;
  target.line = source.line;
  target.supersedes = source.supersedes;
}
