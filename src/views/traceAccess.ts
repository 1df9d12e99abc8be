// The views' one door to the traces. The source changes at runtime — this window's store when it owns
// the receiver, the owner window's API when it follows, a swap on takeover — so views never hold a
// source: they ask `current()` and get one `onDidChangeTraces` stream that survives the swap.
import * as vscode from 'vscode';
import type { Event } from '../base/emitter';
import type { TraceSource } from '../host/traceSource';
import type { TraceChange } from '../protocol/model';

/** What the views read and write: a TraceSource (local store or another window's API) minus its lifetime. */
export type ViewTraceSource = Omit<TraceSource, 'dispose'>;

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
