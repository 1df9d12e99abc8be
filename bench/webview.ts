// Webview benchmark in a real VS Code (code-server + headless Chromium, the packaged VSIX):
//   (a) opening a 10,000-span trace: click on its row → first rows painted, and → every row in the tree
//       (the webview's own performance measures, plus the wall time Playwright observes), span rows in the DOM;
//   (b) the trace list at 10,000 traces: scroll the virtual list through all of them from one rAF loop inside
//       the webview (a fast fling of 8 rows a frame, down/up/down, the pointer resting over the list as with a
//       wheel; then 2 rows a frame over 2,000 rows; then once more after the view reloaded, paging in as it
//       goes); frame intervals (median / p95, frames > 50 ms), long tasks, trace rows in the DOM;
//   (c) POST → visible: from the receiver's 200 response to the trace's row in the sidebar DOM, timed in the
//       page by a MutationObserver and put on the Node clock with a measured clock offset (p50 / p95), with
//       a short list and again with 10,000 traces listed.
// Targets: (a) ≤ 300 ms, < 500 span rows in the DOM; (c) p95 ≤ 100 ms. The scroll targets are proposed here
// (none was set): median frame ≤ 17.5 ms, p95 ≤ 50 ms, ≤ 2% of frames over 50 ms.
// Frame times depend on what else runs: code-server, the extension host and Chromium share the cores with
// this script, and the workbench and the webviews share one renderer main thread. The load is printed.
//   node --import tsx bench/webview.ts
//   SPANLIGHT_VSIX=/tmp/spanlight.vsix node --import tsx bench/webview.ts   (skip the build)
// Options: --rounds 7 (big-trace opens), --latency 40 (traces per POST→visible series), --traces 10000,
//   --scroll-rows 8 (rows per frame), --scroll-rounds 3.
// Results: printed, and written to bench/results/webview-<date>.json (gitignored).
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { otlpTypes } from '../src/otlp/otlpSchema';
import type { TraceList } from '../src/protocol/model';
import { startSession, type E2eSession } from '../test/e2e/session';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const OPEN_ROUNDS = arg('--rounds', 7);
const LATENCY_TRACES = Math.max(30, arg('--latency', 40));
const LIST_TRACES = arg('--traces', 10_000);
const SCROLL_ROWS_PER_FRAME = arg('--scroll-rows', 8);
const SCROLL_ROUNDS = arg('--scroll-rounds', 3);
const BIG_SPANS = 10_000;
/** OTLP exporters batch 512 spans per request by default (BatchSpanProcessor). */
const SPANS_PER_REQUEST = 512;
const TRACES_PER_REQUEST = 250;

const TARGETS = {
  openFirstPaintMs: 300,
  openCompleteMs: 300,
  openDomRows: 500,
  // The issue sets no scroll target; these are proposed: 60 fps typical, no worse than 20 fps at p95,
  // and at most 2% of frames over 50 ms (a visible hitch).
  scrollMedianFrameMs: 17.5,
  scrollP95FrameMs: 50,
  scrollLongFramesPct: 2,
  visibleP95Ms: 100,
};

// ── small helpers ──────────────────────────────────────────────────────────────────────────────

const nowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => {
  const s = sorted(xs);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile. */
const pct = (xs: number[], p: number): number => {
  const s = sorted(xs);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const r1 = (n: number) => Math.round(n * 10) / 10;
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const uptime = (): string => {
  try {
    return execSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;
  }
};
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${message}`);

// ── OTLP payloads (protobuf, encoded with the receiver's own schema) ──────────────────────────────

type Attr = { key: string; value: { stringValue?: string; intValue?: number } };
const attr = (key: string, value: string | number): Attr => (typeof value === 'string' ? { key, value: { stringValue: value } } : { key, value: { intValue: value } });
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes?: Attr[];
  error?: boolean;
}

function encode(service: string, spans: SpanSpec[]): Uint8Array {
  const id = (h: string) => Buffer.from(h, 'hex');
  return otlpTypes.ExportTraceServiceRequest.encode(
    otlpTypes.ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [attr('service.name', service)] },
          scopeSpans: [
            {
              scope: { name: 'spanlight-bench' },
              spans: spans.map((s) => ({
                traceId: id(s.traceId),
                spanId: id(s.spanId),
                parentSpanId: s.parentSpanId ? id(s.parentSpanId) : undefined,
                name: s.name,
                kind: s.parentSpanId ? 3 : 1,
                startTimeUnixNano: String(s.startNs),
                endTimeUnixNano: String(s.endNs),
                attributes: s.attributes ?? [],
                status: { code: s.error ? 2 : 1 },
              })),
            },
          ],
        },
      ],
    }),
  ).finish();
}

const chatAttrs = (input: number, output: number): Attr[] => [
  attr('gen_ai.operation.name', 'chat'),
  attr('gen_ai.provider.name', 'openai'),
  attr('gen_ai.request.model', 'gpt-4o-mini'),
  attr('gen_ai.response.model', 'gpt-4o-mini-2024-07-18'),
  attr('gen_ai.usage.input_tokens', input),
  attr('gen_ai.usage.output_tokens', output),
];

/** An agent run of 10,000 spans: root → 99 steps → 100 calls each (every 4th an LLM call), 3 levels. */
function bigTrace(traceId: string): { rootId: string; spans: SpanSpec[] } {
  const ms = 1_000_000n;
  const start = BigInt(Date.now() - 120_000) * ms;
  const rootId = hex(1, 16);
  const spans: SpanSpec[] = [];
  let next = 2;
  for (let step = 0; step < 99; step++) {
    const stepId = hex(next++, 16);
    const stepStart = start + BigInt(step) * 1_000n * ms;
    spans.push({ traceId, spanId: stepId, parentSpanId: rootId, name: `agent step ${step % 10}`, startNs: stepStart, endNs: stepStart + 990n * ms });
    for (let call = 0; call < 100; call++) {
      const callStart = stepStart + BigInt(call) * 9n * ms;
      const llm = call % 4 === 0;
      spans.push({
        traceId,
        spanId: hex(next++, 16),
        parentSpanId: stepId,
        name: llm ? 'chat gpt-4o-mini' : ['execute_tool search', 'execute_tool fetch_page', 'retrieval docs'][call % 3],
        startNs: callStart,
        endNs: callStart + 8n * ms,
        attributes: llm ? chatAttrs(400 + call, 60) : [],
        error: call === 57 && step % 33 === 0,
      });
    }
  }
  // The root ends last, so real exporters send it last.
  spans.push({ traceId, spanId: rootId, name: 'invoke_agent research-agent', startNs: start, endNs: start + 100_000n * ms });
  if (spans.length !== BIG_SPANS) throw new Error(`built ${spans.length} spans`);
  return { rootId, spans };
}

/** A small trace: an agent span with one LLM call and one tool call. */
function smallTrace(traceId: string, name: string, startMs: number): SpanSpec[] {
  const ms = 1_000_000n;
  const start = BigInt(Math.round(startMs)) * ms;
  const root = traceId.slice(0, 14) + '01';
  return [
    { traceId, spanId: root, name, startNs: start, endNs: start + 30n * ms },
    { traceId, spanId: traceId.slice(0, 14) + '02', parentSpanId: root, name: 'chat gpt-4o-mini', startNs: start + 1n * ms, endNs: start + 20n * ms, attributes: chatAttrs(120, 30) },
    { traceId, spanId: traceId.slice(0, 14) + '03', parentSpanId: root, name: 'execute_tool lookup', startNs: start + 21n * ms, endNs: start + 29n * ms },
  ];
}

async function post(s: E2eSession, body: Uint8Array): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${s.httpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
  if (response.status !== 200) throw new Error(`POST /v1/traces: ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function listTotal(s: E2eSession): Promise<TraceList> {
  return (await (await fetch(`http://127.0.0.1:${s.httpPort}/api/traces?limit=50`)).json()) as TraceList;
}

async function until<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

// ── the webview ─────────────────────────────────────────────────────────────────────────────────
// Page code is passed as strings: tsx would wrap named inner functions in a __name() helper the page lacks.

async function openSidebar(s: E2eSession): Promise<Frame> {
  await s.page.locator('.activitybar [aria-label^="Spanlight"]').first().click({ timeout: 60_000 });
  return s.launch.findFrameWith(s.page, '[data-testid="empty-state"], [data-testid="trace-list"]', 60_000);
}

/** Switches to the Explorer and back, as a user would: the hidden webview view is torn down and reloads. */
async function reopenSidebar(s: E2eSession, current: Frame): Promise<Frame> {
  await s.page.locator('.activitybar [aria-label^="Explorer"]').first().click();
  await until(async () => (current.isDetached() ? true : undefined), 'the sidebar webview to go away', 30_000);
  return openSidebar(s);
}

const rowSelector = (traceId: string) => `[data-testid="trace-row"][data-trace-id="${traceId}"]`;

/** Scrolls the (virtual) trace list until the row is rendered. */
async function revealRow(frame: Frame, traceId: string): Promise<void> {
  await until(async () => {
    if ((await frame.locator(rowSelector(traceId)).count()) > 0) return true;
    await frame.evaluate(`(() => {
      const list = document.querySelector('[data-testid="trace-list"]');
      if (list.querySelector('[data-trace-id="${traceId}"]')) return;
      list.scrollTop = list.scrollTop + list.clientHeight >= list.scrollHeight - 1 ? 0 : list.scrollTop + list.clientHeight;
    })()`);
    return undefined;
  }, `row ${traceId}`);
}

interface OpenRound {
  firstPaintMs: number;
  completeMs: number;
  wallFirstRowMs: number;
  wallCompleteMs: number;
  spanRowsInDom: number;
  elementsInDom: number;
}

async function entries(frame: Frame, name: string, traceId: string): Promise<{ duration: number; rows: number }[]> {
  return frame.evaluate(
    `performance.getEntriesByName(${JSON.stringify(name)}).filter((e) => e.detail && e.detail.traceId === ${JSON.stringify(traceId)}).map((e) => ({ duration: e.duration, rows: e.detail.rows }))`,
  );
}

async function openOnce(frame: Frame, bigId: string, rootId: string, otherId: string): Promise<OpenRound> {
  // Away first: selecting the trace that is already open does nothing.
  await revealRow(frame, otherId);
  await frame.locator(rowSelector(otherId)).click();
  await frame.locator(`[data-testid="span-row"][data-span-id="${otherId.slice(0, 14)}01"]`).waitFor({ timeout: 60_000 });
  await revealRow(frame, bigId);
  const firstBefore = (await entries(frame, 'spanlight:open-trace', bigId)).length;
  const completeBefore = (await entries(frame, 'spanlight:open-trace-complete', bigId)).length;
  const row = frame.locator(rowSelector(bigId));
  await row.scrollIntoViewIfNeeded();

  const t0 = performance.now();
  await row.click();
  await frame.locator(`[data-testid="span-row"][data-span-id="${rootId}"]`).waitFor({ timeout: 60_000 });
  const wallFirstRowMs = performance.now() - t0;
  // A function, not a string: a string predicate is eval'd in the page, which the webview's CSP forbids.
  await frame.waitForFunction(
    ([id, before]) => performance.getEntriesByName('spanlight:open-trace-complete').filter((e) => (e as { detail?: { traceId?: string } }).detail?.traceId === id).length > Number(before),
    [bigId, completeBefore] as const,
    { polling: 'raf', timeout: 60_000 },
  );
  const wallCompleteMs = performance.now() - t0;
  const first = (await entries(frame, 'spanlight:open-trace', bigId)).slice(firstBefore);
  const complete = (await entries(frame, 'spanlight:open-trace-complete', bigId)).slice(completeBefore);
  if (first.length !== 1 || complete.length !== 1) throw new Error(`expected one new measure of each kind, got ${first.length} / ${complete.length}`);
  if (complete[0].rows !== BIG_SPANS) throw new Error(`complete measure at ${complete[0].rows} rows`);
  const dom = (await frame.evaluate(
    `({ spanRows: document.querySelectorAll('[data-testid="span-row"]').length, elements: document.querySelectorAll('*').length })`,
  )) as { spanRows: number; elements: number };
  return {
    firstPaintMs: first[0].duration,
    completeMs: complete[0].duration,
    wallFirstRowMs,
    wallCompleteMs,
    spanRowsInDom: dom.spanRows,
    elementsInDom: dom.elements,
  };
}

interface ScrollRound {
  direction: 'down' | 'up';
  frames: number;
  seconds: number;
  medianFrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  longFrames: number;
  longTasks: number;
  longestTaskMs: number;
  maxRowsInDom: number;
  rowsScrolled: number;
  framesWaitingForPages: number;
  /** 1-minute load average when the pass ended (other work on this machine skews frame times). */
  loadAvg1m: number;
}

/**
 * One pass through the whole list, driven from a requestAnimationFrame loop inside the webview: every
 * frame moves scrollTop by `rowsPerFrame` rows, and the frame timestamps give the frame intervals.
 */
async function scrollPass(page: Page, frame: Frame, direction: 'down' | 'up', rowsPerFrame: number, total: number, options: { maxRows?: number; timeoutMs?: number } = {}): Promise<ScrollRound> {
  const { maxRows = total, timeoutMs = 180_000 } = options;
  // The pointer rests over the list, as when scrolling with a wheel: rows change hover state as they pass.
  const box = await frame.locator('[data-testid="trace-list"]').boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 120));
  const raw = (await frame.evaluate(`new Promise((resolve) => {
    const list = document.querySelector('[data-testid="trace-list"]');
    const spacer = list.querySelector('.virtual-spacer');
    const rowHeight = 44;
    const step = ${rowsPerFrame} * rowHeight;
    const down = ${direction === 'down'};
    const end = ${total} * rowHeight;
    const stopAt = ${Math.min(total, maxRows)} * rowHeight;
    const stamps = [];
    const rowCounts = [];
    const longTasks = [];
    let waiting = 0;
    let observer;
    try {
      observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration); });
      observer.observe({ type: 'longtask' });
    } catch {}
    const started = performance.now();
    list.scrollTop = down ? 0 : end;
    const tick = (t) => {
      stamps.push(t);
      rowCounts.push(list.getElementsByClassName('trace-row').length);
      const viewport = list.clientHeight;
      const loaded = parseFloat(spacer.style.height) || 0;
      const top = list.scrollTop;
      const done = down ? top + viewport >= end - 1 || top >= stopAt : top <= 0;
      if (done || performance.now() - started > ${timeoutMs}) {
        if (observer) observer.disconnect();
        resolve({ stamps, rowCounts, longTasks, waiting, lastTop: top, loaded, viewport, timedOut: !done });
        return;
      }
      if (down && top + viewport >= loaded - 1) waiting++;
      list.scrollTop = down ? top + step : Math.max(0, top - step);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`)) as { stamps: number[]; rowCounts: number[]; longTasks: number[]; waiting: number; lastTop: number; loaded: number; viewport: number; timedOut: boolean };
  if (raw.timedOut) throw new Error(`scroll ${direction} timed out at scrollTop ${raw.lastTop} (loaded ${raw.loaded}px)`);
  const intervals = raw.stamps.slice(1).map((t, i) => t - raw.stamps[i]);
  return {
    direction,
    frames: intervals.length,
    seconds: Math.round((raw.stamps[raw.stamps.length - 1] - raw.stamps[0]) / 100) / 10,
    medianFrameMs: r1(median(intervals)),
    p95FrameMs: r1(pct(intervals, 95)),
    maxFrameMs: r1(Math.max(...intervals)),
    longFrames: intervals.filter((x) => x > 50).length,
    longTasks: raw.longTasks.length,
    longestTaskMs: r1(Math.max(0, ...raw.longTasks)),
    maxRowsInDom: Math.max(...raw.rowCounts),
    rowsScrolled: Math.round(Math.abs(raw.lastTop - (direction === 'down' ? 0 : total * 44)) / 44),
    framesWaitingForPages: raw.waiting,
    loadAvg1m: r1(loadavg()[0] * 100) / 100,
  };
}

