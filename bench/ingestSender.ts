// The exporter side of bench/ingest.ts, run as its own process (forked with --import tsx) so the sender
// and the receiver share the cores as an instrumented app and Spanlight do. It builds every request
// first (not timed), then sends them with a fixed number in flight, as one of the exporters it stands
// for would (SenderTransport: POSTed over one keep-alive agent per receiver, or over one gRPC channel),
// and reports when each request was sent and answered, and each receiver's RSS and CPU time.
// With two receivers (--compare) it alternates rounds between them, so both see the same machine noise.
// After each round it tells the orchestrator (RoundDone) and waits for Continue: the orchestrator times a
// bare decode of the same payloads there, so each round's throughput has its own denominator.
import { readdirSync, readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import http from 'node:http';
import { Readable } from 'node:stream';
import { buildRequest, digest, otlpJsonOf, SPANS_PER_REQUEST } from './ingestPayloads';
import { TRACE_EXPORT_PATH } from '../src/otlp/otlpSchema';
import { cpuOfStat, type ThreadCpu } from './procStat';

export interface SenderTarget {
  url: string;
  /** host:port of its OTLP/gRPC port, for transport 'grpc'. */
  grpc?: string;
  /** The receiver's pid, to sample its RSS and CPU time from /proc. */
  pid: number;
}

export interface SenderConfig {
  targets: SenderTarget[];
  requests: number;
  warmup: number;
  concurrency: number;
  /** Consecutive requests sent to one receiver before switching to the next. */
  roundSize: number;
  seed: number;
  /** Numbers of stored spans after which each receiver's RSS is sampled. */
  rssAt: number[];
  transport: SenderTransport;
}

/**
 * How each export is sent. 'http': POST /v1/traces with its Content-Length, as Python's, Go's and
 * Java's OTLP/HTTP exporters send it. 'chunked': streamed without one (Transfer-Encoding: chunked), as
 * the OTel JS SDK's exporters do (they pipe a Readable into the request). 'grpc': TraceService/Export,
 * Python's default exporter. 'json': the same exports in OTLP/JSON, streamed as the OTel JS SDK's
 * `@opentelemetry/exporter-trace-otlp-http` sends them.
 */
export type SenderTransport = 'http' | 'chunked' | 'grpc' | 'json';

export interface RequestTiming {
  index: number;
  /** Spans acknowledged (stored) by this receiver when this request was answered, warmup included. */
  storedAfter: number;
  sentMs: number;
  doneMs: number;
  /** The receiver's CPU time (all threads, 10 ms ticks) when the answer arrived: robust to machine noise. */
  receiverCpuMs: number;
}

export interface TargetReport {
  timings: RequestTiming[];
  rss: { stored: number; rssBytes: number }[];
  /** Receiver CPU time (all threads) during its timed requests. */
  cpuMs: number;
  /**
   * The same, per thread (Linux: /proc/<pid>/task), busiest first; the main thread's tid is the pid.
   * With each thread's minor page faults: on some VMs one costs ~10 µs, far more than on bare metal.
   */
  threadCpuMs: ({ tid: number; main: boolean } & ThreadCpu)[];
}

/** Sender → orchestrator after each timed round; the sender waits for Continue before the next. */
export interface RoundDone {
  type: 'round';
}
export interface Continue {
  type: 'continue';
}

export interface SenderReport {
  type: 'report';
  generateMs: number;
  payloadBytes: number;
  /** sha256 prefix of the first 8 requests: must match the orchestrator's copies (same bytes decoded there). */
  firstDigest: string;
  targets: TargetReport[];
  /** This sender's CPU time during the timed requests. */
  cpuMs: number;
}

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) * 1024 : NaN;
}

const NO_CPU: ThreadCpu = { userMs: 0, systemMs: 0, faults: 0 };

/** utime + stime of a process in ms: all its threads, including those that have ended. */
function cpuMsOf(pid: number): number {
  const { userMs, systemMs } = cpuOfStat(`/proc/${pid}/stat`);
  return userMs + systemMs;
}

/** utime, stime and faults of each thread of a process, by tid (threads come and go: missing ones are 0). */
function threadCpuOf(pid: number): Map<number, ThreadCpu> {
  const threads = new Map<number, ThreadCpu>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      threads.set(Number(tid), cpuOfStat(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

function exportOverGrpc(client: grpc.Client, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(TRACE_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, body, (err) => (err ? reject(err) : resolve()));
  });
}

function post(agent: http.Agent, url: URL, body: Buffer, transport: SenderTransport): Promise<void> {
  const contentType = transport === 'json' ? 'application/json' : 'application/x-protobuf';
  const chunked = transport === 'chunked' || transport === 'json';
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/traces',
        method: 'POST',
        headers: chunked ? { 'content-type': contentType } : { 'content-type': contentType, 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200) resolve();
          else reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (chunked) Readable.from([body]).pipe(req);
    else req.end(body);
  });
}

