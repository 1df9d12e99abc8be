// Sends each export the receivers accepted on to an upstream OTLP/HTTP endpoint (forwardTarget.ts), as
// the bytes it came in: a Collector, Langfuse or Phoenix sees what the app sent, and Spanlight stays a
// local viewer in front of it rather than growing into a server.
//
// Forwarding never holds up ingest: the receiver answers the app and stores the spans whatever the
// upstream does. Exports wait in a queue bounded by bytes; an upstream that is down or slow makes
// the oldest ones drop (counted), never memory grow. Retries follow the OTLP/HTTP spec: 429, 502, 503
// and 504 and network failures are retried with exponential backoff (or the Retry-After the server
// gives); any other error status is final for that export.
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import { Emitter, type Disposable } from '../base/emitter';
import { SlotPool } from '../base/slotPool';
import { OTLP_CONTENT_TYPES, type OtlpEncoding } from '../otlp/responses';
import type { ForwardStatus } from '../protocol/model';
import type { ReceivedSignal } from '../receiver/sink';
import type { ForwardTarget } from './forwardTarget';
import { postExport, UpstreamAgents } from './postExport';

const gzipAsync = promisify(gzip);

/** OTLP/HTTP: "the client SHOULD retry" only on these; anything else is not retryable. */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface ForwarderOptions {
  /** Exports waiting beyond this many bytes drop, oldest first (default 32 MiB). */
  maxQueueBytes?: number;
  /** An export unanswered for this long is retried (default 10 s). */
  timeoutMs?: number;
  /** The first retry delay, doubled per failure up to maxBackoffMs (defaults 1 s and 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

interface QueuedExport {
  signal: ReceivedSignal;
  encoding: OtlpEncoding;
  body: Buffer;
  /** The pooled memory `body` is a view of, given back once the export is done with. */
  slot?: Buffer;
  /** The body as sent (gzipped once, for every attempt). */
  wire?: Buffer;
}

type Outcome = { kind: 'sent' } | { kind: 'retry'; message: string; afterMs?: number } | { kind: 'rejected'; message: string } | { kind: 'stopped' };

/** Exports sent at once: enough to keep a remote upstream busy, few enough to keep order roughly. */
const MAX_IN_FLIGHT = 2;
/**
 * Copies of big exports go into reused memory: a fresh megabyte per export cost ~1 ms of page faults
 * on the main thread here (~10 µs a fault on these VMs) and, outside the JS heap, drives full GCs on
 * newer V8s (see src/ingest/recordArenas.ts). Smaller ones are not worth it.
 */
const POOLED_COPY_BYTES = 64 * 1024;
const MAX_POOLED_BYTES = 8 * 1024 * 1024;

export class OtlpForwarder implements Disposable {
  private readonly queue: QueuedExport[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = 0;
  private disposed = false;
  private readonly aborts = new Set<AbortController>();
  private readonly agents = new UpstreamAgents();
  private readonly copies = new SlotPool<Buffer>((bytes) => Buffer.allocUnsafeSlow(bytes), MAX_POOLED_BYTES);
  private readonly idle = new Set<() => void>();
  /**
   * Exports leave the machine gzipped, unless the upstream answered a gzipped one with 415 Unsupported
   * Media Type, the status HTTP gives to an unsupported Content-Encoding. At the fastest level: on the
   * benchmark's 1 MB exports it compresses 3.6× in 7.5 ms of CPU, against 4.0× in 27 ms at zlib's default.
   */
  private gzip: boolean;
  private current: ForwardStatus;
  private readonly onDidChangeStatusEmitter = new Emitter<ForwardStatus>();
  /** Fires when the state or the error changes (not per export). */
  readonly onDidChangeStatus = this.onDidChangeStatusEmitter.event;
  private readonly onDidStartDroppingEmitter = new Emitter<ForwardStatus>();
  /** Fires at the first export dropped: exports are being lost upstream. Later drops are only counted. */
  readonly onDidStartDropping = this.onDidStartDroppingEmitter.event;
  private readonly maxQueueBytes: number;
  private readonly timeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    readonly target: ForwardTarget,
    options: ForwarderOptions = {},
  ) {
    this.maxQueueBytes = options.maxQueueBytes ?? 32 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.gzip = !target.loopback;
    this.current = { endpoint: target.endpoint, state: 'ok', sent: 0, rejected: 0, dropped: 0, queued: 0 };
  }

  get status(): ForwardStatus {
    return { ...this.current, queued: this.queue.length + this.inFlight };
  }

  /** Queues a copy of `body` (the caller's memory is reused once it returns). */
  forward(signal: ReceivedSignal, encoding: OtlpEncoding, body: Uint8Array): void {
    if (this.disposed) return;
    if (body.byteLength > this.maxQueueBytes) {
      this.countDrop();
      return;
    }
    this.enqueue({ signal, encoding, ...this.copyOf(body) }, 'back');
    this.pump();
  }

