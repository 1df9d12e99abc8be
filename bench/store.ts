// TraceStore benchmark: 100k realistic spans (agent traces with 2–8 KB of messages per LLM call)
// inserted in batches of 512, then reopen and read latencies.
//   node --import tsx bench/store.ts [--spans 100000] [--keep]
// BENCH_TRACE=1 also prints the average batch time every 20 batches (to see it stay flat).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Span } from '../src/protocol/model';
import { TraceStore } from '../src/store';

const argValue = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const TOTAL = argValue('--spans', 100_000);
const BATCH = 512;
const SPANS_PER_TRACE = 8;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Deterministic pseudo-random numbers so runs are comparable.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const WORDS = 'the order refund customer shipping policy invoice weather tool agent answer question context retrieved document summary city price delay account'.split(' ');
function prose(bytes: number): string {
  let out = '';
  while (out.length < bytes) out += WORDS[Math.floor(random() * WORDS.length)] + (random() < 0.1 ? '. ' : ' ');
  return out.slice(0, bytes);
}
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const nano = (ms: number) => (1_700_000_000_000_000_000n + BigInt(Math.round(ms * 1e6))).toString();

function base(traceId: string, spanId: string, parentSpanId: string | undefined, name: string, startMs: number, durMs: number): Span {
  return {
    traceId, spanId, parentSpanId, name, kind: 'INTERNAL',
    startTimeUnixNano: nano(startMs), endTimeUnixNano: nano(startMs + durMs), durationMs: durMs,
    status: { code: random() < 0.03 ? 'ERROR' : 'UNSET' },
    attributes: { 'code.filepath': 'src/agent.ts', 'code.lineno': 42 },
    events: [], links: [],
    resource: { 'service.name': random() < 0.5 ? 'support-bot' : 'checkout', 'telemetry.sdk.language': 'nodejs' },
    scope: { name: '@opentelemetry/instrumentation-openai', version: '0.21.0' },
  };
}

function chatSpan(traceId: string, spanId: string, parent: string, startMs: number): Span {
  const size = 2048 + Math.floor(random() * 6144);
  const model = random() < 0.7 ? 'gpt-4o-mini' : 'claude-sonnet-4';
  const input = Math.floor(size / 4);
  const output = 50 + Math.floor(random() * 300);
  return {
    ...base(traceId, spanId, parent, `chat ${model}`, startMs, 400 + random() * 2000),
    llm: {
      operation: 'chat', provider: 'openai', requestModel: model, responseModel: model,
      params: { temperature: 0.2, max_tokens: 1024 },
      inputMessages: [
        { role: 'system', content: prose(Math.floor(size * 0.5)) },
        { role: 'user', content: prose(Math.floor(size * 0.3)) },
      ],
      outputMessages: [{ role: 'assistant', content: prose(Math.floor(size * 0.2)), finishReason: 'stop' }],
      finishReasons: ['stop'],
      usage: { inputTokens: input, outputTokens: output, totalTokens: input + output },
      costUsd: model === 'gpt-4o-mini' ? input * 0.15e-6 + output * 0.6e-6 : undefined,
      convention: ['genai'],
    },
  };
}

