// The headless core shared by the extension and `spanlight serve`: store + ingest pipeline + both receivers.
// Both composition roots build one of these, so the CLI serves exactly what the sidebar shows.
import { join } from 'node:path';
import { Emitter, type Disposable } from './base/emitter';
import type { ForwardTarget } from './forward/forwardTarget';
import { ForwardingSink } from './forward/forwardingSink';
import { OtlpForwarder } from './forward/otlpForwarder';
import { IngestPipeline } from './ingest/ingestPipeline';
import { SpanNormalizer } from './ingest/normalizeSpan';
import { IndexRefresher, type RefreshProgress } from './ingest/indexRefresh';
import { SpanIndexer } from './ingest/spanIndexer';
import type { PriceOverrides } from './pricing/cost';
import type { HealthInfo, TraceDetail, TraceList, TraceQuery, Span } from './protocol/model';
import { RECEIVER_STOPPED, type ReceiverStatus, type TransportStatus } from './protocol/receiverStatus';
import {
  PortInUseError,
  startGrpcReceiver,
  startHttpReceiver,
  type GrpcReceiverHandle,
  type HttpReceiverHandle,
  type TraceReader,
} from './receiver';
import { TraceStore } from './store/traceStore';

export interface EngineOptions {
  storeDir: string;
  version: string;
  maxSpans?: number;
  maxBytes?: number;
  priceOverrides?: PriceOverrides;
  /** Disk, sink and socket errors that did not stop anything, for the log. */
  onError?: (err: Error) => void;
}

/** At close, exports still waiting are given this long to reach the upstream (VS Code waits a few seconds at most). */
const FORWARD_DRAIN_MS = 2000;
/** The response ids of recent model calls, saved beside the store at close (ingest/responseIds.ts). */
const RESPONSE_IDS_FILE = 'response-ids.json';

export interface ReceiverOptions {
  host: string;
  httpPort: number;
  /** `undefined` disables gRPC. */
  grpcPort?: number;
  bodyLimitBytes: number;
  corsOrigins?: readonly string[];
  authToken?: string;
  /**
   * Also serve what other VS Code windows on the same store use (windowSyncRoutes.ts): the change stream
   * and their pin, delete and clear. The extension turns it on; without it (the headless CLI) the JSON
   * API is read-only, as DESIGN.md describes it, and no local process can delete traces through it.
   */
  windowSync?: boolean;
}

export class SpanlightEngine implements Disposable {
  private http: HttpReceiverHandle | undefined;
  private grpc: GrpcReceiverHandle | undefined;
  private currentStatus: ReceiverStatus = RECEIVER_STOPPED;
  private readonly onDidChangeStatusEmitter = new Emitter<ReceiverStatus>();
  /** Fires after each start/stop with the state of both transports. */
  readonly onDidChangeStatus = this.onDidChangeStatusEmitter.event;
  readonly pipeline: IngestPipeline;
  /** What both receivers feed: the pipeline, and the forwarder when one is set (setForwarding). */
  private readonly sink: ForwardingSink;
  /** Indexes big protobuf exports on a worker thread (the second core). */
  private readonly indexer: SpanIndexer;
  readonly reader: TraceReader;
  private readonly refresher: IndexRefresher;
  /** The latest index refresh (setPriceOverrides, and the one at open), for callers that wait for it. */
  refreshed: Promise<number> = Promise.resolve(0);

  private constructor(
    readonly store: TraceStore,
    normalizer: SpanNormalizer,
    private readonly options: EngineOptions,
  ) {
    const onError = options.onError ?? (() => undefined);
    this.indexer = new SpanIndexer({ onError });
    this.pipeline = new IngestPipeline(store, normalizer, onError, this.indexer, join(options.storeDir, RESPONSE_IDS_FILE));
    this.refresher = new IndexRefresher(store, this.pipeline);
    this.sink = new ForwardingSink(this.pipeline);
    this.reader = {
      listTraces: (q: TraceQuery): TraceList => store.listTraces(q),
      searchText: (q, searchOptions) => store.searchText(q, searchOptions),
      getTrace: (traceId: string): Promise<TraceDetail | undefined> => store.getTrace(traceId),
      getSpan: (traceId: string, spanId: string): Promise<Span | undefined> => store.getSpan(traceId, spanId),
      getTraceAsReceived: (traceId: string) => store.getTraceAsReceived(traceId),
      health: (): HealthInfo => ({ ...store.health(options.version), indexer: this.indexer.mode, forward: this.sink.forwarder?.status }),
    };
  }

