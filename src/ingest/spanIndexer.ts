// Where indexTracesProtobuf (and indexTracesJson) runs: for big exports its indexPreviews half on a
// worker thread (a pool, of one by default), so a 512-span batch is decoded and normalized on another
// core while the main thread (the extension host, or the CLI) keeps serving requests, cuts out the
// records and writes the store; inline for small ones, where a round trip to a worker costs more than
// it saves. Big logs exports are read there too (keptLogs.ts). If the workers cannot start or one
// dies, the work continues inline.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Disposable } from '../base/emitter';
import type { SpanLayout } from '../otlp/splitTraces';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import type { BodyLease } from '../receiver/sink';
import { unpackFields, type FieldColumns } from './fieldColumns';
import { indexedSpans, indexTracesJson, indexTracesProtobuf, recordLinesOf, type IndexedTraces } from './indexTraces';
import { readKeptLogs, type KeptLogs } from './keptLogs';
import { RecordArenaPool, type RecordArena } from './recordArenas';
import { isShared, SharedBodyPool } from './sharedBodyPool';

/** How an export's body is encoded: OTLP protobuf, or OTLP/JSON (transcoded to protobuf first). */
export type ExportFormat = 'protobuf' | 'json';

export type IndexRequest =
  | {
      kind: 'index';
      id: number;
      body: Uint8Array;
      format: ExportFormat;
      /** For a JSON body: shared memory for its protobuf, which the worker writes into if it fits. */
      out?: Uint8Array;
    }
  /** A logs export, answered with the records ingest keeps (readKeptLogs). */
  | { kind: 'logs'; id: number; body: Uint8Array; format: ExportFormat }
  | { kind: 'overrides'; overrides: PriceOverrides };

export type IndexResponse =
  | ({ id: number; ok: true; kind: 'logs' } & KeptLogs)
  | {
      id: number;
      ok: true;
      kind: 'index';
      fields: FieldColumns;
      /** Where each span is in the body: the main thread cuts the records out of its own copy. */
      layout: SpanLayout;
      /** Per span, its response id if it is a model call that has one (IndexedSpan.responseId). */
      responseIds: (string | undefined)[];
      /**
       * A JSON body's protobuf, which `layout` points into in place of the body: its length, written
       * into the request's `out`, or itself (transferred) when it did not fit there.
       */
      transcoded?: number | Uint8Array;
      rejected: number;
      errors: string[];
    }
  | { id: number; ok: false; decodeError: boolean; message: string };

/** Exports below this size are indexed inline (an SDK's typical small batch: a few spans). */
export const WORKER_MIN_BYTES = 64 * 1024;
/**
 * Exports waiting for the worker beyond this are indexed inline. The worker queue is not a buffer
 * for overload: indexing inline blocks the main thread, which is what slows senders down (their
 * requests wait), instead of request bodies piling up in memory.
 */
export const WORKER_MAX_PENDING = 4;

export interface SpanIndexerOptions {
  /** False: always inline (benchmarks of one thread, environments without worker threads). */
  useWorker?: boolean;
  /** Worker threads (default WORKER_POOL_SIZE); exports in flight together go to the least busy. */
  poolSize?: number;
  onError?: (err: Error) => void;
}

/** An export out on a worker: a trace export to index, or a logs export to read. */
type Pending = PendingWork &
  (
    | {
        kind: 'index';
        /** Where the worker writes a JSON body's protobuf: released once the records are cut out of it. */
        out?: BodyLease;
        resolve: (indexed: IndexedTraces) => void;
      }
    | { kind: 'logs'; resolve: (logs: KeptLogs) => void }
  );

interface PendingWork {
  body: Uint8Array;
  format: ExportFormat;
  /** The shared copy of `body` the worker reads, when one was made: released once it has answered. */
  copy?: BodyLease;
  worker: Worker;
  reject: (err: Error) => void;
}

/**
 * Worker threads indexing at once, by default. One: on two cores the main thread (HTTP, the store) and
 * one worker now take about the same CPU per export, so a second worker only makes three busy threads
 * share two cores. Measured in A/B runs of bench/ingest.ts against two workers: ×1.11 and ×1.02 spans/s,
 * 13 % and 7 % less CPU per export, 20–40 MB less RSS. (Two won, by 13–15 %, while indexing cost twice
 * what it does now.) Workers start only when a big export arrives.
 */
export const WORKER_POOL_SIZE = 1;

export class SpanIndexer implements Disposable {
  private workers: Worker[] = [];
  private workerBroken: boolean;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private priceOverrides: PriceOverrides = {};
  private readonly bodies = new SharedBodyPool();
  /** The records of exports indexed on the worker are cut into these (see recordArenas.ts). */
  private readonly arenas = new RecordArenaPool();
  private readonly onError: (err: Error) => void;
  private readonly poolSize: number;