  /** Resolves once nothing is queued or in flight, or after `timeoutMs`, whichever comes first. */
  drained(timeoutMs = Infinity): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.idle.delete(done);
        resolve();
      };
      const timer = Number.isFinite(timeoutMs) ? setTimeout(done, timeoutMs) : undefined;
      this.idle.add(done);
    });
  }

  /** Stops at once: requests in flight are aborted, queued exports dropped. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    for (const abort of this.aborts) abort.abort();
    this.agents.destroy();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.wakeIdle();
    this.onDidChangeStatusEmitter.dispose();
    this.onDidStartDroppingEmitter.dispose();
  }

  private copyOf(body: Uint8Array): { body: Buffer; slot?: Buffer } {
    if (body.byteLength < POOLED_COPY_BYTES) return { body: Buffer.from(body) };
    const slot = this.copies.take(body.byteLength);
    slot.set(body);
    return { body: slot.subarray(0, body.byteLength), slot };
  }

  /** The export will not be sent (again): its memory can take another one. */
  private done(item: QueuedExport): void {
    if (item.slot) this.copies.giveBack(item.slot);
    item.slot = undefined;
  }

  /** Into the queue; the oldest drop while it holds more than its bytes. */
  private enqueue(item: QueuedExport, end: 'front' | 'back'): void {
    if (end === 'front') this.queue.unshift(item);
    else this.queue.push(item);
    this.queuedBytes += item.body.byteLength;
    while (this.queuedBytes > this.maxQueueBytes) {
      const oldest = this.queue.shift() as QueuedExport;
      this.queuedBytes -= oldest.body.byteLength;
      this.countDrop();
      this.done(oldest);
    }
  }

  private countDrop(): void {
    this.current.dropped++;
    if (this.current.dropped === 1) this.onDidStartDroppingEmitter.fire(this.status);
  }

  /** Resolves what drained() waits on. */
  private wakeIdle(): void {
    for (const done of [...this.idle]) done();
  }

  private isIdle(): boolean {
    return this.disposed || (this.queue.length === 0 && this.inFlight === 0);
  }

  private pump(): void {
    while (!this.disposed && this.retryTimer === undefined && this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const item = this.queue.shift() as QueuedExport;
      this.queuedBytes -= item.body.byteLength;
      this.inFlight++;
      void this.send(item).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.isIdle()) this.wakeIdle();
      });
    }
  }

  private async send(item: QueuedExport): Promise<void> {
    const outcome = await this.post(item);
    if (this.disposed) return;
    if (outcome.kind !== 'retry') this.done(item);
    switch (outcome.kind) {
      case 'sent':
        this.backoffMs = 0;
        this.current.sent++;
        this.setState('ok', undefined);
        return;
      case 'rejected':
        this.current.rejected++;
        this.setState('rejected', outcome.message);
        return;
      case 'retry': {
        // Back at the head, unless newer exports filled the queue meanwhile: then it is the oldest.
        this.enqueue(item, 'front');
        this.backoffMs = Math.min(this.maxBackoffMs, this.backoffMs === 0 ? this.initialBackoffMs : this.backoffMs * 2);
        this.scheduleRetry(outcome.afterMs ?? this.backoffMs);
        this.setState('retrying', outcome.message);
        return;
      }
      default:
        return;
    }
  }

  private scheduleRetry(delayMs: number): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delayMs);
    // A CLI or test process with nothing else to do exits rather than wait for an upstream.
    this.retryTimer.unref();
  }

  private async post(item: QueuedExport): Promise<Outcome> {
    const { target } = this;
    const gzipped = this.gzip;
    if (!gzipped) item.wire = item.body;
    item.wire ??= await gzipAsync(item.body, { level: constants.Z_BEST_SPEED });
    if (this.disposed) return { kind: 'stopped' };
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(new TimeoutError()), this.timeoutMs);
    try {
      const headers = { ...target.headers, 'content-type': OTLP_CONTENT_TYPES[item.encoding], ...(gzipped ? { 'content-encoding': 'gzip' } : {}) };
      const answer = await postExport(target.urls[item.signal], headers, item.wire, this.agents, abort.signal);
      if (answer.status >= 200 && answer.status < 300) return { kind: 'sent' };
      if (gzipped && answer.status === 415) {
        this.gzip = false;
        return await this.post(item);
      }
      const message = `HTTP ${answer.status} (${item.signal})${errorDetail(answer.contentType, answer.text)}`;
      if (RETRYABLE_STATUS.has(answer.status)) return { kind: 'retry', message, afterMs: retryAfterMs(answer.retryAfter) };
      return { kind: 'rejected', message };
    } catch (err) {
      if (this.disposed) return { kind: 'stopped' };
      if (abort.signal.reason instanceof TimeoutError) return { kind: 'retry', message: `no answer within ${this.timeoutMs / 1000} s` };
      return { kind: 'retry', message: networkError(err) };
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }

  private setState(state: ForwardStatus['state'], lastError: string | undefined): void {
    if (this.current.state === state && this.current.lastError === lastError) return;
    this.current.state = state;
    this.current.lastError = lastError;
    this.onDidChangeStatusEmitter.fire(this.status);
  }
}

class TimeoutError extends Error {}

/** A server's Retry-After: delay-seconds or an HTTP date; capped, so one odd answer cannot stall forwarding. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 60_000) : undefined;
}

/** The start of an error body that is text (OTLP servers answer JSON or text; protobuf Status is not readable here). */
function errorDetail(contentType: string | undefined, text: string): string {
  if (!text || !/json|text/i.test(contentType ?? '')) return '';
  let detail = text;
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') detail = parsed.message;
  } catch {
    // Not JSON: the text as it is.
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail ? `: ${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail}` : '';
}

/** The socket's error code (ECONNREFUSED, ENOTFOUND, ECONNRESET…) or, for TLS and others, its message. */
function networkError(err: unknown): string {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return `cannot reach the endpoint (${code})`;
  return `cannot reach the endpoint (${typeof message === 'string' ? message : String(err)})`;
}