/** One agent trace of 8 spans: request → agent → 3 chat calls, 2 tools, 1 HTTP client span. */
function trace(n: number): Span[] {
  const traceId = hex(n, 32);
  const id = (k: number) => hex(n * 16 + k, 16);
  const t0 = n * 50;
  const spans = [
    base(traceId, id(0), undefined, 'POST /api/chat', t0, 5000),
    base(traceId, id(1), id(0), 'invoke_agent support', t0 + 1, 4900),
    chatSpan(traceId, id(2), id(1), t0 + 2),
    { ...base(traceId, id(3), id(1), 'execute_tool get_order', t0 + 1500, 30), llm: { operation: 'tool', params: {}, inputMessages: [], outputMessages: [], finishReasons: [], usage: {}, convention: ['genai'], tool: { name: 'get_order', arguments: '{"id":42}', result: prose(300) } } } satisfies Span,
    chatSpan(traceId, id(4), id(1), t0 + 1600),
    { ...base(traceId, id(5), id(1), 'execute_tool search_docs', t0 + 3000, 80), llm: { operation: 'tool', params: {}, inputMessages: [], outputMessages: [], finishReasons: [], usage: {}, convention: ['genai'], tool: { name: 'search_docs', arguments: '{"q":"refund"}', result: prose(600) } } } satisfies Span,
    chatSpan(traceId, id(6), id(1), t0 + 3100),
    base(traceId, id(7), id(6), 'POST https://api.openai.com/v1/chat/completions', t0 + 3101, 1500),
  ];
  // Spans are exported as they end: children before parents.
  return spans.reverse();
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

interface InsertResult {
  inserted: number;
  traces: number;
  jsonBytes: number;
  totalMs: number;
  upsertMs: number;
  batchMs: { stored: number; ms: number }[];
  mem: NodeJS.MemoryUsage;
  listMs: number;
  searchMs: number;
  hits: number;
  diskBytes: number;
}

/** Fills the store; its own function so the store is garbage once it returns (for the heap figure). */
async function insert(dir: string, onError: (err: Error) => void): Promise<InsertResult> {
  const store = await TraceStore.open({ dir, onError });
  const batchMs: { stored: number; ms: number }[] = [];
  const pending: Span[] = [];
  let traceNo = 0;
  let inserted = 0;
  let upsertMs = 0;
  let jsonBytes = 0;
  let totalMs = 0;
  while (inserted < TOTAL) {
    while (pending.length < BATCH) pending.push(...trace(traceNo++));
    const batch = pending.splice(0, Math.min(BATCH, TOTAL - inserted));
    for (const s of batch) jsonBytes += JSON.stringify(s).length;
    const t0 = performance.now();
    store.upsertSpans(batch);
    const t1 = performance.now();
    await store.flush();
    const ms = performance.now() - t0;
    upsertMs += t1 - t0;
    totalMs += ms;
    inserted += batch.length;
    batchMs.push({ stored: inserted, ms });
    if (process.env.BENCH_TRACE && batchMs.length % 20 === 0) {
      console.log(`${inserted} spans stored: ${avg(batchMs.slice(-20).map((b) => b.ms)).toFixed(1)} ms per batch`);
    }
  }
  gc();
  const mem = process.memoryUsage();
  const tl = performance.now();
  for (let i = 0; i < 20; i++) store.listTraces({ limit: 100 });
  const listMs = (performance.now() - tl) / 20;
  store.listTraces({ q: 'warm up the lazily built name index' });
  const tq = performance.now();
  const hits = store.listTraces({ q: 'refund customer' }).total;
  const searchMs = performance.now() - tq;
  const diskBytes = store.stats().diskBytes;
  await store.close();
  return { inserted, traces: traceNo, jsonBytes, totalMs, upsertMs, batchMs, mem, listMs, searchMs, hits, diskBytes };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-bench-'));
  const errors: Error[] = [];
  const onError = (err: Error) => errors.push(err);
  const { inserted, traces, jsonBytes, totalMs, upsertMs, batchMs, mem, listMs, searchMs, hits, diskBytes } = await insert(dir, onError);
  // 20 batches around 10k stored, and the last 20 batches (ending at TOTAL stored).
  const near = (target: number) => {
    const end = Math.min(batchMs.length, batchMs.findIndex((b) => b.stored >= target) + 10);
    return batchMs.slice(Math.max(0, end - 20), end).map((b) => b.ms);
  };

  gc();
  const heapBeforeOpen = process.memoryUsage().heapUsed;
  const to = performance.now();
  const store = await TraceStore.open({ dir, onError });
  const reopenMs = performance.now() - to;
  gc();
  const indexHeap = process.memoryUsage().heapUsed - heapBeforeOpen;

  const ids = store.listTraces({ limit: 1000 }).traces.map((s) => s.traceId);
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = ids[Math.floor(random() * ids.length)];
    let t = performance.now();
    const detail = await store.getTrace(id);
    cold.push(performance.now() - t);
    t = performance.now();
    await store.getTrace(id);
    warm.push(performance.now() - t);
    if (detail?.spans.length !== SPANS_PER_TRACE) throw new Error(`trace ${id} has ${detail?.spans.length} spans`);
  }
  const spansAfterReopen = store.stats().spans;
  gc();
  const memAfterReopen = process.memoryUsage();
  await store.close();
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });

  const rows: [string, string][] = [
    ['spans inserted (batches of 512)', `${inserted} (${traces} traces, ${mb(jsonBytes)} MB JSON)`],
    ['upsert + disk, spans/s', (inserted / (totalMs / 1000)).toFixed(0)],
    ['upsert index only, spans/s', (inserted / (upsertMs / 1000)).toFixed(0)],
    ['ms per batch at ~10k stored (median / p95)', `${pct(near(10_000), 0.5).toFixed(1)} / ${pct(near(10_000), 0.95).toFixed(1)}`],
    [`ms per batch at ~${TOTAL / 1000}k stored (median / p95)`, `${pct(near(TOTAL), 0.5).toFixed(1)} / ${pct(near(TOTAL), 0.95).toFixed(1)}`],
    ['RSS / heap used after insert (64 MB cache), MB', `${mb(mem.rss)} / ${mb(mem.heapUsed)}`],
    ['index heap after reopen (no cache), MB', mb(indexHeap)],
    ['RSS / heap used after reopen + 100 reads, MB', `${mb(memAfterReopen.rss)} / ${mb(memAfterReopen.heapUsed)}`],
    ['disk (segments + index), MB', mb(diskBytes)],
    ['reopen time, ms', `${reopenMs.toFixed(0)} (${spansAfterReopen} spans)`],
    ['getTrace 8 spans from disk (avg / p95), ms', `${avg(cold).toFixed(2)} / ${pct(cold, 0.95).toFixed(2)}`],
    ['getTrace 8 spans cached (avg / p95), ms', `${avg(warm).toFixed(2)} / ${pct(warm, 0.95).toFixed(2)}`],
    ['listTraces first page, ms', listMs.toFixed(2)],
    ['listTraces q="refund customer", ms', `${searchMs.toFixed(1)} (${hits} hits)`],
    ['disk errors', String(errors.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\nTraceStore benchmark');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  for (const err of errors.slice(0, 3)) console.error(err.message);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