  constructor(options: SpanIndexerOptions = {}) {
    this.workerBroken = options.useWorker === false;
    this.poolSize = Math.max(1, options.poolSize ?? WORKER_POOL_SIZE);
    this.onError = options.onError ?? (() => undefined);
  }

  /** 'idle' until the first export big enough for a worker (they start lazily). */
  get mode(): 'worker' | 'inline' | 'idle' {
    if (this.workers.length > 0) return 'worker';
    return this.workerBroken ? 'inline' : 'idle';
  }

  setPriceOverrides(overrides: PriceOverrides): void {
    this.priceOverrides = overrides;
    for (const worker of this.workers) worker.postMessage({ kind: 'overrides', overrides: plainData(overrides) } satisfies IndexRequest);
  }

  /**
   * Memory to read a big export's body into, for index(): shared with the worker rather than copied to
   * it, and reused for later exports (see sharedBodyPool.ts). Undefined for small or huge bodies. The
   * caller releases it once index()'s result has been used (IngestPipeline: the export is stored).
   */
  leaseBody(size: number): BodyLease | undefined {
    return this.bodies.lease(size);
  }

  /** Throws (or rejects with) OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
  index(body: Uint8Array, format: ExportFormat = 'protobuf'): IndexedTraces | Promise<IndexedTraces> {
    const worker = this.workerFor(body);
    if (!worker) return indexInline(body, format, this.priceOverrides);
    return new Promise((resolve, reject) => {
      // A JSON body's protobuf comes back the way the body went (see post): into a slot as big as the
      // body, which the protobuf of a JSON export fits (ids, numbers and field names take fewer bytes).
      const out = format === 'json' ? this.bodies.lease(body.byteLength) : undefined;
      this.post({ kind: 'index', body, format, worker, out, resolve, reject }, (id, sent) => ({ kind: 'index', id, body: sent, format, out: out?.bytes }));
    });
  }

  /** A logs export's kept records (readKeptLogs). Throws (or rejects with) OtlpDecodeError for bytes that are not one. */
  readLogs(body: Uint8Array, format: ExportFormat = 'protobuf'): KeptLogs | Promise<KeptLogs> {
    const worker = this.workerFor(body);
    if (!worker) return readKeptLogs(body, format);
    return new Promise((resolve, reject) => {
      this.post({ kind: 'logs', body, format, worker, resolve, reject }, (id, sent) => ({ kind: 'logs', id, body: sent, format }));
    });
  }

  dispose(): void {
    this.workerBroken = true;
    const workers = this.workers;
    this.workers = [];
    this.rejectAll(new Error('Spanlight: the trace indexer was stopped'));
    for (const worker of workers) void worker.terminate();
  }

  /** A worker for a body big enough to be worth the trip, unless too many exports are out already. */
  private workerFor(body: Uint8Array): Worker | undefined {
    return body.byteLength >= WORKER_MIN_BYTES && this.pending.size < WORKER_MAX_PENDING ? this.leastBusyWorker() : undefined;
  }

  /**
   * Sends `pending`'s body to its worker, as the body `request` is given. A leased body (leaseBody) is
   * shared: the worker reads the same memory, and the lease outlives the answer (its holder releases it
   * once the export is stored). Any other body (gRPC's, an inflated one, a logs export) gets a copy of
   * its own: one memcpy instead of structured clone's serialize + deserialize (a 1 MB body: 0.3 vs
   * 0.8 ms CPU), into shared memory from the pool, reused from one export to the next, rather than a
   * fresh buffer per export (see sharedBodyPool.ts for what that garbage costs). The body itself stays
   * here for abandon() to do the work inline if the worker dies.
   */
  private post(pending: Pending, request: (id: number, body: Uint8Array) => IndexRequest): void {
    const id = this.nextId++;
    // Referenced while work is out, so a process awaiting it does not exit meanwhile.
    if (this.pending.size === 0) for (const w of this.workers) w.ref();
    const { body, worker } = pending;
    if (isShared(body)) {
      this.pending.set(id, pending);
      worker.postMessage(request(id, body));
      return;
    }
    const copy = this.bodies.lease(body.byteLength);
    this.pending.set(id, { ...pending, copy });
    if (copy) {
      copy.bytes.set(body);
      worker.postMessage(request(id, copy.bytes));
      return;
    }
    const transferred = new Uint8Array(body);
    worker.postMessage(request(id, transferred), [transferred.buffer]);
  }

  /** The pool started on first use; the worker with the fewest exports out. */
  private leastBusyWorker(): Worker | undefined {
    if (this.workers.length === 0 && !this.workerBroken) this.startPool();
    let best: Worker | undefined;
    let bestLoad = Infinity;
    for (const worker of this.workers) {
      let load = 0;
      for (const p of this.pending.values()) if (p.worker === worker) load++;
      if (load < bestLoad) [best, bestLoad] = [worker, load];
    }
    return best;
  }

