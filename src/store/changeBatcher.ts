// Collects what changed since the last event and fires one TraceChange for it. Everything written in
// the same tick (several upserts from one request, or requests handled in one poll phase) becomes one
// event, and events are at least MIN_INTERVAL_MS apart so a flood of small requests cannot make the
// views re-render hundreds of times a second.
import { Emitter } from '../base/emitter';
import type { TraceChange, TraceSummary } from '../protocol/model';

const MIN_INTERVAL_MS = 10;

export class ChangeBatcher {
  private added = new Set<string>();
  private updated = new Set<string>();
  private removed = new Set<string>();
  private spanIds = new Map<string, Set<string>>();
  private cancelTimer: (() => void) | undefined;
  private lastFire = 0;

  constructor(
    private readonly emitter: Emitter<TraceChange>,
    /** Current summary of a trace, undefined once it is gone. */
    private readonly summaryOf: (traceId: string) => TraceSummary | undefined,
  ) {}

  spanWritten(traceId: string, spanId: string, newTrace: boolean): void {
    if (newTrace) this.added.add(traceId);
    else if (!this.added.has(traceId)) this.updated.add(traceId);
    let ids = this.spanIds.get(traceId);
    if (!ids) this.spanIds.set(traceId, (ids = new Set()));
    ids.add(spanId);
    this.schedule();
  }

  traceUpdated(traceId: string): void {
    if (!this.added.has(traceId)) this.updated.add(traceId);
    this.schedule();
  }

  traceRemoved(traceId: string): void {
    this.removed.add(traceId);
    // If the same id comes back in this batch it is reported as added, after the removal.
    this.added.delete(traceId);
    this.updated.delete(traceId);
    this.spanIds.delete(traceId);
    this.schedule();
  }

  /** Forgets everything collected (used after loading, when nobody has seen the old state). */
  reset(): void {
    this.cancel();
    this.added.clear();
    this.updated.clear();
    this.removed.clear();
    this.spanIds.clear();
  }

  /** Fires what is pending now, if anything. */
  fireNow(): void {
    this.cancel();
    if (this.added.size + this.updated.size + this.removed.size === 0) return;
    const summaries = (ids: Set<string>) =>
      [...ids].map((id) => this.summaryOf(id)).filter((s): s is TraceSummary => s !== undefined);
    const change: TraceChange = {
      added: summaries(this.added),
      updated: summaries(this.updated),
      removed: [...this.removed],
      spanIds: {},
    };
    for (const [traceId, ids] of this.spanIds) if (this.summaryOf(traceId)) change.spanIds[traceId] = [...ids];
    this.added = new Set();
    this.updated = new Set();
    this.removed = new Set();
    this.spanIds = new Map();
    this.lastFire = Date.now();
    this.emitter.fire(change);
  }

  cancel(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private schedule(): void {
    if (this.cancelTimer) return;
    const wait = this.lastFire + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      const timer = setTimeout(() => this.fireNow(), wait);
      this.cancelTimer = () => clearTimeout(timer);
    } else {
      // setImmediate runs after the current poll phase: every request parsed in it joins this event.
      const immediate = setImmediate(() => this.fireNow());
      this.cancelTimer = () => clearImmediate(immediate);
    }
  }
}
