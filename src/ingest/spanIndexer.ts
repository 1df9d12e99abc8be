// Where indexTracesProtobuf runs: on a worker thread for big exports, so a 512-span batch is decoded
// and normalized on the second core while the main thread (the extension host, or the CLI) keeps
// serving requests and writing the store; inline for small ones, where a round trip to the worker
// costs more than it saves. If the worker cannot start or dies, indexing continues inline.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Disposable } from '../base/emitter';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import type { IndexFields } from '../store/spanMeta';
import { indexTracesProtobuf, type IndexedSpan, type IndexedTraces } from './indexTraces';

export type IndexRequest =
  | { kind: 'index'; id: number; body: Uint8Array }
  | { kind: 'overrides'; overrides: PriceOverrides };

export type IndexResponse =
  | {
      id: number;
      ok: true;
      fields: IndexFields[];
      /** Record lines, each followed by its newline (see encodeOtlpRecords). */
      lines: PackedViews;
      indexTails: PackedViews;
      rejected: number;
      errors: string[];
    }
  | { id: number; ok: false; decodeError: boolean; message: string };

/**
 * Byte strings back to back in one buffer, each followed by `gap` newlines (record lines keep theirs):
 * one transfer between threads instead of one clone each.
 */
export interface PackedViews {
  bytes: Uint8Array;
  lengths: number[];
  gap: number;
}

/**
 * Packs views that sit back to back in one buffer (as the encoders make them) without copying them;
 * anything else is copied. `transfer` gets the buffer when the views are all of it, so it can move.
 */
export function packViews(views: readonly Uint8Array[], gap: number, transfer: ArrayBuffer[]): PackedViews {
  const lengths = views.map((v) => v.byteLength);
  if (views.length === 0) return { bytes: new Uint8Array(0), lengths, gap };
  const first = views[0];
  const last = views[views.length - 1];
  let contiguous = true;
  for (let i = 1; i < views.length && contiguous; i++) {
    contiguous = views[i].buffer === first.buffer && views[i].byteOffset === views[i - 1].byteOffset + views[i - 1].byteLength + gap;
  }
  const end = last.byteOffset + last.byteLength + gap;
  if (contiguous && first.byteOffset === 0 && end === first.buffer.byteLength) {
    transfer.push(first.buffer as ArrayBuffer);
    return { bytes: new Uint8Array(first.buffer, 0, end), lengths, gap };
  }
  const bytes = new Uint8Array(lengths.reduce((n, l) => n + l + gap, 0));
  let at = 0;
  for (let i = 0; i < views.length; i++) {
    bytes.set(views[i], at);
    at += views[i].byteLength;
    bytes.fill(0x0a, at, at + gap);
    at += gap;
  }
  transfer.push(bytes.buffer);
  return { bytes, lengths, gap };
}

/** The views packViews packed, as Buffers into the received bytes. */
export function unpackViews(packed: PackedViews): Buffer[] {
  const { bytes, lengths, gap } = packed;
  const views: Buffer[] = new Array(lengths.length);
  let at = bytes.byteOffset;
  for (let i = 0; i < lengths.length; i++) {
    views[i] = Buffer.from(bytes.buffer, at, lengths[i]);
    at += lengths[i] + gap;
  }
  return views;
}

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
  onError?: (err: Error) => void;
}

interface Pending {
  body: Uint8Array;
  resolve: (indexed: IndexedTraces) => void;
  reject: (err: Error) => void;
}

export class SpanIndexer implements Disposable {
  private worker: Worker | undefined;
  private workerBroken: boolean;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private priceOverrides: PriceOverrides = {};
  private readonly onError: (err: Error) => void;

  constructor(options: SpanIndexerOptions = {}) {
    this.workerBroken = options.useWorker === false;
    this.onError = options.onError ?? (() => undefined);
  }

  /** 'idle' until the first export big enough for the worker (it starts lazily). */
  get mode(): 'worker' | 'inline' | 'idle' {
    if (this.worker) return 'worker';
    return this.workerBroken ? 'inline' : 'idle';
  }

  setPriceOverrides(overrides: PriceOverrides): void {
    this.priceOverrides = overrides;
    this.worker?.postMessage({ kind: 'overrides', overrides: plainData(overrides) } satisfies IndexRequest);
  }

  /** Throws (or rejects with) OtlpDecodeError for bytes that are not an ExportTraceServiceRequest. */
  index(body: Uint8Array): IndexedTraces | Promise<IndexedTraces> {
    const worker = body.byteLength >= WORKER_MIN_BYTES && this.pending.size < WORKER_MAX_PENDING ? this.ensureWorker() : undefined;
    if (!worker) return indexTracesProtobuf(body, this.priceOverrides);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      // Referenced while work is out, so a process awaiting it does not exit meanwhile.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { body, resolve, reject });
      // Copied, not transferred: the body may share its memory with other Buffers.
      worker.postMessage({ kind: 'index', id, body } satisfies IndexRequest);
    });
  }

  dispose(): void {
    this.workerBroken = true;
    const worker = this.worker;
    this.worker = undefined;
    this.rejectAll(new Error('Spanlight: the trace indexer was stopped'));
    void worker?.terminate();
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.workerBroken) return this.worker;
    let worker: Worker | undefined;
    try {
      worker = startWorker();
      // Idle, it must not keep a CLI or test process alive; the server's own handles do that.
      worker.unref();
      const started = worker;
      worker.on('message', (response: IndexResponse) => this.settle(response));
      worker.on('error', (err) => this.abandon(started, err));
      worker.on('exit', (code) => this.abandon(started, new Error(`the index worker exited with code ${code}`)));
      worker.postMessage({ kind: 'overrides', overrides: plainData(this.priceOverrides) } satisfies IndexRequest);
      this.worker = worker;
    } catch (err) {
      this.workerBroken = true;
      void worker?.terminate();
      this.onError(new Error(`Spanlight: indexing on the main thread (no worker thread: ${String(err)})`));
    }
    return this.worker;
  }

  /**
   * A dead worker is not restarted (whatever killed it would likely kill the next one too); what it
   * had not answered yet is indexed here, so no export fails because of it.
   */
  private abandon(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.workerBroken = true;
    this.onError(new Error(`Spanlight: indexing on the main thread from now on (${err.message})`));
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      try {
        p.resolve(indexTracesProtobuf(p.body, this.priceOverrides));
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private settle(response: IndexResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (!response.ok) {
      pending.reject(response.decodeError ? new OtlpDecodeError(response.message) : new Error(response.message));
      return;
    }
    const lines = unpackViews(response.lines);
    const indexTails = unpackViews(response.indexTails);
    const spans = response.fields.map((fields, i): IndexedSpan => ({ fields, encoded: { line: lines[i], indexTail: indexTails[i] } }));
    pending.resolve({ spans, rejected: response.rejected, errors: response.errors });
  }

  private rejectAll(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }
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