class Receiver {
  readonly url: URL;
  readonly agent: http.Agent;
  stored = 0;
  cpuMs = 0;
  readonly threadCpuMs = new Map<number, ThreadCpu>();
  readonly timings: RequestTiming[] = [];
  private readonly grpcClient: grpc.Client | undefined;
  readonly rss: { stored: number; rssBytes: number }[] = [];
  private readonly rssPoints: number[];

  constructor(
    readonly target: SenderTarget,
    concurrency: number,
    rssAt: number[],
    private readonly transport: SenderTransport,
  ) {
    this.url = new URL(target.url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    if (transport === 'grpc') {
      if (!target.grpc) throw new Error(`${target.url} has no gRPC port`);
      // One channel (one HTTP/2 connection) carrying the exports in flight, as an SDK's exporter does.
      this.grpcClient = new grpc.Client(target.grpc, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
    }
    this.rssPoints = [...rssAt].sort((a, b) => a - b);
  }

  /** Sends payloads[from, to) with `concurrency` requests in flight. */
  async send(payloads: Buffer[], from: number, to: number, concurrency: number, record: boolean): Promise<void> {
    let next = from;
    const cpu0 = cpuMsOf(this.target.pid);
    const threads0 = record ? threadCpuOf(this.target.pid) : undefined;
    const worker = async (): Promise<void> => {
      while (next < to) {
        const index = next++;
        const sentMs = performance.now();
        await (this.grpcClient ? exportOverGrpc(this.grpcClient, payloads[index]) : post(this.agent, this.url, payloads[index], this.transport));
        this.stored += SPANS_PER_REQUEST;
        while (this.rssPoints.length > 0 && this.stored >= this.rssPoints[0]) {
          this.rss.push({ stored: this.rssPoints.shift() as number, rssBytes: rssOf(this.target.pid) });
        }
        if (record) this.timings.push({ index, storedAfter: this.stored, sentMs, doneMs: performance.now(), receiverCpuMs: cpuMsOf(this.target.pid) });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (record) this.cpuMs += cpuMsOf(this.target.pid) - cpu0;
    if (threads0) {
      for (const [tid, now] of threadCpuOf(this.target.pid)) {
        const before = threads0.get(tid) ?? NO_CPU;
        const sum = this.threadCpuMs.get(tid) ?? NO_CPU;
        this.threadCpuMs.set(tid, {
          userMs: sum.userMs + now.userMs - before.userMs,
          systemMs: sum.systemMs + now.systemMs - before.systemMs,
          faults: sum.faults + now.faults - before.faults,
        });
      }
    }
  }

  close(): void {
    this.agent.destroy();
    this.grpcClient?.close();
  }

  threadReport(): TargetReport['threadCpuMs'] {
    return [...this.threadCpuMs]
      .map(([tid, cpu]) => ({ tid, main: tid === this.target.pid, ...cpu }))
      .sort((a, b) => b.userMs + b.systemMs - (a.userMs + a.systemMs));
  }
}

async function run(config: SenderConfig): Promise<SenderReport> {
  const g0 = performance.now();
  const total = config.warmup + config.requests;
  const requests = Array.from({ length: total }, (_, i) => buildRequest(i, config.seed));
  const payloads = config.transport === 'json' ? requests.map((r) => Buffer.from(JSON.stringify(otlpJsonOf(r)))) : requests;
  const generateMs = performance.now() - g0;
  const receivers = config.targets.map((t) => new Receiver(t, config.concurrency, config.rssAt, config.transport));
  for (const r of receivers) await r.send(payloads, 0, config.warmup, config.concurrency, false);
  const cpu0 = process.cpuUsage();
  // Each receiver gets every request, in rounds of roundSize, taking turns, and each goes first in every
  // other round. When A always went first, one build against itself measured B/A 1.13 and 1.19 spans/s
  // (the receiver that follows the orchestrator's bare decode is slower); alternating, 1.00 and 1.01.
  for (let from = config.warmup, round = 0; from < total; from += config.roundSize, round++) {
    const to = Math.min(total, from + config.roundSize);
    for (const r of round % 2 === 0 ? receivers : [...receivers].reverse()) await r.send(payloads, from, to, config.concurrency, true);
    await roundDone();
  }
  const cpu = process.cpuUsage(cpu0);
  for (const r of receivers) r.close();
  return {
    type: 'report',
    generateMs,
    payloadBytes: payloads.reduce((n, p) => n + p.length, 0),
    // Of the protobuf exports: the orchestrator's bare decode checks it holds the same ones.
    firstDigest: digest(requests.slice(0, 8)),
    targets: receivers.map((r) => ({ timings: r.timings, rss: r.rss, cpuMs: r.cpuMs, threadCpuMs: r.threadReport() })),
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

let continueRound: (() => void) | undefined;

function roundDone(): Promise<void> {
  return new Promise((resolve) => {
    continueRound = resolve;
    process.send?.({ type: 'round' } satisfies RoundDone);
  });
}

process.on('message', (message: SenderConfig | Continue) => {
  if ('type' in message) {
    continueRound?.();
    return;
  }
  run(message).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
