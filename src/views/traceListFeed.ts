// The host half of the sidebar's trace list: answers page queries, and turns store changes into the
// smallest message that keeps the webview right — deltas when no filter is active, a throttled re-query
// when one is (only the store can tell whether a new trace matches a text filter).
import { CoalescedTimer } from '../base/coalescedTimer';
import type { TraceChange, TraceQuery, TraceSummary } from '../protocol/model';
import type { SidebarInbound } from '../protocol/messages';
import type { TraceAccess } from './traceAccess';

/** First page of the list; later pages are asked for as the user scrolls. */
export const FIRST_PAGE = 500;
/** The store answers at most this many per query. */
const MAX_PAGE = 1000;
/** With a filter active, new traces show up at most this late (and cost one query per interval). */
const REQUERY_MS = 300;

export function filtersOf(query: TraceQuery): TraceQuery {
  const filters: TraceQuery = {};
  if (query.q?.trim()) filters.q = query.q.trim();
  if (query.service) filters.service = query.service;
  if (query.model) filters.model = query.model;
  if (query.status) filters.status = query.status;
  return filters;
}

export function hasFilters(query: TraceQuery): boolean {
  return Object.keys(filtersOf(query)).length > 0;
}

/** The delta message for a store change, or undefined when it has nothing for the list. */
export function listDelta(change: TraceChange, filtered: boolean, total: number): SidebarInbound | undefined {
  const upserted: TraceSummary[] = filtered ? change.updated : [...change.added, ...change.updated];
  if (upserted.length === 0 && change.removed.length === 0) return undefined;
  return filtered
    ? { type: 'tracesChanged', mode: 'patch', upserted, removed: change.removed }
    : { type: 'tracesChanged', mode: 'insert', upserted, removed: change.removed, total };
}

export class TraceListFeed {
  private filters: TraceQuery = {};
  /** How many rows the webview holds, so a refresh re-sends as many (up to one store page). */
  private loaded = FIRST_PAGE;
  private readonly requery = new CoalescedTimer(REQUERY_MS, () => void this.refresh());
  /** Posts leave in the order their work started: a delta must not overtake the page it follows. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly access: TraceAccess,
    private readonly post: (message: SidebarInbound) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  get query(): TraceQuery {
    return this.filters;
  }

  /**
   * The webview (re)loaded: posts `compose(first page)` (the init message) through the same queue as the
   * deltas, and remembers the filters for the live updates.
   */
  init(query: TraceQuery, compose: (page: { traces: TraceSummary[]; total: number; query: TraceQuery }) => SidebarInbound): Promise<void> {
    this.filters = filtersOf(query);
    this.loaded = FIRST_PAGE;
    return this.enqueue(async () => {
      const q = { ...this.filters, offset: 0, limit: FIRST_PAGE };
      const list = (await this.access.current()?.listTraces(q)) ?? { traces: [], total: 0 };
      this.post(compose({ ...list, query: q }));
    });
  }

  /** A `query` message: offset 0 replaces the list (new filters), a larger offset appends a page. */
  answer(query: TraceQuery): Promise<void> {
    return this.enqueue(() => this.sendPage(query));
  }

  private async sendPage(query: TraceQuery): Promise<void> {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(query.limit ?? FIRST_PAGE)));
    if (offset === 0) this.filters = filtersOf(query);
    const q = { ...filtersOf(query), offset, limit };
    const list = (await this.access.current()?.listTraces(q)) ?? { traces: [], total: 0 };
    this.loaded = offset === 0 ? list.traces.length : Math.max(this.loaded, offset + list.traces.length);
    this.post({ type: 'traces', traces: list.traces, total: list.total, query: q });
  }

  /** Re-sends the list as the webview holds it now (refresh button, source swap, filter active). */
  async refresh(): Promise<void> {
    await this.answer({ ...this.filters, offset: 0, limit: Math.min(MAX_PAGE, Math.max(FIRST_PAGE, this.loaded)) });
  }

  onChange(change: TraceChange): void {
    const filtered = hasFilters(this.filters);
    void this.enqueue(async () => {
      // The unfiltered total is one cheap call (limit 1: the JSON API of another window refuses 0).
      const total = filtered ? 0 : ((await this.access.current()?.listTraces({ limit: 1 }))?.total ?? 0);
      const delta = listDelta(change, filtered, total);
      if (delta) this.post(delta);
    });
    if (filtered && (change.added.length > 0 || change.updated.length > 0)) this.requery.schedule();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work).catch((err: Error) => this.onError(err));
    this.chain = next;
    return next;
  }

  dispose(): void {
    this.requery.dispose();
  }
}