  private startPool(): void {
    const started: Worker[] = [];
    try {
      for (let i = 0; i < this.poolSize; i++) {
        const worker = startWorker();
        started.push(worker);
        // Idle, it must not keep a CLI or test process alive; the server's own handles do that.
        worker.unref();
        worker.on('message', (response: IndexResponse) => this.settle(response));
        worker.on('error', (err) => this.abandon(worker, err));
        worker.on('exit', (code) => this.abandon(worker, new Error(`an index worker exited with code ${code}`)));
        worker.postMessage({ kind: 'overrides', overrides: plainData(this.priceOverrides) } satisfies IndexRequest);
      }
      this.workers = started;
    } catch (err) {
      this.workerBroken = true;
      for (const worker of started) void worker.terminate();
      this.onError(new Error(`Spanlight: indexing on the main thread (no worker thread: ${String(err)})`));
    }
  }

  /**
   * A dead worker is not restarted, and the others are stopped too (whatever killed one would likely
   * kill the next); what they had not answered yet is indexed here, so no export fails because of it.
   */
  private abandon(worker: Worker, err: Error): void {
    if (!this.workers.includes(worker)) return;
    const others = this.workers.filter((w) => w !== worker);
    this.workers = [];
    this.workerBroken = true;
    this.onError(new Error(`Spanlight: indexing on the main thread from now on (${err.message})`));
    for (const other of others) void other.terminate();
    for (const p of this.takeAllPending()) {
      try {
        if (p.kind === 'logs') p.resolve(readKeptLogs(p.body, p.format));
        else p.resolve(indexInline(p.body, p.format, this.priceOverrides));
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private settle(response: IndexResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    pending.copy?.release();
    if (this.pending.size === 0) for (const w of this.workers) w.unref();
    if (!response.ok) {
      if (pending.kind === 'index') pending.out?.release();
      pending.reject(response.decodeError ? new OtlpDecodeError(response.message) : new Error(response.message));
      return;
    }
    if (pending.kind === 'logs' || response.kind === 'logs') {
      if (pending.kind === 'logs' && response.kind === 'logs') pending.resolve({ records: response.records, received: response.received, rejected: response.rejected, errors: response.errors });
      else pending.reject(new Error(`Spanlight: the index worker answered a ${pending.kind} request with ${response.kind}`));
      return;
    }
    // Cut out here rather than on the worker: ingest's bottleneck is the worker, and the main thread
    // has the body anyway (kept for abandon). It also spares a second 1 MB buffer crossing threads.
    const transcoded = typeof response.transcoded === 'number' ? pending.out?.bytes.subarray(0, response.transcoded) : response.transcoded;
    let arena: RecordArena | undefined;
    const lines = recordLinesOf(transcoded ?? pending.body, response.layout, (size) => (arena = this.arenas.take(size))?.bytes ?? Buffer.allocUnsafe(size));
    pending.out?.release();
    const spans = indexedSpans(unpackFields(response.fields), lines, response.responseIds);
    pending.resolve({ spans, rejected: response.rejected, errors: response.errors, arena });
  }

  private rejectAll(err: Error): void {
    for (const p of this.takeAllPending()) p.reject(err);
  }

  /** Every export still out, no longer waited for: the workers' copies of them go back to the pool. */
  private takeAllPending(): Pending[] {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      p.copy?.release();
      if (p.kind === 'index') p.out?.release();
    }
    return pending;
  }
}

function indexInline(body: Uint8Array, format: ExportFormat, priceOverrides: PriceOverrides): IndexedTraces {
  return format === 'json' ? indexTracesJson(body, priceOverrides) : indexTracesProtobuf(body, priceOverrides);
}

/**
 * A copy a worker can receive: settings objects from VS Code's configuration API are proxies, which
 * the structured clone of postMessage refuses (DataCloneError). Overrides are JSON by nature.
 */
function plainData(overrides: PriceOverrides): PriceOverrides {
  return JSON.parse(JSON.stringify(overrides)) as PriceOverrides;
}

/** The bundles (dist/extension.js, dist/cli.js) ship dist/indexWorker.js next to them. */
function startWorker(): Worker {
  // No inherited execArgv: the extension host's own flags are not all valid for a worker (Node throws).
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'indexWorker.js'), { execArgv: [] });
  // From sources (tests, benchmarks under tsx): module hooks do not reach worker threads on Node 20,
  // so the worker registers tsx's require hook itself before loading the TypeScript entry.
  const entry = JSON.stringify(join(__dirname, 'indexWorker.ts'));
  return new Worker(`require('tsx/cjs/api').register(); require(${entry});`, { eval: true });
}
