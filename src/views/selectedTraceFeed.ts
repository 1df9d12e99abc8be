// The host half of the span tree: the rows of the selected trace once, then only the rows of spans that
// arrive or change. Offsets stay relative to the start time first sent, so rows already in the webview
// never need rewriting when an earlier span (often the root, which ends last) arrives later.
import type { TraceChange, TraceDetail, TraceSummary } from '../protocol/model';
import type { SidebarInbound, SpanRow } from '../protocol/messages';
import { buildSpanRows, packSpanRows, parseNano, spanRowFrom, spanRowFromIndex } from './spanRows';
import type { TraceAccess } from './traceAccess';

/** Beyond this many changed spans in one batch, re-reading the whole trace is cheaper than span by span. */
const DELTA_LIMIT = 1000;
/**
 * A big trace goes out as its first rows, then the rest: rows are in tree order, so the first few hundred
 * fill the screen and paint while the remaining thousands are still crossing to the webview.
 */
const FIRST_CHUNK = 400;

export class SelectedTraceFeed {
  private traceId: string | undefined;
  private base = '0';
  private baseNano = parseNano('0');
  /** Bumped on every selection: work started for an older selection posts nothing. */
  private generation = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly access: TraceAccess,
    private readonly post: (message: SidebarInbound) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  get selected(): string | undefined {
    return this.traceId;
  }

  /** Selects a trace (undefined: none) and sends its rows. Resolves false when it does not exist. */
  select(traceId: string | undefined): Promise<boolean> {
    this.traceId = traceId;
    const generation = ++this.generation;
    if (!traceId) return Promise.resolve(true);
    return this.enqueue(() => this.sendAll(traceId, generation, true));
  }

  onChange(change: TraceChange): void {
    const traceId = this.traceId;
    if (!traceId) return;
    if (change.removed.includes(traceId) && !change.spanIds[traceId]) {
      this.traceId = undefined;
      this.generation++;
      return; // the list's `tracesChanged.removed` tells the webview
    }
    const spanIds = change.spanIds[traceId];
    if (!spanIds || spanIds.length === 0) return;
    const generation = this.generation;
    this.enqueue(() =>
      spanIds.length > DELTA_LIMIT ? this.sendAll(traceId, generation, false) : this.sendDelta(traceId, spanIds, generation),
    ).catch(() => undefined);
  }

  /** The source changed (another window's store, or this one's appeared): send everything again. */
  reload(): void {
    if (this.traceId) void this.enqueue(() => this.sendAll(this.traceId as string, this.generation, false));
  }

  private async sendAll(traceId: string, generation: number, rebase: boolean): Promise<boolean> {
    if (generation !== this.generation) return true;
    const source = this.access.current();
    // The store's index has everything a row needs: no record is read or decoded.
    const indexed = source?.getTraceIndex?.(traceId);
    if (indexed) {
      if (rebase) {
        this.base = indexed.summary.startTimeUnixNano;
        this.baseNano = parseNano(this.base);
      }
      const rows = indexed.spans.map((span) => spanRowFromIndex(span, this.baseNano));
      this.postRows(traceId, indexed.summary, rows);
      return true;
    }
    return this.readAll(traceId, generation, rebase);
  }

  /** Rows as a first screenful, then the rest: the first paints while the thousands cross to the webview. */
  private postRows(traceId: string, summary: TraceSummary, rows: SpanRow[]): void {
    const split = rows.length > FIRST_CHUNK * 2 ? FIRST_CHUNK : rows.length;
    const startTimeUnixNano = this.base;
    this.post({ type: 'traceRows', traceId, summary, rows: packSpanRows(rows.slice(0, split)), startTimeUnixNano });
    if (split < rows.length) this.post({ type: 'traceRowsDelta', traceId, summary, rows: packSpanRows(rows.slice(split)), startTimeUnixNano });
  }

  /** From the spans themselves (a source without an index, or spans indexed before shapes existed). */
  private async readAll(traceId: string, generation: number, rebase: boolean): Promise<boolean> {
    // The first screenful is posted as soon as it is read (a source that reads in parts calls
    // `deliver` before reading the rest), or else before the rest is even turned into rows.
    let sent = 0;
    const sendFirst = (head: TraceDetail): void => {
      if (generation !== this.generation) return;
      if (rebase) {
        this.base = head.summary.startTimeUnixNano;
        this.baseNano = parseNano(this.base);
      }
      sent = head.spans.length;
      this.post({ type: 'traceRows', traceId, summary: head.summary, rows: packSpanRows(buildSpanRows(head.spans, this.base)), startTimeUnixNano: this.base });
    };
    const detail = await this.access.current()?.getTrace(traceId, { spans: FIRST_CHUNK, deliver: sendFirst });
    if (generation !== this.generation) return true;
    if (!detail) return false;
    const { summary, spans } = detail;
    if (sent === 0) {
      const split = spans.length > FIRST_CHUNK * 2 ? FIRST_CHUNK : spans.length;
      sendFirst({ summary, spans: spans.slice(0, split) });
    }
    if (sent < spans.length) {
      this.post({ type: 'traceRowsDelta', traceId, summary, rows: packSpanRows(buildSpanRows(spans.slice(sent), this.base)), startTimeUnixNano: this.base });
    }
    return true;
  }

  private async sendDelta(traceId: string, spanIds: readonly string[], generation: number): Promise<boolean> {
    const source = this.access.current();
    if (!source) return false;
    // From the index when every changed span is in it with its shape: no record read.
    const indexed = source.getSpanIndex ? spanIds.map((id) => source.getSpanIndex?.(traceId, id)) : [];
    if (indexed.length > 0 && indexed.every((span) => span !== undefined)) {
      const summary = await source.getSummary(traceId);
      if (generation !== this.generation || !summary) return true;
      const rows = indexed.map((span) => spanRowFromIndex(span, this.baseNano));
      this.post({ type: 'traceRowsDelta', traceId, summary, rows: packSpanRows(rows), startTimeUnixNano: this.base });
      return true;
    }
    const [summary, spans] = await Promise.all([
      source.getSummary(traceId),
      Promise.all(spanIds.map((id) => source.getSpan(traceId, id))),
    ]);
    if (generation !== this.generation || !summary) return true;
    const rows: SpanRow[] = [];
    for (const span of spans) if (span) rows.push(spanRowFrom(span, this.baseNano));
    this.post({ type: 'traceRowsDelta', traceId, summary, rows: packSpanRows(rows), startTimeUnixNano: this.base });
    return true;
  }

  private enqueue(work: () => Promise<boolean>): Promise<boolean> {
    const next = this.chain.then(work).catch((err: Error) => {
      this.onError(err);
      return false;
    });
    this.chain = next.then(() => undefined);
    return next;
  }
}
