// A follower window's link to the window that owns the store: which window that is (owner.json), one
// RemoteTraceSource per connection to its change stream, and what this window can say about it (its
// receiver, how many traces it holds, whether the list here is live).
//
// Every connection, first or after a drop (the owner's receiver restarted for a setting or a new token,
// another window took over), brings a new source, swapped in only once its stream is open: the views
// then read the whole list again from it, so traces stored while no stream was open are not missed and
// the list here is exactly the owner's. The old source stays until then, so a reconnection never empties
// a list on screen.
//
// While the owner's receiver does not listen (stopped there, turned off, its port busy) nothing can be
// read: its JSON API shares the OTLP/HTTP port. The follower keeps the last source and the list the views
// hold, says that list is not live and why (the owner's status, from owner.json), and reconnects when the
// owner listens again. An empty list would say the store is empty, which is false: every trace is still
// there, and most of what the user was looking at is still true.
import { CoalescedTimer } from '../base/coalescedTimer';
import { Emitter, type Disposable, type Event } from '../base/emitter';
import { ownerReceiverDown } from '../protocol/messages';
import { RECEIVER_STOPPED, type ReceiverStatus } from '../protocol/receiverStatus';
import { readOwnerInfo, sameOwnerInfo, type OwnerInfo } from './ownerInfo';
import { RemoteTraceSource, type ReadAuthToken } from './remoteTraceSource';
import type { TraceSource } from './traceSource';

/** After a stream closes or a connection fails: soon enough to miss little, late enough for a restart to bind. */
const RECONNECT_MS = 1000;
/** The count follows changes at most this often (one request each). */
const COUNT_MS = 500;

/** What the follower logs (a vscode.LogOutputChannel in the extension). */
export interface FollowerLog {
  info(message: string): void;
  warn(message: string): void;
}

interface Link {
  source: RemoteTraceSource;
  pid: number;
  /** Its change stream is open: every change of the owner's store reaches this window. */
  live: boolean;
  subscriptions: Disposable[];
}

export class OwnerFollower implements Disposable {
  private owner: OwnerInfo | undefined;
  private link: Link | undefined;
  private connecting: Promise<void> | undefined;
  private readonly retry = new CoalescedTimer(RECONNECT_MS, () => void this.check());
  private readonly countRead = new CoalescedTimer(COUNT_MS, () => void this.readCount());
  private count: number | undefined;
  /** Why the last connection failed (unreachable, token refused); cleared by a connection. */
  private problem: string | undefined;
  private disposed = false;
  private readonly sourceEmitter = new Emitter<TraceSource>();
  /** A new connection's source: the views read everything again from it. */
  readonly onDidChangeSource: Event<TraceSource> = this.sourceEmitter.event;
  private readonly changeEmitter = new Emitter<void>();
  /** The owner, its receiver, the trace count or the liveness changed. */
  readonly onDidChange: Event<void> = this.changeEmitter.event;

  constructor(
    private readonly storeDir: string,
    private readonly readToken: ReadAuthToken,
    private readonly log: FollowerLog,
  ) {}

  get source(): TraceSource | undefined {
    return this.link?.source;
  }

  /** The owner's receiver as the owner shows it; stopped while no owner is known. */
  get receiver(): ReceiverStatus {
    return this.owner?.receiver ?? RECEIVER_STOPPED;
  }

  /** How many traces the owner's store holds, as last read (kept while not live); undefined before any. */
  get traceCount(): number | undefined {
    return this.count;
  }

  /** Why the list here does not follow the owner's right now; undefined while it does. */
  get notLiveReason(): string | undefined {
    // The owner's word first: its stream may not have closed yet when it says its receiver stopped.
    if (!this.owner) return 'No window hosts the receiver at the moment; this one or another takes over within seconds.';
    const down = ownerReceiverDown(this.owner.receiver.http);
    if (down || this.link?.live) return down;
    return this.problem ?? 'Connecting to the window that hosts the receiver…';
  }

  /** Reads owner.json, and connects when the owner serves and no stream from it is open. EngineHost's poll calls this. */
  async check(): Promise<void> {
    if (this.disposed) return;
    const owner = readOwnerInfo(this.storeDir);
    if (!sameOwnerInfo(owner, this.owner)) {
      this.owner = owner;
      this.changeEmitter.fire();
    }
    if (!owner?.httpUrl) return;
    const link = this.link;
    if (link?.live && link.source.baseUrl === owner.httpUrl && link.pid === owner.pid) return;
    this.connecting ??= this.connect(owner.httpUrl, owner.pid).finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  private async connect(url: string, pid: number): Promise<void> {
    // Each connection reads the token again: the owner may have a new one (it restarts its receiver for it).
    const source = new RemoteTraceSource(url, this.readToken, (err) => this.log.warn(err.message));
    try {
      await source.opened;
    } catch (err) {
      source.dispose();
      this.failed((err as Error).message);
      return;
    }
    if (this.disposed) source.dispose();
    else this.use(source, pid);
  }

  private use(source: RemoteTraceSource, pid: number): void {
    const old = this.link;
    this.problem = undefined;
    this.link = {
      source,
      pid,
      live: true,
      subscriptions: [source.onDidClose(() => this.lost(source)), source.onDidChangeTraces(() => this.countRead.schedule())],
    };
    this.log.info(`Showing the traces of the window that hosts the receiver (${source.baseUrl}).`);
    // The views move to the new source before the old one goes, so they never read a closed one.
    this.sourceEmitter.fire(source);
    if (old) close(old);
    void this.readCount();
    this.changeEmitter.fire();
  }

  private lost(source: RemoteTraceSource): void {
    if (this.link?.source !== source) return;
    this.link.live = false;
    this.log.info('The change stream of the window that hosts the receiver closed; reconnecting.');
    this.changeEmitter.fire();
    this.retry.schedule();
  }

  private failed(problem: string): void {
    if (problem !== this.problem) {
      this.log.warn(`Cannot follow the window that hosts the receiver: ${problem}`);
      this.problem = problem;
      this.changeEmitter.fire();
    }
    this.retry.schedule();
  }

  private async readCount(): Promise<void> {
    const source = this.link?.source;
    if (!source) return;
    try {
      // limit 1: the owner's API refuses 0.
      const { total } = await source.listTraces({ limit: 1 });
      if (this.link?.source !== source || total === this.count) return;
      this.count = total;
      this.changeEmitter.fire();
    } catch {
      // Unreachable now: the last count stays, and notLiveReason says why it may be old.
    }
  }

  dispose(): void {
    this.disposed = true;
    this.retry.dispose();
    this.countRead.dispose();
    if (this.link) close(this.link);
    this.link = undefined;
    this.sourceEmitter.dispose();
    this.changeEmitter.dispose();
  }
}

function close(link: Link): void {
  for (const subscription of link.subscriptions) subscription.dispose();
  link.source.dispose();
}