  static async open(options: EngineOptions): Promise<SpanlightEngine> {
    const normalizer = new SpanNormalizer(options.priceOverrides);
    const store = await TraceStore.open({
      dir: options.storeDir,
      maxSpans: options.maxSpans,
      maxBytes: options.maxBytes,
      onError: options.onError,
      deriveSpan: normalizer.normalize,
    });
    const engine = new SpanlightEngine(store, normalizer, options);
    // Prices or indexing changed while nothing was running: the stored index catches up in the background.
    engine.setPriceOverrides(options.priceOverrides ?? {}).catch((err: Error) => options.onError?.(err));
    return engine;
  }

  /**
   * New price overrides: new spans are priced with them at once, and stored model calls whose price
   * changed are indexed again (see indexRefresh.ts). Resolves with how many were, once it is done.
   */
  setPriceOverrides(overrides: PriceOverrides, onProgress?: RefreshProgress): Promise<number> {
    this.pipeline.setPriceOverrides(overrides);
    this.refreshed = this.refresher.refresh(overrides, onProgress);
    return this.refreshed;
  }

  get status(): ReceiverStatus {
    return this.currentStatus;
  }

  /** Forwarding of accepted exports, when it is on. */
  get forwarder(): OtlpForwarder | undefined {
    return this.sink.forwarder;
  }

  /**
   * Forwards every export accepted from now on to `target` (undefined: stops forwarding). The same
   * target keeps its forwarder; another one replaces it, and what the old one had not sent is dropped.
   */
  setForwarding(target: ForwardTarget | undefined): OtlpForwarder | undefined {
    const old = this.sink.forwarder;
    if (old && target && sameTarget(old.target, target)) return old;
    this.sink.forwarder = target && new OtlpForwarder(target);
    old?.dispose();
    return this.sink.forwarder;
  }

  /** Restarts both transports with `receiver`; a transport that fails is reported in the status, never thrown. */
  async startReceivers(receiver: ReceiverOptions): Promise<ReceiverStatus> {
    await this.stopReceivers();
    const onError = this.options.onError;
    const [http, grpc] = await Promise.all([
      startTransport(() =>
        startHttpReceiver({
          sink: this.sink,
          reader: this.reader,
          writer: receiver.windowSync ? this.store : undefined,
          host: receiver.host,
          port: receiver.httpPort,
          bodyLimitBytes: receiver.bodyLimitBytes,
          corsOrigins: receiver.corsOrigins,
          authToken: receiver.authToken,
          grpcPort: receiver.grpcPort || undefined,
          onError,
        }),
      ),
      receiver.grpcPort === undefined
        ? Promise.resolve({ status: { state: 'disabled' } as TransportStatus, handle: undefined })
        : startTransport(() =>
            startGrpcReceiver({
              sink: this.sink,
              host: receiver.host,
              port: receiver.grpcPort as number,
              bodyLimitBytes: receiver.bodyLimitBytes,
              authToken: receiver.authToken,
              // Named to an HTTP exporter that connects to the gRPC port (0: picked at bind, not known here).
              httpPort: receiver.httpPort || undefined,
              onError,
            }),
          ),
    ]);
    this.http = http.handle;
    this.grpc = grpc.handle;
    this.setStatus({ http: http.status, grpc: grpc.status });
    return this.currentStatus;
  }

  async stopReceivers(): Promise<void> {
    const closing = [this.http?.close(), this.grpc?.close()];
    this.http = undefined;
    this.grpc = undefined;
    await Promise.allSettled(closing);
    this.setStatus(RECEIVER_STOPPED);
  }

  private closing: Promise<void> | undefined;

  /** Stops the receivers, flushes and closes the store. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.refresher.dispose();
      await this.stopReceivers();
      // Nothing new arrives now: what is still on its way upstream gets a moment to get there, while
      // the store flushes (which comes first: VS Code gives deactivation only a few seconds).
      const forwarded = this.sink.forwarder?.drained(FORWARD_DRAIN_MS);
      this.pipeline.dispose();
      this.indexer.dispose();
      await Promise.all([this.store.close(), forwarded]);
      this.setForwarding(undefined);
      this.onDidChangeStatusEmitter.dispose();
    })();
    return this.closing;
  }

  dispose(): void {
    void this.close();
  }

  private setStatus(status: ReceiverStatus): void {
    this.currentStatus = status;
    this.onDidChangeStatusEmitter.fire(status);
  }
}

function sameTarget(a: ForwardTarget, b: ForwardTarget): boolean {
  return a.endpoint === b.endpoint && JSON.stringify(a.headers) === JSON.stringify(b.headers);
}

async function startTransport<H extends { host: string; port: number }>(
  start: () => Promise<H>,
): Promise<{ status: TransportStatus; handle: H | undefined }> {
  try {
    const handle = await start();
    return { status: { state: 'listening', host: handle.host, port: handle.port }, handle };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return {
      status: { state: 'error', message: error.message, portInUse: error instanceof PortInUseError },
      handle: undefined,
    };
  }
}