/** Frame intervals with nothing happening: what this machine's headless Chromium does at rest. */
async function idleFrames(frame: Frame, ms = 2000): Promise<{ medianFrameMs: number; p95FrameMs: number; maxFrameMs: number }> {
  const stamps = (await frame.evaluate(`new Promise((resolve) => {
    const stamps = [];
    const started = performance.now();
    const tick = (t) => { stamps.push(t); if (performance.now() - started > ${ms}) resolve(stamps); else requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })`)) as number[];
  const intervals = stamps.slice(1).map((t, i) => t - stamps[i]);
  return { medianFrameMs: r1(median(intervals)), p95FrameMs: r1(pct(intervals, 95)), maxFrameMs: r1(Math.max(...intervals)) };
}

/**
 * page clock − Node clock (epoch ms on both sides), from the evaluate round trip with the smallest RTT:
 * the page's reading happened somewhere inside it, so the error is at most half that RTT.
 */
async function clockOffset(frame: Frame, samples = 30): Promise<{ offsetMs: number; errorMs: number }> {
  let best = { offsetMs: 0, errorMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const before = nowMs();
    const page = (await frame.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = nowMs();
    const error = (after - before) / 2;
    if (error < best.errorMs) best = { offsetMs: page - (before + after) / 2, errorMs: error };
  }
  return best;
}

interface LatencySample {
  requestMs: number;
  responseToDomMs: number;
  responseToNextFrameMs: number;
  postToDomMs: number;
  postToPlaywrightMs: number;
}

/**
 * POST → visible for `count` traces, one at a time. A MutationObserver in the sidebar (set up before the
 * POST) records performance.now() when a row with the trace id enters the list's DOM — inside the frame
 * that paints it — and the next animation frame after that. Both are put on the Node clock.
 */
async function latencySeries(s: E2eSession, frame: Frame, label: string, count: number): Promise<{ samples: LatencySample[]; clock: { offsetMs: number; errorMs: number; driftMs: number } }> {
  await frame.evaluate(`(() => {
    const list = document.querySelector('[data-testid="trace-list"]');
    list.scrollTop = 0;
    if (window.__spanlightLatency) return;
    const state = { wanted: undefined, seen: {} };
    window.__spanlightLatency = state;
    new MutationObserver(() => {
      const id = state.wanted;
      if (!id || state.seen[id]) return;
      if (!list.querySelector('[data-trace-id="' + id + '"]')) return;
      const hit = { dom: performance.timeOrigin + performance.now() };
      state.seen[id] = hit;
      requestAnimationFrame(() => { hit.frame = performance.timeOrigin + performance.now(); });
    }).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-trace-id'] });
  })()`);
  const clock = await clockOffset(frame);
  const samples: LatencySample[] = [];
  for (let i = 0; i < count; i++) {
    const traceId = `${label === 'small list' ? 'a1' : 'a2'}${hex(i, 6)}${'0'.repeat(24)}`;
    const body = encode('bench-latency', smallTrace(traceId, `latency ${label} ${i}`, Date.now()));
    await frame.evaluate(`window.__spanlightLatency.wanted = ${JSON.stringify(traceId)}`);
    const sent = nowMs();
    await post(s, body);
    const answered = nowMs();
    await frame.locator(rowSelector(traceId)).waitFor({ state: 'attached', timeout: 30_000 });
    const playwright = nowMs();
    const hit = (await until(
      async () => {
        const h = (await frame.evaluate(`window.__spanlightLatency.seen[${JSON.stringify(traceId)}]`)) as { dom: number; frame?: number } | undefined;
        return h?.frame ? h : undefined;
      },
      `latency record of ${traceId}`,
      10_000,
    )) as { dom: number; frame: number };
    const dom = hit.dom - clock.offsetMs;
    const next = hit.frame - clock.offsetMs;
    samples.push({
      requestMs: answered - sent,
      responseToDomMs: dom - answered,
      responseToNextFrameMs: next - answered,
      postToDomMs: dom - sent,
      postToPlaywrightMs: playwright - sent,
    });
    await sleep(60 + Math.random() * 60); // off the 60 Hz beat, and one trace at a time
  }
  const after = await clockOffset(frame);
  return { samples, clock: { offsetMs: clock.offsetMs, errorMs: Math.max(clock.errorMs, after.errorMs), driftMs: after.offsetMs - clock.offsetMs } };
}

function summarizeLatency(samples: LatencySample[]) {
  const col = (key: keyof LatencySample) => samples.map((x) => x[key]);
  const stat = (key: keyof LatencySample) => ({ p50: r1(pct(col(key), 50)), p95: r1(pct(col(key), 95)), max: r1(Math.max(...col(key))) });
  return {
    n: samples.length,
    request: stat('requestMs'),
    responseToDom: stat('responseToDomMs'),
    responseToNextFrame: stat('responseToNextFrameMs'),
    postToDom: stat('postToDomMs'),
    postToPlaywright: stat('postToPlaywrightMs'),
  };
}

// ── main ────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const loadBefore = uptime();
  log(`${cpus().length} cores; ${loadBefore}`);
  const started = Date.now();
  const s = await startSession();
  log(`workbench ready in ${Date.now() - started} ms (receiver http ${s.httpPort})`);
  const page: Page = s.page;
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300));
  });
  const result: Record<string, unknown> = { date: new Date().toISOString(), cores: cpus().length, loadBefore };
  try {
    let sidebar = await openSidebar(s);

    // ── (a) a 10,000-span trace ──
    const bigId = 'b1'.repeat(16);
    const big = bigTrace(bigId);
    let t = performance.now();
    for (let i = 0; i < big.spans.length; i += SPANS_PER_REQUEST) await post(s, encode('bench-big', big.spans.slice(i, i + SPANS_PER_REQUEST)));
    const otherId = 'c1'.repeat(16);
    await post(s, encode('bench-small', smallTrace(otherId, 'bench small', Date.now())));
    await until(async () => ((await listTotal(s)).traces.find((x) => x.traceId === bigId)?.spanCount === BIG_SPANS ? true : undefined), 'the 10k-span trace stored');
    log(`10,000-span trace posted and stored in ${fmt(performance.now() - t, 0)} ms`);
    sidebar = await s.launch.findFrameWith(page, '[data-testid="trace-list"]', 60_000);
    await revealRow(sidebar, bigId);

    const opens: OpenRound[] = [];
    for (let round = 0; round <= OPEN_ROUNDS; round++) {
      const r = await openOnce(sidebar, bigId, big.rootId, otherId);
      log(
        `open ${round === 0 ? 'cold ' : `#${round}  `} first rows ${fmt(r.firstPaintMs)} ms, complete ${fmt(r.completeMs)} ms | wall: first row ${fmt(r.wallFirstRowMs, 0)} ms, complete ${fmt(r.wallCompleteMs, 0)} ms | span rows in DOM ${r.spanRowsInDom}, elements ${r.elementsInDom}`,
      );
      opens.push(r);
    }
    const warm = opens.slice(1);
    const open = {
      spans: BIG_SPANS,
      cold: opens[0],
      rounds: warm.length,
      median: {
        firstPaintMs: r1(median(warm.map((x) => x.firstPaintMs))),
        completeMs: r1(median(warm.map((x) => x.completeMs))),
        wallFirstRowMs: r1(median(warm.map((x) => x.wallFirstRowMs))),
        wallCompleteMs: r1(median(warm.map((x) => x.wallCompleteMs))),
      },
      maxSpanRowsInDom: Math.max(...opens.map((x) => x.spanRowsInDom)),
      all: opens,
    };
    result.open = open;

    // ── (c) POST → visible, on a short list ──
    log(`POST → visible, ${LATENCY_TRACES} traces (short list)…`);
    const latencySmall = await latencySeries(s, sidebar, 'small list', LATENCY_TRACES);
    const small = summarizeLatency(latencySmall.samples);
    log(`  200 → row in DOM p50 ${small.responseToDom.p50} p95 ${small.responseToDom.p95} max ${small.responseToDom.max} ms (request p50 ${small.request.p50} ms); clock error ±${fmt(latencySmall.clock.errorMs, 2)} ms`);

    // ── (b) 10,000 traces in the list ──
    t = performance.now();
    const base = Date.now() - 3_600_000; // an hour of traces, oldest first
    const batches: Uint8Array[] = [];
    for (let i = 0; i < LIST_TRACES; i += TRACES_PER_REQUEST) {
      const spans: SpanSpec[] = [];
      for (let j = i; j < Math.min(LIST_TRACES, i + TRACES_PER_REQUEST); j++) spans.push(...smallTrace(`d1${hex(j, 6)}${'0'.repeat(24)}`, `list trace ${j}`, base + j * 300));
      batches.push(encode(`bench-list-${i % 3}`, spans));
    }
    let nextBatch = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (nextBatch < batches.length) await post(s, batches[nextBatch++]);
      }),
    );
    const expectedTotal = (await until(async () => {
      const list = await listTotal(s);
      return list.total >= LIST_TRACES + LATENCY_TRACES + 2 ? list.total : undefined;
    }, `${LIST_TRACES} traces stored`)) as number;
    const postSeconds = (performance.now() - t) / 1000;
    log(`${LIST_TRACES} traces (${batches.length} requests of ${TRACES_PER_REQUEST}) posted and stored in ${fmt(postSeconds, 1)} s; total ${expectedTotal}`);
    await sidebar.locator('[data-testid="trace-count"]', { hasText: `${expectedTotal.toLocaleString('en-US')} traces` }).waitFor({ timeout: 120_000 });
    const countText = (await sidebar.locator('[data-testid="trace-count"]').innerText()).trim();
    log(`sidebar says: ${countText}`);

    const idle = await idleFrames(sidebar);
    log(`idle frames: median ${idle.medianFrameMs} ms, p95 ${idle.p95FrameMs} ms`);
    const scrolls: ScrollRound[] = [];
    for (let round = 0; round < SCROLL_ROUNDS; round++) {
      const r = await scrollPass(page, sidebar, round % 2 === 0 ? 'down' : 'up', SCROLL_ROWS_PER_FRAME, expectedTotal);
      log(
        `scroll ${r.direction.padEnd(4)} ${r.rowsScrolled} rows in ${r.frames} frames (${r.seconds} s): frame median ${r.medianFrameMs} ms, p95 ${r.p95FrameMs} ms, max ${r.maxFrameMs} ms, >50 ms: ${r.longFrames}, long tasks ${r.longTasks} (longest ${r.longestTaskMs} ms), rows in DOM ≤ ${r.maxRowsInDom}, frames waiting for a page ${r.framesWaitingForPages}, load ${r.loadAvg1m}`,
      );
      scrolls.push(r);
    }
    // Ordinary scrolling (2 rows, 88 px a frame: about 5,000 px/s) over the first 2,000 rows.
    await sidebar.evaluate(`document.querySelector('[data-testid="trace-list"]').scrollTop = 0`);
    const gentle = await scrollPass(page, sidebar, 'down', 2, expectedTotal, { maxRows: 2000 });
    log(
      `scroll gently ${gentle.rowsScrolled} rows in ${gentle.frames} frames: frame median ${gentle.medianFrameMs} ms, p95 ${gentle.p95FrameMs} ms, >50 ms: ${gentle.longFrames}, long tasks ${gentle.longTasks}, rows in DOM ≤ ${gentle.maxRowsInDom}`,
    );
    // The same after the view reloads (hidden and shown): it starts from one page and pages in as it scrolls.
    sidebar = await reopenSidebar(s, sidebar);
    await sidebar.locator('[data-testid="trace-row"]').first().waitFor({ timeout: 60_000 });
    const reloadedCount = (await sidebar.locator('[data-testid="trace-count"]').innerText()).trim();
    const paged = await scrollPass(page, sidebar, 'down', SCROLL_ROWS_PER_FRAME, expectedTotal);
    log(
      `after reload (${reloadedCount}): scroll down ${paged.rowsScrolled} rows in ${paged.frames} frames: frame median ${paged.medianFrameMs} ms, p95 ${paged.p95FrameMs} ms, >50 ms: ${paged.longFrames}, rows in DOM ≤ ${paged.maxRowsInDom}, frames waiting for a page ${paged.framesWaitingForPages}`,
    );
    const list = {
      traces: expectedTotal,
      postSeconds: r1(postSeconds),
      sidebarCount: countText,
      rowsPerFrame: SCROLL_ROWS_PER_FRAME,
      idle,
      rounds: scrolls,
      median: {
        medianFrameMs: r1(median(scrolls.map((x) => x.medianFrameMs))),
        p95FrameMs: r1(median(scrolls.map((x) => x.p95FrameMs))),
        longFrames: median(scrolls.map((x) => x.longFrames)),
        longFramesPct: r1(median(scrolls.map((x) => (100 * x.longFrames) / x.frames))),
        maxRowsInDom: Math.max(...scrolls.map((x) => x.maxRowsInDom)),
      },
      gentle,
      afterReload: { count: reloadedCount, ...paged },
    };
    result.list = list;

    // ── (c) again, with 10,000 traces listed ──
    log(`POST → visible, ${LATENCY_TRACES} traces (10k list)…`);
    const latencyBig = await latencySeries(s, sidebar, 'big list', LATENCY_TRACES);
    const bigList = summarizeLatency(latencyBig.samples);
    log(`  200 → row in DOM p50 ${bigList.responseToDom.p50} p95 ${bigList.responseToDom.p95} max ${bigList.responseToDom.max} ms (request p50 ${bigList.request.p50} ms); clock error ±${fmt(latencyBig.clock.errorMs, 2)} ms`);
    result.visible = {
      smallList: { ...small, clock: latencySmall.clock, samples: latencySmall.samples },
      bigList: { ...bigList, clock: latencyBig.clock, samples: latencyBig.samples },
    };

    // ── report ──
    const loadAfter = uptime();
    result.loadAfter = loadAfter;
    result.consoleErrors = consoleErrors;
    const checks = [
      { name: 'open 10k-span trace: click → first rows painted (median, in page)', value: open.median.firstPaintMs, target: `≤ ${TARGETS.openFirstPaintMs} ms`, ok: open.median.firstPaintMs <= TARGETS.openFirstPaintMs },
      { name: 'open 10k-span trace: click → all 10,000 rows in the tree (median, in page)', value: open.median.completeMs, target: `≤ ${TARGETS.openCompleteMs} ms`, ok: open.median.completeMs <= TARGETS.openCompleteMs },
      { name: 'open 10k-span trace: span-row elements in the DOM (max)', value: open.maxSpanRowsInDom, target: `< ${TARGETS.openDomRows}`, ok: open.maxSpanRowsInDom < TARGETS.openDomRows },
      { name: `scroll ${expectedTotal} traces: median frame interval (median of ${scrolls.length} passes)`, value: list.median.medianFrameMs, target: `≤ ${TARGETS.scrollMedianFrameMs} ms (proposed)`, ok: list.median.medianFrameMs <= TARGETS.scrollMedianFrameMs },
      { name: `scroll ${expectedTotal} traces: p95 frame interval (median of ${scrolls.length} passes)`, value: list.median.p95FrameMs, target: `≤ ${TARGETS.scrollP95FrameMs} ms (proposed)`, ok: list.median.p95FrameMs <= TARGETS.scrollP95FrameMs },
      { name: `scroll ${expectedTotal} traces: frames > 50 ms, % of frames (median of passes)`, value: list.median.longFramesPct, target: `≤ ${TARGETS.scrollLongFramesPct}% (proposed)`, ok: list.median.longFramesPct <= TARGETS.scrollLongFramesPct },
      { name: 'scroll at ordinary speed (2 rows a frame): frames > 50 ms, % of frames', value: r1((100 * gentle.longFrames) / gentle.frames), target: `≤ ${TARGETS.scrollLongFramesPct}% (proposed)`, ok: (100 * gentle.longFrames) / gentle.frames <= TARGETS.scrollLongFramesPct },
      { name: 'scroll 10k traces: trace-row elements in the DOM (max)', value: list.median.maxRowsInDom, target: '< 100', ok: list.median.maxRowsInDom < 100 },
      { name: 'POST 200 → row in sidebar DOM, p95 (short list)', value: small.responseToDom.p95, target: `≤ ${TARGETS.visibleP95Ms} ms`, ok: small.responseToDom.p95 <= TARGETS.visibleP95Ms },
      { name: `POST 200 → row in sidebar DOM, p95 (${expectedTotal} traces listed)`, value: bigList.responseToDom.p95, target: `≤ ${TARGETS.visibleP95Ms} ms`, ok: bigList.responseToDom.p95 <= TARGETS.visibleP95Ms },
    ];
    result.checks = checks;
    console.log('\nSpanlight webview benchmark (code-server + headless Chromium, packaged VSIX)');
    console.log(`load before: ${loadBefore}`);
    console.log(`load after:  ${loadAfter}`);
    console.log('\n(a) open a 10,000-span trace (ms; in page = performance.measure from the click handler; wall = Playwright, click() → selector)');
    console.log(`    cold: first rows ${fmt(open.cold.firstPaintMs)}, complete ${fmt(open.cold.completeMs)}; wall ${fmt(open.cold.wallFirstRowMs, 0)} / ${fmt(open.cold.wallCompleteMs, 0)}`);
    console.log(`    median of ${open.rounds}: first rows ${open.median.firstPaintMs}, complete ${open.median.completeMs}; wall first row ${open.median.wallFirstRowMs}, wall complete ${open.median.wallCompleteMs}`);
    console.log(`    span-row elements in the DOM: ≤ ${open.maxSpanRowsInDom}`);
    console.log(`\n(b) ${expectedTotal} traces, ${SCROLL_ROWS_PER_FRAME} rows (${SCROLL_ROWS_PER_FRAME * 44} px) per frame from one rAF loop in the webview`);
    console.log(`    idle frames: median ${idle.medianFrameMs} ms, p95 ${idle.p95FrameMs} ms`);
    console.log(`    median over ${scrolls.length} passes: frame median ${list.median.medianFrameMs} ms, p95 ${list.median.p95FrameMs} ms, frames > 50 ms ${list.median.longFrames} (${list.median.longFramesPct}%), rows in DOM ≤ ${list.median.maxRowsInDom}`);
    console.log(`    ordinary speed (2 rows a frame, first 2,000 rows): median ${gentle.medianFrameMs} ms, p95 ${gentle.p95FrameMs} ms, frames > 50 ms ${gentle.longFrames} of ${gentle.frames}`);
    console.log(`    after a reload (${reloadedCount}): p95 ${paged.p95FrameMs} ms, frames > 50 ms ${paged.longFrames}, frames waiting for a page ${paged.framesWaitingForPages}`);
    console.log('\n(c) POST → visible (ms; p50 / p95 / max over traces posted one at a time)');
    for (const [label, x] of [['short list', small], [`${expectedTotal} listed`, bigList]] as const) {
      console.log(`    ${label}: request ${x.request.p50} / ${x.request.p95}; 200 → row in DOM ${x.responseToDom.p50} / ${x.responseToDom.p95} / ${x.responseToDom.max}; 200 → next frame ${x.responseToNextFrame.p50} / ${x.responseToNextFrame.p95}; POST start → row ${x.postToDom.p50} / ${x.postToDom.p95}; POST start → Playwright saw it ${x.postToPlaywright.p50} / ${x.postToPlaywright.p95}`);
    }
    console.log('\nchecks');
    for (const c of checks) console.log(`  ${verdict(c.ok)}  ${c.name}: ${c.value} (target ${c.target})`);
    if (consoleErrors.length) console.log(`\nconsole errors in the workbench: ${consoleErrors.length} (first: ${consoleErrors[0]})`);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `webview-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(`\nresults: ${file}`);
    process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
  } catch (error) {
    for (const line of await s.launch.captureFailure({ name: 'bench-webview', page, server: s.server })) console.error(line);
    throw error;
  } finally {
    await s.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
