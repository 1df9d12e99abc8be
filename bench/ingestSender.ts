// The exporter side of bench/ingest.ts, run as its own process (forked with --import tsx) so the sender
// and the receiver share the cores as an instrumented app and Spanlight do. It builds every request
// first (not timed), then POSTs them over one keep-alive agent with a fixed number in flight and
// reports, per request, when it was sent and answered, and the receiver's RSS at chosen points.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { buildRequest, digest, SPANS_PER_REQUEST } from './ingestPayloads';

export interface SenderConfig {
  url: string;
  requests: number;
  warmup: number;
  concurrency: number;
  seed: number;
  /** The receiver's pid, to sample its RSS from /proc after the given numbers of stored spans. */
  serverPid: number;
  rssAt: number[];
}

export interface RequestTiming {
  index: number;
  /** Spans acknowledged (stored) when this request was answered, warmup included. */
  storedAfter: number;
  sentMs: number;
  doneMs: number;
}

export interface SenderReport {
  type: 'report';
  generateMs: number;
  payloadBytes: number;
  /** sha256 prefix of the first 8 requests: must match the orchestrator's copies (same bytes decoded there). */
  firstDigest: string;
  warmupMs: number;
  timings: RequestTiming[];
  rss: { stored: number; rssBytes: number }[];
  /** CPU time of this sender and of the receiver during the timed requests. */
  cpuMs: number;
  serverCpuMs: number;
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : NaN;
}

/** utime + stime of a process in ms (Linux clock ticks are 1/100 s). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function post(agent: http.Agent, url: URL, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/traces',
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
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
    req.end(body);
  });
}

async function run(config: SenderConfig): Promise<SenderReport> {
  const g0 = performance.now();
  const total = config.warmup + config.requests;
  const payloads = Array.from({ length: total }, (_, i) => buildRequest(i, config.seed));
  const generateMs = performance.now() - g0;
  const url = new URL(config.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  let stored = 0;
  const rssPoints = [...config.rssAt].sort((a, b) => a - b);
  const rss: { stored: number; rssBytes: number }[] = [];
  const timings: RequestTiming[] = [];

  const sendRange = async (from: number, to: number, record: boolean): Promise<void> => {
    let next = from;
    const worker = async (): Promise<void> => {
      while (next < to) {
        const index = next++;
        const sentMs = performance.now();
        await post(agent, url, payloads[index]);
        stored += SPANS_PER_REQUEST;
        while (rssPoints.length > 0 && stored >= rssPoints[0]) rss.push({ stored: rssPoints.shift() as number, rssBytes: rssOf(config.serverPid) });
        if (record) timings.push({ index, storedAfter: stored, sentMs, doneMs: performance.now() });
      }
    };
    await Promise.all(Array.from({ length: config.concurrency }, worker));
  };

  const w0 = performance.now();
  await sendRange(0, config.warmup, false);
  const warmupMs = performance.now() - w0;
  const cpu0 = process.cpuUsage();
  const serverCpu0 = cpuMsOf(config.serverPid);
  await sendRange(config.warmup, total, true);
  const serverCpuMs = cpuMsOf(config.serverPid) - serverCpu0;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return {
    type: 'report',
    generateMs,
    payloadBytes: payloads.reduce((n, p) => n + p.length, 0),
    firstDigest: digest(payloads.slice(0, 8)),
    warmupMs,
    timings,
    rss,
    cpuMs: (cpu.user + cpu.system) / 1000,
    serverCpuMs,
  };
}

process.on('message', (config: SenderConfig) => {
  run(config).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
