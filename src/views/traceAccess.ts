// The views' one door to the traces. The source changes at runtime — this window's store when it owns
// the receiver, the owner window's API when it follows, a swap on takeover — so views never hold a
// source: they ask `current()` and get one `onDidChangeTraces` stream that survives the swap.
import * as vscode from 'vscode';
import type { Event } from '../base/emitter';
import type { Span, TraceChange, TraceDetail, TraceList, TraceQuery, TraceSummary } from '../protocol/model';

/**
 * What the views read and write: the part of src/host/traceSource.ts's TraceSource they use (local store
 * or another window's API), declared here so the views depend on nothing more.
 */
export interface ViewTraceSource {
  readonly onDidChangeTraces: Event<TraceChange>;
  listTraces(query: TraceQuery): Promise<TraceList>;
  getTrace(traceId: string): Promise<TraceDetail | undefined>;
  getSpan(traceId: string, spanId: string): Promise<Span | undefined>;
  getSummary(traceId: string): Promise<TraceSummary | undefined>;
  setPinned(traceId: string, pinned: boolean): Promise<void>;
  deleteTrace(traceId: string): Promise<void>;
  clear(): Promise<void>;
}

export class TraceAccess implements vscode.Disposable {
  private source: ViewTraceSource | undefined;
  private subscription: { dispose(): void } | undefined;
  private readonly changes = new vscode.EventEmitter<TraceChange>();
  private readonly swaps = new vscode.EventEmitter<void>();
  private readonly hostSubscription: { dispose(): void };
  /** Every change of whichever source is current. */
  readonly onDidChangeTraces = this.changes.event;
  /** A source appeared, went away or was replaced: views reload everything. */
  readonly onDidChangeSource = this.swaps.event;

  constructor(
    private readonly resolve: () => ViewTraceSource | undefined,
    /** Fires when `resolve` may answer differently (EngineHost.onDidChangeSource). */
    onDidChangeHost: Event<unknown>,
  ) {
    this.rebind();
    this.hostSubscription = onDidChangeHost(() => this.rebind());
  }

  current(): ViewTraceSource | undefined {
    return this.source;
  }

  private rebind(): void {
    const next = this.resolve();
    if (next === this.source) return;
    this.subscription?.dispose();
    this.source = next;
    this.subscription = next?.onDidChangeTraces((change) => this.changes.fire(change));
    this.swaps.fire();
  }

  dispose(): void {
    this.hostSubscription.dispose();
    this.subscription?.dispose();
    this.changes.dispose();
    this.swaps.dispose();
  }
}
