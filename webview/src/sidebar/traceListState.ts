// The trace list as normalized state: summaries by id plus the newest-first order of the loaded ones.
// Pages and live deltas patch it; the view only repaints the rows on screen. Pure: no DOM.
import type { TraceQuery, TraceSummary } from '../../../src/protocol/model';

/** Decimal nanosecond strings without leading zeros compare by length, then lexically. */
export function compareNano(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Above this many upserts in one batch, one sort beats binary insertion into a long array. */
const BULK_THRESHOLD = 64;

export interface ListDelta {
  mode: 'insert' | 'patch';
  upserted: TraceSummary[];
  removed: string[];
  total?: number;
}

export class TraceListState {
  private readonly byId = new Map<string, TraceSummary>();
  private order: string[] = [];
  /** Matching traces in the store (the loaded ones are a prefix of them, newest first). */
  total = 0;
  /** Filters the loaded list answers (no offset/limit). */
  query: TraceQuery = {};
  /** Bumped on every change: the view repaints visible rows when it moves. */
  version = 0;
  private readonly services = new Set<string>();
  private readonly models = new Set<string>();

  get size(): number {
    return this.order.length;
  }

  at(index: number): TraceSummary | undefined {
    const id = this.order[index];
    return id === undefined ? undefined : this.byId.get(id);
  }

  get(traceId: string): TraceSummary | undefined {
    return this.byId.get(traceId);
  }

  indexOf(traceId: string | undefined): number {
    return traceId === undefined || !this.byId.has(traceId) ? -1 : this.order.indexOf(traceId);
  }

  ids(): readonly string[] {
    return this.order;
  }

  hasMore(): boolean {
    return this.order.length < this.total;
  }

  /** Every service and model seen so far, sorted (the filter drop-downs). */
  serviceOptions(): string[] {
    return [...this.services].sort();
  }

  modelOptions(): string[] {
    return [...this.models].sort();
  }

  /** A first page: replaces everything. */
  replace(traces: readonly TraceSummary[], total: number, query: TraceQuery): void {
    this.byId.clear();
    this.order = [];
    this.query = query;
    for (const t of traces) {
      if (this.byId.has(t.traceId)) continue;
      this.byId.set(t.traceId, t);
      this.order.push(t.traceId);
      this.learn(t);
    }
    this.total = Math.max(total, this.order.length);
    this.version++;
  }

  /** A later page (offset = what we hold). Traces a live delta already placed are not repeated. */
  appendPage(traces: readonly TraceSummary[], total: number): void {
    for (const t of traces) {
      if (this.byId.has(t.traceId)) {
        this.byId.set(t.traceId, t);
        continue;
      }
      this.byId.set(t.traceId, t);
      this.order.push(t.traceId);
      this.learn(t);
    }
    this.total = Math.max(total, this.order.length);
    this.version++;
  }

  /**
   * A live delta. `insert`: summaries go to their newest-first place when that place is inside the
   * loaded prefix (else the page that covers it will bring them). `patch`: only listed ones change.
   */
  applyDelta(delta: ListDelta): void {
    let removedListed = 0;
    if (delta.removed.length > 0) {
      const gone = new Set(delta.removed);
      for (const id of gone) if (this.byId.delete(id)) removedListed++;
      if (removedListed > 0) this.order = this.order.filter((id) => !gone.has(id));
    }
    const allLoaded = this.order.length >= this.total - removedListed;
    // The oldest loaded start, taken before bulk mode appends unsorted newcomers.
    const oldest = this.at(this.order.length - 1)?.startTimeUnixNano;
    const bulk = delta.upserted.length > BULK_THRESHOLD;
    let needsSort = false;
    for (const t of delta.upserted) {
      this.learn(t);
      const previous = this.byId.get(t.traceId);
      if (previous) {
        this.byId.set(t.traceId, t);
        if (previous.startTimeUnixNano === t.startTimeUnixNano) continue;
        if (bulk) needsSort = true;
        else this.reposition(t);
        continue;
      }
      if (delta.mode === 'patch') continue;
      if (!allLoaded && oldest !== undefined && compareNano(t.startTimeUnixNano, oldest) < 0) continue;
      this.byId.set(t.traceId, t);
      if (bulk) {
        this.order.push(t.traceId);
        needsSort = true;
      } else {
        this.order.splice(this.insertionIndex(t), 0, t.traceId);
      }
    }
    if (needsSort) this.sortOrder();
    if (delta.total !== undefined) this.total = Math.max(delta.total, this.order.length);
    else this.total = Math.max(this.order.length, this.total - removedListed);
    this.version++;
  }

  /** The id `step` rows away from `traceId` (clamped), or the first row when nothing is selected. */
  neighbour(traceId: string | undefined, step: number): string | undefined {
    if (this.order.length === 0) return undefined;
    const index = this.indexOf(traceId);
    if (index < 0) return this.order[0];
    return this.order[Math.min(this.order.length - 1, Math.max(0, index + step))];
  }

  /**
   * What takes a removed trace's place in the selection: the next row down that is not removed too,
   * else the nearest one above; undefined when none is left (or the trace is not listed).
   */
  replacementFor(traceId: string, removed: ReadonlySet<string>): string | undefined {
    const index = this.indexOf(traceId);
    if (index < 0) return undefined;
    for (let i = index + 1; i < this.order.length; i++) if (!removed.has(this.order[i])) return this.order[i];
    for (let i = index - 1; i >= 0; i--) if (!removed.has(this.order[i])) return this.order[i];
    return undefined;
  }

  private learn(t: TraceSummary): void {
    if (t.serviceName) this.services.add(t.serviceName);
    for (const m of t.models) this.models.add(m);
  }

  private reposition(t: TraceSummary): void {
    const index = this.order.indexOf(t.traceId);
    if (index >= 0) this.order.splice(index, 1);
    this.order.splice(this.insertionIndex(t), 0, t.traceId);
  }

  /** First position whose trace started no later than `t` (newest first; a tie puts the newcomer first). */
  private insertionIndex(t: TraceSummary): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = this.byId.get(this.order[mid]);
      if (other && compareNano(other.startTimeUnixNano, t.startTimeUnixNano) > 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private sortOrder(): void {
    const start = (id: string): string => this.byId.get(id)?.startTimeUnixNano ?? '';
    // Array.prototype.sort is stable: equal start times keep their current relative order.
    this.order.sort((a, b) => compareNano(start(b), start(a)));
  }
}
