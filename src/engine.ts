// The headless core shared by the extension and `spanlight serve`: store + ingest pipeline + both receivers.
// Both composition roots build one of these, so the CLI serves exactly what the sidebar shows.
import { Emitter, type Disposable } from './base/emitter';
import { IngestPipeline } from './ingest/ingestPipeline';
import { SpanNormalizer } from './ingest/normalizeSpan';
import { IndexRefresher, type RefreshProgress } from './ingest/indexRefresh';
import { SpanIndexer } from './ingest/spanIndexer';
import type { PriceOverrides } from './pricing/cost';
import type { HealthInfo, TraceDetail, TraceList, TraceQuery, Span } from './protocol/model';
import type { ReceiverStatus, TransportStatus } from './protocol/receiverStatus';
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

export interface ReceiverOptions {
  host: string;
  httpPort: number;
  /** `undefined` disables gRPC. */
  grpcPort?: number;
  bodyLimitBytes: number;
  corsOrigins?: readonly string[];
  authToken?: string;
}

export class SpanlightEngine implements Disposable {
  private http: HttpReceiverHandle | undefined;
  private grpc: GrpcReceiverHandle | undefined;
  private currentStatus: ReceiverStatus = { http: { state: 'stopped' }, grpc: { state: 'stopped' } };
  private readonly onDidChangeStatusEmitter = new Emitter<ReceiverStatus>();
  /** Fires after each start/stop with the state of both transports. */
  readonly onDidChangeStatus = this.onDidChangeStatusEmitter.event;
  readonly pipeline: IngestPipeline;
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
    this.pipeline = new IngestPipeline(store, normalizer, onError, this.indexer);
    this.refresher = new IndexRefresher(store, this.pipeline);
    this.reader = {
      listTraces: (q: TraceQuery): TraceList => store.listTraces(q),
      getTrace: (traceId: string): Promise<TraceDetail | undefined> => store.getTrace(traceId),
      getSpan: (traceId: string, spanId: string): Promise<Span | undefined> => store.getSpan(traceId, spanId),
      health: (): HealthInfo => ({ ...store.health(options.version), indexer: this.indexer.mode }),
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

  /** Restarts both transports with `receiver`; a transport that fails is reported in the status, never thrown. */
  async startReceivers(receiver: ReceiverOptions): Promise<ReceiverStatus> {
    await this.stopReceivers();
    const onError = this.options.onError;
    const [http, grpc] = await Promise.all([
      startTransport(() =>
        startHttpReceiver({
          sink: this.pipeline,
          reader: this.reader,
          writer: this.store,
          host: receiver.host,
          port: receiver.httpPort,
          bodyLimitBytes: receiver.bodyLimitBytes,
          corsOrigins: receiver.corsOrigins,
          authToken: receiver.authToken,
          onError,
        }),
      ),
      receiver.grpcPort === undefined
        ? Promise.resolve({ status: { state: 'disabled' } as TransportStatus, handle: undefined })
        : startTransport(() =>
            startGrpcReceiver({
              sink: this.pipeline,
              host: receiver.host,
              port: receiver.grpcPort as number,
              bodyLimitBytes: receiver.bodyLimitBytes,
              authToken: receiver.authToken,
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
    this.setStatus({ http: { state: 'stopped' }, grpc: { state: 'stopped' } });
  }

  private closing: Promise<void> | undefined;

  /** Stops the receivers, flushes and closes the store. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.refresher.dispose();
      await this.stopReceivers();
      this.pipeline.dispose();
      this.indexer.dispose();
      await this.store.close();
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
