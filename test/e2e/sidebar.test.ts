// What a user sees in the Spanlight sidebar and span detail, in a real VS Code (code-server + Chromium):
// the empty state, real OTLP over HTTP/protobuf and gRPC becoming rows with tokens and cost, the span
// tree with nesting and error markers, the chat in the detail panel, untrusted text staying text, and a
// second window following the first one's receiver live.
//   node scripts/run-tests.mjs test/e2e/sidebar.test.ts
//   SPANLIGHT_VSIX=/tmp/spanlight.vsix node scripts/run-tests.mjs test/e2e/sidebar.test.ts   (skip the build)
// One code-server session serves the whole file; the tests run in order and build on each other's traces.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { Dialog, Frame, Locator, Page } from 'playwright-core';
import { otlpTypes } from '../../src/otlp/otlpSchema';
import type { TraceDetail } from '../../src/protocol/model';
import { formatCost, formatTokenPair, formatTraceCost } from '../../src/protocol/format';
import { startFakeOpenAI, type FakeOpenAIServer } from '../support/fakeOpenAI';
import { storedToolCall } from '../support/storedToolCall';
import { e2eTest, eventually, runCommand, SESSION_TIMEOUT, startSession, type E2eSession } from './session';

// Callbacks given to evaluate() run inside the webview, but this file is type-checked without the DOM lib:
// the few browser globals they touch are declared here, for this module only. (No named inner functions
// in those callbacks: tsx wraps them in a __name() helper that does not exist in the page.)
interface PageNode {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  hidden: boolean;
  shadowRoot: PageRoot | null;
  scrollTop: number;
  clientHeight: number;
  scrollHeight: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { top: number };
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): PageNode[];
}
interface PageRoot {
  activeElement?: PageNode | null;
  hasFocus?(): boolean;
  querySelectorAll(selector: string): PageNode[];
}
declare const window: { alert(message?: unknown): void; __pwned?: unknown; __spanlightAlert?: string };
declare const document: PageRoot;
declare function getComputedStyle(node: PageNode): { display: string };

const FIXTURES = join(__dirname, '../fixtures/otlp');
/** A loaded 2-core machine runs code-server, its extension host, Chromium and the test: be patient. */
const UI_TIMEOUT = 30_000;

// Trace ids inside the committed fixtures (test/fixtures/otlp, see manifest.json).
const HTTP_AGENT_TRACE = '08250fdfb5ed275278267f8bca51220f'; // weather_agent → 2 × chat gpt-4o-mini (HTTP/protobuf)
const GRPC_AGENT_TRACE = '202b41eb8ff004a212ac9d7a9bbc500d'; // the same run captured over gRPC
const GRPC_SYSTEM_CHAT_TRACE = '34614711115cc247f2c055aff75bf429'; // chat gpt-4o-mini with system + user messages
const ERROR_TRACE = '3c51f9d91dfacc9a974af36d492fc187'; // handle_ticket → summarize_ticket → chat fail-500

const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_PROMPT = '<script>window.__pwned=1</script>';
const XSS_TRACE = 'e5'.repeat(16);
const STREAM_TRACE = 'f1'.repeat(16); // one streamed chat call with GenAI's time to first chunk

let session: E2eSession | undefined;
const dialogs: string[] = [];
let sampleTraceId: string | undefined;

before(async () => {
  session = await startSession();
  const { page } = session;
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  // Frames created from now on (the webviews) record alert() calls even where the sandbox blocks the dialog.
  await page.addInitScript(() => {
    const original = window.alert;
    window.alert = function (this: unknown, message?: unknown) {
      window.__spanlightAlert = String(message);
      return original.call(this, message);
    };
  });
}, SESSION_TIMEOUT);

after(() => session?.stop());

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

const row = (traceId: string) => `[data-testid="trace-row"][data-trace-id="${traceId}"]`;

/** Opens the Spanlight view container (activity bar, by its title) and returns the sidebar webview frame. */
async function openSidebar(page: Page, launch: E2eSession['launch']): Promise<Frame> {
  await page.locator('.activitybar [aria-label^="Spanlight"]').first().click({ timeout: 60_000 });
  return launch.findFrameWith(page, '[data-testid="empty-state"], [data-testid="trace-list"]', 60_000);
}

/**
 * The sidebar frame, reopening the view when it was closed or reloaded meanwhile: by its command, not the
 * activity bar icon, whose click closes the side bar when the view is shown already (its page loading).
 */
async function sidebarOf(s: E2eSession): Promise<Frame> {
  for (const frame of s.page.frames()) {
    if ((await frame.locator('[data-testid="trace-list"]').count().catch(() => 0)) > 0) return frame;
  }
  await runCommand(s.page, 'Spanlight: Show Traces');
  return s.launch.findFrameWith(s.page, '[data-testid="empty-state"], [data-testid="trace-list"]', 60_000);
}

/**
 * Waits until the trace's row is in the list and rendered: the list is virtual (only rows near the
 * viewport exist), so it scrolls down page by page when the row is further away.
 */
async function traceRow(frame: Frame, traceId: string, timeoutMs = UI_TIMEOUT) {
  const locator = frame.locator(row(traceId));
  await eventually(
    async () => {
      if ((await locator.count()) > 0) return true;
      await frame.locator('[data-testid="trace-list"]').evaluate((list, id) => {
        // Not rendered (yet): look further down, wrapping to the top, until it shows up.
        if (list.querySelector(`[data-trace-id="${id}"]`)) return;
        list.scrollTop = list.scrollTop + list.clientHeight >= list.scrollHeight - 1 ? 0 : list.scrollTop + list.clientHeight;
      }, traceId);
      return undefined;
    },
    `trace row ${traceId}`,
    timeoutMs,
  );
  await locator.scrollIntoViewIfNeeded();
  return locator;
}

/**
 * Import into Spanlight from a file's menu in the Explorer. The pointer is moved off the rows first: the
 * Explorer's hover of the row it rests on (a file's path, shown after a menu was opened there) covers
 * the rows below it and takes the click.
 */
async function importFromExplorer(s: E2eSession, name: string): Promise<void> {
  const fileRow = s.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
  await fileRow.waitFor({ timeout: UI_TIMEOUT });
  await s.page.mouse.move(0, 0);
  await s.page.locator('.context-view .hover-contents').waitFor({ state: 'hidden', timeout: UI_TIMEOUT }).catch(() => undefined);
  await fileRow.click({ button: 'right' });
  await chooseMenuItem(s, 'Import into Spanlight');
}

/** An item of VS Code's own context menu, drawn by the workbench (not the webview) from package.json's webview/context. */
function menuItemOf(s: E2eSession, label: string): Locator {
  return s.page.locator('.context-view .action-label').filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
}

/**
 * Runs an item of the open context menu. By keyboard: a click that lands as the menu opens is dropped
 * by VS Code's menu now and then (not ours to test); Arrow keys move the highlight, Enter runs the item.
 */
async function chooseMenuItem(s: E2eSession, label: string): Promise<void> {
  await menuItemOf(s, label).waitFor({ timeout: UI_TIMEOUT });
  const focused = s.page.locator('.context-view .action-item.focused .action-label');
  for (let i = 0; i < 40 && ((await focused.count()) === 0 || (await focused.innerText()) !== label); i++) await s.page.keyboard.press('ArrowDown');
  assert.equal(await focused.innerText(), label);
  await s.page.keyboard.press('Enter');
}

async function postHttp(s: E2eSession, signal: 'traces' | 'logs', body: Uint8Array, contentType = 'application/x-protobuf'): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${s.httpPort}/v1/${signal}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  assert.equal(response.status, 200, `POST /v1/${signal}: ${response.status} ${await response.text()}`);
}

/** One unary OTLP Export over gRPC with the raw client (bytes in, bytes out), as an exporter sends it. */
function grpcExport(port: number, signal: 'traces' | 'logs', body: Buffer): Promise<void> {
  const path =
    signal === 'traces' ? '/opentelemetry.proto.collector.trace.v1.TraceService/Export' : '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, { deadline: Date.now() + 30_000 }, (err) => {
      client.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** What the receiver's own JSON API says about a trace: the UI must show the same numbers. */
async function apiTrace(s: E2eSession, traceId: string): Promise<TraceDetail> {
  return eventually(async () => {
    const response = await fetch(`http://127.0.0.1:${s.httpPort}/api/traces/${traceId}`);
    return response.ok ? ((await response.json()) as TraceDetail) : undefined;
  }, `trace ${traceId} in /api/traces`);
}

type Attr = { key: string; value: { stringValue?: string; intValue?: number; doubleValue?: number } };
const attr = (key: string, value: string | number): Attr =>
  typeof value === 'string' ? { key, value: { stringValue: value } } : Number.isInteger(value) ? { key, value: { intValue: value } } : { key, value: { doubleValue: value } };

/** A chat call of gpt-4o-mini with its usage, as GenAI records it. */
function chatCallAttributes(): Attr[] {
  return [
    attr('gen_ai.operation.name', 'chat'),
    attr('gen_ai.provider.name', 'openai'),
    attr('gen_ai.request.model', 'gpt-4o-mini'),
    attr('gen_ai.usage.input_tokens', 12),
    attr('gen_ai.usage.output_tokens', 7),
  ];
}

/** An OTLP/HTTP protobuf body encoded with the receiver's own schema. */
function encodeTraces(service: string, spans: { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: Attr[]; status?: number }[]): Uint8Array {
  const now = BigInt(Date.now()) * 1_000_000n;
  const hex = (h: string) => Buffer.from(h, 'hex');
  const message = otlpTypes.ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', service)] },
        scopeSpans: [
          {
            scope: { name: 'spanlight-e2e' },
            spans: spans.map((span, i) => ({
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: span.parentSpanId ? hex(span.parentSpanId) : undefined,
              name: span.name,
              kind: i === 0 ? 1 : 3,
              startTimeUnixNano: String(now - 40_000_000n + BigInt(i) * 1_000_000n),
              endTimeUnixNano: String(now - BigInt(i) * 1_000_000n),
              attributes: span.attributes ?? [],
              status: { code: span.status ?? 1 },
            })),
          },
        ],
      },
    ],
  });
  return otlpTypes.ExportTraceServiceRequest.encode(message).finish();
}

async function textOf(scope: Frame | Locator, selector: string): Promise<string> {
  return (await scope.locator(selector).first().innerText()).trim();
}

/** Checks a trace row against the receiver's summary: service, span count, tokens, cost. */
async function assertRowMatchesApi(s: E2eSession, frame: Frame, traceId: string): Promise<TraceDetail> {
  const detail = await apiTrace(s, traceId);
  const { summary } = detail;
  const locator = await traceRow(frame, traceId);
  // The row may first show a partial trace (spans land in batches): wait for the final numbers.
  await eventually(
    async () => ((await textOf(locator, '[data-testid="trace-span-count"]')) === `${summary.spanCount} spans` ? true : undefined),
    `row of ${traceId} to show ${summary.spanCount} spans`,
  );
  assert.equal((await locator.locator('[data-testid="trace-service"]').innerText()).trim(), summary.serviceName);
  assert.equal((await locator.locator('[data-testid="trace-tokens"]').innerText()).trim(), formatTokenPair(summary.inputTokens, summary.outputTokens));
  assert.equal((await locator.locator('[data-testid="trace-cost"]').innerText()).trim(), formatTraceCost(summary.costUsd, summary.unpricedCallCount).text);
  return detail;
}

interface TreeRow {
  spanId: string;
  name: string;
  depth: number;
  level: number;
  error: boolean;
}

/** The span tree as rendered: each row's id, name, depth and whether its error marker shows. */
async function treeRows(frame: Frame): Promise<TreeRow[]> {
  return frame.locator('[data-testid="span-row"]').evaluateAll((rows) =>
    rows
      .map((r) => {
        const el = r as unknown as PageNode;
        const marker = el.querySelector('[data-testid="span-error-marker"]');
        return {
          spanId: el.dataset.spanId ?? '',
          name: el.querySelector('[data-testid="span-name"]')?.textContent ?? '',
          depth: Number(el.dataset.depth),
          level: Number(el.getAttribute('aria-level')),
          error: !!marker && !marker.hidden && getComputedStyle(marker).display !== 'none',
          top: el.getBoundingClientRect().top,
        };
      })
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...rest }) => rest),
  );
}

/**
 * Clicks a trace row and waits for the tree to hold exactly that trace's spans. By ids, not by count:
 * the tree of the trace opened before may have as many rows (the same app over HTTP and over gRPC).
 */
async function openTrace(frame: Frame, s: E2eSession, traceId: string): Promise<TreeRow[]> {
  const expected = (await apiTrace(s, traceId)).spans.map((span) => span.spanId).sort();
  // Clicked again if another row got it: a trace that arrives as the click lands moves the rows under the
  // pointer (seen under load: the row below was selected).
  const selected = frame.locator(`${row(traceId)}[aria-selected="true"]`);
  const since = Date.now();
  let refreshed = false;
  await eventually(async () => {
    if ((await selected.count()) > 0) return true;
    // Seen once in CI: a trace the store held, counted in the list's header, never got a row. Said
    // loudly (with what the list holds) and the list loaded again, so a test about something else goes on.
    if (!refreshed && Date.now() - since > 10_000 && (await frame.locator(row(traceId)).count()) === 0) {
      refreshed = true;
      console.log(`openTrace: no row for stored trace ${traceId} after 10 s; the list: ${await listedRows(frame)}. Refreshing the list.`);
      await runCommand(s.page, 'Spanlight: Refresh Traces');
    }
    await (await traceRow(frame, traceId, 5000)).click();
    return selected.waitFor({ timeout: 3000 }).then(() => true).catch(() => undefined);
  }, `trace ${traceId} selected`, UI_TIMEOUT);
  return eventually(async () => {
    const rows = await treeRows(frame);
    const shown = rows.map((r) => r.spanId).sort();
    return shown.length === expected.length && shown.every((id, i) => id === expected[i]) ? rows : undefined;
  }, `the ${expected.length} span rows of ${traceId}`, UI_TIMEOUT);
}

/** What the trace list holds, for a failure's diagnostics: its header and the ids of its rows. */
async function listedRows(frame: Frame): Promise<string> {
  const header = await frame.locator('[data-testid="trace-count"]').innerText().catch(() => '?');
  const ids = await frame.locator('[data-testid="trace-row"]').evaluateAll((rows) => rows.map((r) => (r as unknown as PageNode).dataset.traceId?.slice(0, 6)));
  return `"${header}", ${ids.length} rows rendered (${ids.join(' ')})`;
}

function assertNesting(rows: TreeRow[], detail: TraceDetail): void {
  const byId = new Map(rows.map((r) => [r.spanId, r]));
  for (const span of detail.spans) {
    const shown = byId.get(span.spanId);
    assert.ok(shown, `span ${span.name} (${span.spanId}) is in the tree`);
    assert.equal(shown.level, shown.depth + 1, `aria-level of ${span.name} is its depth + 1`);
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    if (parent) assert.equal(shown.depth, parent.depth + 1, `${span.name} is one level under ${parent.name}`);
    else assert.equal(shown.depth, 0, `${span.name} is a root`);
  }
}

/** Any <img>, or a <script> carrying the payload, anywhere in the frame (open shadow roots included). */
async function injectedElements(frame: Frame): Promise<{ imgs: number; scripts: number; pwned: unknown; alert: unknown }> {
  return frame.evaluate(() => {
    const roots: PageRoot[] = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    let imgs = 0;
    let scripts = 0;
    for (const root of roots) {
      imgs += root.querySelectorAll('img').length;
      for (const script of root.querySelectorAll('script')) if (script.textContent?.includes('__pwned')) scripts++;
    }
    return { imgs, scripts, pwned: window.__pwned, alert: window.__spanlightAlert };
  });
}

// ── tests ────────────────────────────────────────────────────────────────────────────────────────

e2eTest('the empty state shows the endpoints on this session\'s ports and the exporter set-ups', () => session, async (_t, s) => {
  const sidebar = await openSidebar(s.page, s.launch);
  await sidebar.locator('[data-testid="empty-state"]').waitFor({ timeout: UI_TIMEOUT });
  await sidebar.locator('[data-testid="empty-state"] [data-testid="receiver-status"][data-state="listening"]').waitFor({ timeout: UI_TIMEOUT });
  assert.match(await textOf(sidebar, '[data-testid="endpoint-http"]'), new RegExp(`http://127\\.0\\.0\\.1:${s.httpPort}\\b`));
  assert.match(await textOf(sidebar, '[data-testid="endpoint-grpc"]'), new RegExp(`http://127\\.0\\.0\\.1:${s.grpcPort}\\b`));

  const snippets = await sidebar.locator('[data-testid="env-snippet"]').evaluateAll((blocks) =>
    blocks.map((b) => ({ id: (b as unknown as PageNode).dataset.snippet, text: (b as unknown as PageNode).querySelector('pre')?.textContent ?? '' })),
  );
  assert.deepEqual(snippets.map((x) => x.id), ['python-grpc', 'python-http', 'node', 'vercel-ai', 'claude-code', 'codex', 'gemini-cli']);
  const text = (id: string) => snippets.find((x) => x.id === id)?.text ?? '';
  assert.match(text('python-grpc'), new RegExp(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127\\.0\\.0\\.1:${s.grpcPort}\\n`));
  assert.match(text('python-grpc'), /OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
  assert.match(text('python-http'), new RegExp(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127\\.0\\.0\\.1:${s.httpPort}\\n`));
  assert.match(text('node'), new RegExp(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127\\.0\\.0\\.1:${s.httpPort}\\n`));
  assert.match(text('vercel-ai'), new RegExp(`url: 'http://127\\.0\\.0\\.1:${s.httpPort}/v1/traces'`));
  assert.match(text('gemini-cli'), new RegExp(`GEMINI_TELEMETRY_OTLP_ENDPOINT=http://127\\.0\\.0\\.1:${s.grpcPort}\\n`));
  // The first set-up is unfolded, so its text is on screen.
  assert.ok(await sidebar.locator('[data-testid="env-snippet"][data-snippet="python-grpc"] pre').isVisible());
});

e2eTest('"Send a sample trace" makes the sample appear in the list, selected, with its tree', () => session, async (t, s) => {
  const sidebar = await sidebarOf(s);
  await sidebar.locator('[data-testid="send-sample"]').click({ timeout: UI_TIMEOUT });
  const sample = sidebar.locator('[data-testid="trace-row"]', { has: sidebar.locator('[data-testid="trace-service"]', { hasText: 'spanlight-sample' }) });
  await sample.first().waitFor({ timeout: UI_TIMEOUT });
  sampleTraceId = (await sample.first().getAttribute('data-trace-id')) ?? undefined;
  assert.ok(sampleTraceId, 'the sample row has a trace id');
  t.diagnostic(`sample trace ${sampleTraceId}`);
  await sidebar.locator('[data-testid="empty-state"]').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  // The host selects the sample and shows its tree.
  await sidebar.locator(`${row(sampleTraceId)}[aria-selected="true"]`).waitFor({ timeout: UI_TIMEOUT });
  await sidebar.locator('[data-testid="tree-title"]', { hasText: 'invoke_agent support-agent' }).waitFor({ timeout: UI_TIMEOUT });
  const detail = await apiTrace(s, sampleTraceId);
  const rows = await eventually(async () => {
    const r = await treeRows(sidebar);
    return r.length === detail.spans.length ? r : undefined;
  }, 'the sample tree');
  assertNesting(rows, detail);
  assert.equal(await textOf(sidebar, `${row(sampleTraceId)} [data-testid="trace-span-count"]`), `${detail.summary.spanCount} spans`);
});

e2eTest('OTLP/HTTP protobuf from a real exporter: row with service, span count, tokens and cost; nested tree', () => session, async (_t, s) => {
  // Captured from @opentelemetry/exporter-trace-otlp-proto + the official OpenAI instrumentation.
  await postHttp(s, 'traces', fixture('otel-genai-http-protobuf-traces-1.bin'));
  await postHttp(s, 'logs', fixture('otel-genai-http-protobuf-logs-1.bin'));
  const sidebar = await sidebarOf(s);
  const detail = await assertRowMatchesApi(s, sidebar, HTTP_AGENT_TRACE);
  assert.equal(detail.summary.serviceName, 'otel-genai-demo');
  assert.equal(detail.summary.spanCount, 3);
  assert.equal(formatTokenPair(detail.summary.inputTokens, detail.summary.outputTokens), '49 → 38');
  assert.ok((detail.summary.costUsd ?? 0) > 0, 'gpt-4o-mini has a known price');
  assert.match(await textOf(sidebar, `${row(HTTP_AGENT_TRACE)} [data-testid="trace-models"]`), /^gpt-4o-mini/);
  // In a narrow sidebar the row drops its last items whole; none is cut off at its edge (a cost of
  // "<$0.01" read "<"), and only the service name and the models may end in an ellipsis.
  const narrow = await sidebar.locator(`${row(HTTP_AGENT_TRACE)} .row-meta`).evaluate((line) => {
    line.style.maxWidth = '170px';
    const box = line.getBoundingClientRect();
    const shown: string[] = [];
    const cut: string[] = [];
    for (const item of [...line.children]) {
      const r = item.getBoundingClientRect();
      if (r.width === 0 || r.top >= box.bottom) continue; // hidden, or wrapped out of sight
      const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
      const truncated = item.scrollWidth > item.clientWidth + 0.5;
      if (inside && (!truncated || /trace-(service|models)/.test(item.className))) shown.push(item.className);
      else cut.push(item.className);
    }
    line.style.maxWidth = '';
    return { shown, cut };
  });
  assert.deepEqual(narrow.cut, [], 'meta items cut off in a 170 px row');
  assert.deepEqual(narrow.shown.slice(0, 2), ['trace-service', 'trace-duration'], 'the first items stay');
  // …and what it drops is still in the line's tooltip.
  const tooltip = (await sidebar.locator(`${row(HTTP_AGENT_TRACE)} .row-meta`).getAttribute('title')) ?? '';
  for (const part of ['otel-genai-demo', '3 spans', '49 → 38 tokens', formatCost(detail.summary.costUsd), 'gpt-4o-mini']) assert.ok(tooltip.includes(part), `tooltip "${tooltip}" lacks ${part}`);

  const rows = await openTrace(sidebar, s, HTTP_AGENT_TRACE);
  assertNesting(rows, detail);
  assert.deepEqual(rows.map((r) => [r.name, r.depth]), [['weather_agent', 0], ['chat gpt-4o-mini', 1], ['chat gpt-4o-mini', 1]]);
  assert.ok(rows.every((r) => !r.error), 'no error markers on a successful run');
  await sidebar.locator('[data-testid="tree-title"]', { hasText: 'weather_agent' }).waitFor({ timeout: UI_TIMEOUT });
});

e2eTest('OTLP over gRPC: the same run shows up the same way', () => session, async (_t, s) => {
  // Logs first, as a batching exporter may send them: the messages attach once the spans arrive.
  await grpcExport(s.grpcPort, 'logs', fixture('otel-genai-grpc-logs-1.bin'));
  await grpcExport(s.grpcPort, 'traces', fixture('otel-genai-grpc-traces-1.bin'));
  const sidebar = await sidebarOf(s);
  const detail = await assertRowMatchesApi(s, sidebar, GRPC_AGENT_TRACE);
  assert.equal(detail.summary.serviceName, 'otel-genai-demo');
  assert.equal(detail.summary.spanCount, 3);
  assert.equal(formatTokenPair(detail.summary.inputTokens, detail.summary.outputTokens), '49 → 38');
  const rows = await openTrace(sidebar, s, GRPC_AGENT_TRACE);
  assertNesting(rows, detail);
  assert.deepEqual(rows.map((r) => r.depth), [0, 1, 1]);
});

e2eTest('a failed call: error badge on the trace, error marker on the failing span three levels deep', () => session, async (_t, s) => {
  await postHttp(s, 'traces', fixture('error-http-protobuf-traces-1.bin'));
  await postHttp(s, 'logs', fixture('error-http-protobuf-logs-1.bin'));
  const sidebar = await sidebarOf(s);
  const locator = await traceRow(sidebar, ERROR_TRACE);
  await sidebar.locator(`${row(ERROR_TRACE)}[data-status="ERROR"]`).waitFor({ timeout: UI_TIMEOUT });
  assert.ok(await locator.locator('[data-testid="trace-error-badge"]').isVisible(), 'the error badge shows on the row');
  assert.equal(await textOf(sidebar, `${row(ERROR_TRACE)} [data-testid="trace-name"]`), 'handle_ticket');

  const detail = await apiTrace(s, ERROR_TRACE);
  const rows = await openTrace(sidebar, s, ERROR_TRACE);
  assertNesting(rows, detail);
  assert.deepEqual(rows.map((r) => [r.name, r.depth]), [['handle_ticket', 0], ['summarize_ticket', 1], ['chat fail-500', 2]]);
  const failing = rows.find((r) => r.name === 'chat fail-500');
  assert.ok(failing?.error, 'the failing chat span shows the error marker');

  // Its detail says why.
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${failing.spanId}"]`).click();
  const panel = await s.launch.findFrameWith(s.page, '[data-testid="span-detail"]', UI_TIMEOUT);
  await panel.locator('[data-testid="detail-name"]', { hasText: 'chat fail-500' }).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await textOf(panel, '[data-testid="detail-status"]'), 'ERROR');
  await panel.locator('[data-testid="detail-error"]').waitFor({ timeout: UI_TIMEOUT });
});

e2eTest("a Haystack pipeline's component runs are shown by their component names, in the tree and in the detail", () => session, async (_t, s) => {
  await postHttp(s, 'traces', fixture('haystack-http-protobuf-traces-1.bin'));
  const traceId = await eventually(async () => {
    const response = await fetch(`http://127.0.0.1:${s.httpPort}/api/traces`);
    const list = response.ok ? ((await response.json()) as { traces: { traceId: string; rootName: string }[] }).traces : [];
    return list.find((t) => t.rootName === 'haystack.pipeline.run')?.traceId;
  }, 'the Haystack run in /api/traces');
  const sidebar = await sidebarOf(s);
  const rows = await openTrace(sidebar, s, traceId);
  // Every span is named haystack.component.run: without the component names the rows would all read the same.
  assert.deepEqual(rows.map((r) => [r.name, r.depth]), [['haystack.pipeline.run', 0], ['retriever', 1], ['prompt_builder', 1], ['llm', 1]]);
  const llm = rows.find((r) => r.name === 'llm');
  assert.ok(llm);
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${llm.spanId}"]`).click();
  const panel = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${llm.spanId}"]`, UI_TIMEOUT);
  await panel.locator('[data-testid="detail-name"]', { hasText: 'llm' }).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await textOf(panel, '[data-testid="detail-span-name"]'), 'haystack.component.run', 'the span keeps its name, shown beside the title');
  assert.equal(await textOf(panel, '[data-testid="detail-tokens-input"]'), '388');
  const roles = await panel.locator('[data-testid="chat-message"]').evaluateAll((els) => els.map((e) => (e as unknown as PageNode).dataset.role));
  assert.deepEqual(roles, ['system', 'user', 'assistant']);
});

e2eTest('clicking an LLM span opens the detail panel with the system, user and assistant messages, tokens and cost', () => session, async (_t, s) => {
  const sidebar = await sidebarOf(s);
  const detail = await apiTrace(s, GRPC_SYSTEM_CHAT_TRACE);
  const span = detail.spans.find((x) => x.llm?.inputMessages.some((m) => m.role === 'system'));
  assert.ok(span?.llm, 'the fixture has a chat span with a system message (from the gRPC logs)');
  await openTrace(sidebar, s, GRPC_SYSTEM_CHAT_TRACE);
  const spanRow = sidebar.locator(`[data-testid="span-row"][data-span-id="${span.spanId}"]`);
  assert.equal(await spanRow.getAttribute('data-kind'), 'llm');
  assert.equal(await textOf(sidebar, `[data-testid="span-row"][data-span-id="${span.spanId}"] [data-testid="span-model"]`), 'gpt-4o-mini');
  await spanRow.click();

  // An editor webview panel beside the editor.
  await s.page.locator('.tabs-container .tab', { hasText: 'chat gpt-4o-mini' }).first().waitFor({ timeout: UI_TIMEOUT });
  const panel = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${span.spanId}"]`, UI_TIMEOUT);
  await panel.locator('[data-testid="detail-name"]', { hasText: 'chat gpt-4o-mini' }).waitFor({ timeout: UI_TIMEOUT });
  const roles = await panel.locator('[data-testid="chat-message"]').evaluateAll((els) => els.map((e) => (e as unknown as PageNode).dataset.role));
  for (const role of ['system', 'user', 'assistant']) assert.ok(roles.includes(role), `a ${role} message is shown (roles: ${roles.join(', ')})`);
  assert.equal(roles[0], 'system', 'the system prompt comes first');
  const systemText = await textOf(panel, '[data-testid="chat-message"][data-role="system"] [data-testid="message-text"]');
  const expectedSystem = span.llm.inputMessages.find((m) => m.role === 'system')?.content;
  const expected = typeof expectedSystem === 'string' ? expectedSystem : (expectedSystem ?? []).map((p) => ('text' in p ? p.text : '')).join('');
  assert.equal(systemText, expected.trim());

  const usage = span.llm.usage;
  assert.equal(await textOf(panel, '[data-testid="detail-tokens-input"]'), String(usage.inputTokens));
  assert.equal(await textOf(panel, '[data-testid="detail-tokens-output"]'), String(usage.outputTokens));
  assert.equal(await textOf(panel, '[data-testid="detail-model-request"]'), 'gpt-4o-mini');
  const cost = await textOf(panel, '[data-testid="detail-cost"]');
  assert.equal(cost, formatCost(span.llm.costUsd));
  // 26 + 25 tokens of gpt-4o-mini cost about $0.00002: shown as "<$0.0001", never as "—" (unknown) or "$0".
  assert.ok((span.llm.costUsd ?? 0) > 0, 'a known model has a price');
  assert.match(cost, /^<?\$0\.\d*[1-9]/, 'the price shows as a positive amount');
  assert.ok(await panel.locator('[data-testid="detail-latency"]').isVisible());
});

e2eTest("a streamed call's detail shows its time to first token beside its latency", () => session, async (_t, s) => {
  const llm = 'f1f1f1f1f1f1f102';
  await postHttp(
    s,
    'traces',
    encodeTraces('streaming-app', [
      {
        traceId: STREAM_TRACE,
        spanId: llm,
        name: 'chat gpt-4o-mini',
        attributes: [
          ...chatCallAttributes(),
          // Within the span's 40 ms: a first token after the span's end would be no wait it saw.
          attr('gen_ai.response.time_to_first_chunk', 0.021),
        ],
      },
    ]),
  );
  const sidebar = await sidebarOf(s);
  await traceRow(sidebar, STREAM_TRACE);
  await openTrace(sidebar, s, STREAM_TRACE);
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${llm}"]`).click();
  const panel = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${llm}"]`, UI_TIMEOUT);
  assert.equal(await textOf(panel, '[data-testid="detail-ttft"]'), '21 ms');
  assert.ok(await panel.locator('[data-testid="detail-latency"]').isVisible());
});

e2eTest('markup in span names and prompts is shown as text and never runs', () => session, async (_t, s) => {
  const messages = JSON.stringify([
    { role: 'system', parts: [{ type: 'text', content: `Be safe ${XSS_NAME}` }] },
    { role: 'user', parts: [{ type: 'text', content: XSS_PROMPT }] },
  ]);
  const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `<b onmouseover=alert(2)>hi</b>${XSS_PROMPT}` }], finish_reason: 'stop' }]);
  const root = 'e5e5e5e5e5e5e501';
  const llm = 'e5e5e5e5e5e5e502';
  await postHttp(
    s,
    'traces',
    encodeTraces(`svc ${XSS_NAME}`, [
      { traceId: XSS_TRACE, spanId: root, name: XSS_NAME },
      {
        traceId: XSS_TRACE,
        spanId: llm,
        parentSpanId: root,
        name: XSS_NAME,
        attributes: [
          ...chatCallAttributes(),
          attr('gen_ai.input.messages', messages),
          attr('gen_ai.output.messages', output),
          attr(XSS_NAME, XSS_PROMPT),
        ],
      },
    ]),
  );
  const sidebar = await sidebarOf(s);
  await traceRow(sidebar, XSS_TRACE);
  assert.equal(await textOf(sidebar, `${row(XSS_TRACE)} [data-testid="trace-name"]`), XSS_NAME);
  assert.equal(await textOf(sidebar, `${row(XSS_TRACE)} [data-testid="trace-service"]`), `svc ${XSS_NAME}`);
  const rows = await openTrace(sidebar, s, XSS_TRACE);
  assert.deepEqual(rows.map((r) => r.name), [XSS_NAME, XSS_NAME]);
  await sidebar.locator('[data-testid="tree-title"]').filter({ hasText: XSS_NAME }).waitFor({ timeout: UI_TIMEOUT });

  await sidebar.locator(`[data-testid="span-row"][data-span-id="${llm}"]`).click();
  const panel = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${llm}"]`, UI_TIMEOUT);
  assert.equal(await textOf(panel, '[data-testid="detail-name"]'), XSS_NAME);
  assert.equal(await textOf(panel, '[data-testid="chat-message"][data-role="user"] [data-testid="message-text"]'), XSS_PROMPT);
  assert.equal(await textOf(panel, '[data-testid="chat-message"][data-role="system"] [data-testid="message-text"]'), `Be safe ${XSS_NAME}`);
  assert.match(await textOf(panel, '[data-testid="chat-message"][data-role="assistant"] [data-testid="message-text"]'), /<b onmouseover=alert\(2\)>hi<\/b><script>/);
  assert.equal(await panel.locator(`[data-testid="attribute-row"][data-key="${XSS_NAME}"]`).count(), 1, 'the attribute key is data, not markup');

  // Give anything that would run a moment, then look for what it would have left behind.
  await s.page.waitForTimeout(500);
  for (const [label, frame] of [['sidebar', sidebar], ['detail', panel]] as const) {
    const found = await injectedElements(frame);
    assert.deepEqual(found, { imgs: 0, scripts: 0, pwned: undefined, alert: undefined }, `nothing injected in the ${label} webview`);
  }
  for (const frame of s.page.frames()) {
    const pwned = await frame.evaluate(() => window.__pwned).catch(() => undefined);
    assert.equal(pwned, undefined, `window.__pwned in ${frame.url()}`);
  }
  assert.deepEqual(dialogs, [], 'no dialog opened');
});

e2eTest('an image sent inline is shown as a picture that opens full size; a remote or damaged one stays a chip', () => session, async (_t, s) => {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAZAAAAACCAIAAAD5BB1nAAAAH0lEQVR42mM4YRM1ikbRKBpFQwIxjAbBKBpFo2ioIADHpUX91/tGhwAAAABJRU5ErkJggg=='; // 400×2
  const dot = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='; // 1×1
  const messages = JSON.stringify([
    {
      role: 'user',
      parts: [
        { type: 'text', content: 'What is in these pictures?' },
        { type: 'blob', modality: 'image', mime_type: 'image/png', content: png },
        { type: 'blob', modality: 'image', mime_type: 'image/png', content: Buffer.from('no picture in here').toString('base64') },
        { type: 'blob', modality: 'image', mime_type: 'image/png', content: dot },
        { type: 'uri', modality: 'image', mime_type: 'image/png', uri: 'https://example.com/cat.png' },
      ],
    },
  ]);
  const traceId = 'c3'.repeat(16);
  const spanId = 'c3c3c3c3c3c3c301';
  await postHttp(s, 'traces', encodeTraces('vision', [{ traceId, spanId, name: 'chat gpt-4o-mini', attributes: [...chatCallAttributes(), attr('gen_ai.input.messages', messages)] }]));
  const sidebar = await sidebarOf(s);
  await openTrace(sidebar, s, traceId);
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${spanId}"]`).click();
  const panel = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${spanId}"]`, UI_TIMEOUT);
  await panel.locator('[data-testid="media-chip"]').nth(3).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await panel.locator('[data-testid="media-chip"]').count(), 4, 'every image keeps its chip');
  // Side by side in one row that wraps, not a column of twenty.
  assert.equal(await panel.locator('[data-testid="media-gallery"] [data-testid="media-chip"]').count(), 4);
  const tops = await panel.locator('[data-testid="media-gallery"] > *').evaluateAll((items) => items.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.ok(new Set(tops).size < tops.length, `images share rows (tops ${tops.join(', ')})`);
  // The damaged one fails to decode and leaves only its chip; the remote one never gets an <img>.
  await eventually(async () => ((await panel.locator('[data-testid="media-preview"]').count()) === 2 ? true : undefined), 'two pictures', UI_TIMEOUT);
  const widths = () => panel.locator('[data-testid="media-preview"]').evaluateAll((imgs) => imgs.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth));
  await eventually(async () => ((await widths()).join() === '400,1' ? true : undefined), 'both pictures decoded', UI_TIMEOUT);
  const sources = await panel.locator('img').evaluateAll((imgs) => imgs.map((img) => (img as unknown as { src: string }).src.slice(0, 22)));
  assert.deepEqual(sources, ['data:image/png;base64,', 'data:image/png;base64,'], 'no image is loaded from a URL');
  // The 1×1 image is already shown at its size: a picture, no button (and no Tab stop). The 400 px one opens larger.
  await eventually(async () => ((await panel.locator('.media-preview-toggle').count()) === 1 ? true : undefined), 'the small picture to need no toggle', UI_TIMEOUT);
  const toggle = panel.locator('.media-preview-toggle').first();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await toggle.getAttribute('aria-label'), 'Image, image/png, 400×2', 'one name, with its size');
  assert.ok((await toggle.boundingBox())!.width <= 322, 'the thumbnail is at most 320 px wide');
  await toggle.focus();
  await s.page.keyboard.press('Enter');
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.ok((await toggle.boundingBox())!.width >= 400, 'larger is the image\'s own width, as the panel allows');
  assert.equal(await toggle.getAttribute('aria-label'), 'Image, image/png, 400×2', 'the name does not change with the state');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
});

e2eTest('an OTLP/HTTP exporter sent to the gRPC port gets the fix in its answer, and VS Code says it once', () => session, async (t, s) => {
  for (let attempt = 0; attempt < 2; attempt++) {
    const answer = await fetch(`http://127.0.0.1:${s.grpcPort}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0x0a, 0x00]),
    });
    assert.equal(answer.status, 400);
    assert.match(await answer.text(), new RegExp(`point it at port ${s.httpPort} \\(OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${s.httpPort}\\)`));
  }
  const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: 'OTLP/HTTP exporter is sending to' });
  await toast.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  t.diagnostic(`notification: ${(await toast.first().innerText()).replace(/\s+/g, ' ')}`);
  assert.equal(await toast.count(), 1, 'one notification for the two attempts');
});

e2eTest('an export over the size limit is refused on both ports, and VS Code says so once per port with the setting to raise', () => session, async (t, s) => {
  // 17 MiB: over the default 16 MiB limit. gRPC refuses it inside grpc-js, before Spanlight's handler.
  const oversized = Buffer.alloc(17 * 1024 * 1024);
  for (let attempt = 0; attempt < 2; attempt++) {
    await assert.rejects(grpcExport(s.grpcPort, 'traces', oversized), (err: grpc.ServiceError) => err.code === grpc.status.RESOURCE_EXHAUSTED);
    const answer = await fetch(`http://127.0.0.1:${s.httpPort}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: oversized });
    assert.equal(answer.status, 413);
  }
  for (const transport of ['gRPC', 'HTTP']) {
    const toast = s.page.locator('.notifications-toasts .notification-toast', { hasText: `refused an OTLP/${transport} export (413)` });
    await toast.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    t.diagnostic(`notification: ${(await toast.first().innerText()).replace(/\s+/g, ' ')}`);
    assert.equal(await toast.count(), 1, `one ${transport} notification for the two exports`);
    assert.match(await toast.innerText(), /16 MiB limit[^]*spanlight\.receiver\.maxBodyMB/, 'the limit as the setting gives it, and the setting');
    await toast.getByRole('button', { name: 'Open Settings' }).waitFor({ timeout: UI_TIMEOUT });
  }
});

e2eTest('keyboard and layout: a long name stays inside the sidebar, Backspace deletes nothing, ArrowDown from the filter reaches a match, the filters have names', () => session, async (t, s) => {
  const longTrace = 'a1'.repeat(16);
  const longName = `agent run ${'with a very long generated name '.repeat(20)}`;
  await postHttp(s, 'traces', encodeTraces('long-names', [{ traceId: longTrace, spanId: 'a1a1a1a1a1a1a101', name: longName }]));
  const sidebar = await sidebarOf(s);
  try {
    const longRow = await traceRow(sidebar, longTrace);
    await longRow.click();
    await sidebar.locator('[data-testid="tree-title"]', { hasText: 'agent run' }).waitFor({ timeout: UI_TIMEOUT });
    // The split's sections keep the sidebar's width (an auto grid column grew to the name's 2,000+ px).
    const widths = await sidebar.locator('.split').evaluate((split) => ({
      split: split.clientWidth,
      sections: [...split.querySelectorAll('.list-section, .tree-section')].map((e) => e.getBoundingClientRect().width),
    }));
    t.diagnostic(`split ${widths.split}px, sections ${widths.sections.join(', ')}px`);
    assert.ok(widths.sections.every((w) => w <= widths.split + 1), `sections ${widths.sections.join(', ')} px in a ${widths.split} px split`);

    // Backspace in the list is meant for the filter box, not a deletion (Delete, or ⌘Backspace, deletes).
    await sidebar.locator(`${row(longTrace)}[aria-selected="true"]`).focus();
    await s.page.keyboard.press('Backspace');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal((await fetch(`http://127.0.0.1:${s.httpPort}/api/traces/${longTrace}`)).status, 200, 'Backspace deleted the trace');

    // A filter that hides the selected trace, then ArrowDown: the focus goes to the first match.
    const filter = sidebar.locator('[data-testid="filter-text"]');
    await filter.click();
    await s.page.keyboard.type('handle_ticket');
    await sidebar.locator(`${row(ERROR_TRACE)}`).waitFor({ timeout: UI_TIMEOUT });
    await sidebar.locator(row(longTrace)).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await s.page.keyboard.press('ArrowDown');
    await eventually(
      async () => ((await sidebar.evaluate(() => document.activeElement?.getAttribute('data-trace-id'))) === ERROR_TRACE ? true : undefined),
      'the focus on the first match',
    );
    // Enter into its tree, Enter on a span opens its detail; Escape there comes back to the tree's row.
    await s.page.keyboard.press('Enter');
    await eventually(
      async () => ((await sidebar.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'span-row' ? true : undefined),
      'the focus in the tree',
    );
    await s.page.keyboard.press('Enter');
    const panel = await s.launch.findFrameWith(s.page, '[data-testid="span-detail"]', UI_TIMEOUT);
    await panel.locator('[data-testid="detail-name"]').waitFor({ timeout: UI_TIMEOUT });
    // The panel takes the focus a moment after it shows (VS Code focuses its frame). Escape is pressed on
    // one of its buttons, focused first: in CI the key once went to the sidebar's filter instead (it was
    // focused again after the panel had been), which cleared the filter and never reached the detail.
    await eventually(async () => ((await panel.evaluate(() => document.hasFocus?.() === true)) ? true : undefined), 'the detail focused');
    await panel.locator('[data-testid="span-detail"] button').first().press('Escape');
    await eventually(
      async () => ((await sidebar.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'span-row' ? true : undefined),
      'the focus back on the tree after Escape in the detail',
    );
    // A narrow sidebar keeps span names whole before models (an LLM span's name says its model), and cuts
    // no duration at VS Code's narrowest (it shows the whole number or leaves it to the bar).
    // (No named functions inside evaluate(): see the note on PageNode.)
    const [at300, at170] = await sidebar.locator('[data-testid="span-tree"]').evaluate((tree) =>
      ['300px', '170px'].map((width) => {
        tree.ownerDocument.body.style.width = width;
        const rows = [...tree.querySelectorAll('[data-testid="span-row"]')].map((r) => ({
          name: r.querySelector('.span-name')?.textContent,
          nameWhole: (r.querySelector('.span-name')?.scrollWidth ?? 1) <= (r.querySelector('.span-name')?.clientWidth ?? 0),
          durationCut:
            (r.querySelector('[data-testid="span-duration"]')?.getBoundingClientRect().width ?? 0) > 0 &&
            (r.querySelector('[data-testid="span-duration"]')?.getBoundingClientRect().right ?? 0) > r.getBoundingClientRect().right + 0.5,
        }));
        tree.ownerDocument.body.style.width = '';
        return rows;
      }),
    );
    const layout = { at300, at170 };
    assert.ok(layout.at300.every((r) => r.nameWhole), `names cut at 300 px: ${JSON.stringify(layout.at300)}`);
    assert.ok(layout.at170.every((r) => !r.durationCut), `durations cut at 170 px: ${JSON.stringify(layout.at170)}`);
    await filter.click();
    await s.page.keyboard.press('Escape');

    // The service, model and status filters are named for screen readers.
    for (const name of ['Service', 'Model', 'Status']) {
      assert.equal(await sidebar.getByRole('combobox', { name, includeHidden: true }).count(), 1, `a combobox named ${name}`);
    }
  } catch (error) {
    for (const line of await s.launch.captureFailure({ name: 'sidebar-keyboard-layout', page: s.page })) t.diagnostic(line);
    // The next test reads the list unfiltered.
    await sidebar.locator('[data-testid="filter-text"]').click().catch(() => undefined);
    await s.page.keyboard.press('Escape').catch(() => undefined);
    throw error;
  }
});

e2eTest("a row's context menu, by mouse and by Shift+F10: pin and unpin its trace, open a span's detail and its source (F12 too)", () => session, async (t, s) => {
  const sidebar = await sidebarOf(s);
  const menuItem = (label: string) => menuItemOf(s, label);
  const shownItems = () => s.page.locator('.context-view .action-label').allInnerTexts();
  const pinned = async () => (await apiTrace(s, HTTP_AGENT_TRACE)).summary.pinned;
  const choose = (label: string) => chooseMenuItem(s, label);
  assert.equal(await pinned(), false);

  const traceRowLocator = await traceRow(sidebar, HTTP_AGENT_TRACE);
  await traceRowLocator.click({ button: 'right' });
  await menuItem('Pin Trace').waitFor({ timeout: UI_TIMEOUT });
  // The row the menu is about is outlined while it is open (it need not be the selected one).
  assert.equal(await sidebar.locator(`${row(HTTP_AGENT_TRACE)}.menu-target`).count(), 1);
  const items = await shownItems();
  t.diagnostic(`trace row menu: ${items.join(' | ')}`);
  for (const label of ['Pin Trace', 'Copy Trace ID', 'Delete Trace']) assert.ok(items.includes(label), `${label} in ${items.join(', ')}`);
  assert.ok(!items.some((label) => /^(Cut|Paste|Unpin Trace|Copy Span ID)$/.test(label)), `only a trace's items: ${items.join(', ')}`);
  await choose('Pin Trace');
  await eventually(async () => ((await pinned()) ? true : undefined), 'Pin Trace to pin the trace');
  await sidebar.locator('.menu-target').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await sidebar.locator(`${row(HTTP_AGENT_TRACE)} .pin-icon:not([hidden])`).waitFor({ timeout: UI_TIMEOUT });

  // The keyboard's way to the same menu, on the focused row; now it offers Unpin, first.
  await traceRowLocator.focus();
  await s.page.keyboard.press('Shift+F10');
  await menuItem('Unpin Trace').waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await menuItem('Pin Trace').count(), 0);
  await choose('Unpin Trace');
  await eventually(async () => ((await pinned()) ? undefined : true), 'Unpin Trace to unpin the trace');

  // A span row: its own items, and the trace's ids from the tree it is in.
  const detail = await apiTrace(s, HTTP_AGENT_TRACE);
  const chat = detail.spans.find((span) => span.llm?.operation === 'chat');
  assert.ok(chat);
  await openTrace(sidebar, s, HTTP_AGENT_TRACE);
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${chat.spanId}"]`).click({ button: 'right' });
  await menuItem('Open Span Details').waitFor({ timeout: UI_TIMEOUT });
  const spanItems = await shownItems();
  t.diagnostic(`span row menu: ${spanItems.join(' | ')}`);
  for (const label of ['Copy Span ID', 'Copy Trace ID']) assert.ok(spanItems.includes(label), `${label} in ${spanItems.join(', ')}`);
  // A model call that recorded no source goes to where its prompt is written: this one's is not in the workspace.
  assert.ok(spanItems.includes('Go to Source'), `a model call offers Go to Source: ${spanItems.join(', ')}`);
  await choose('Go to Source');
  await s.page.locator('.statusbar-item', { hasText: "its prompt's text is in none of this workspace's" }).first().waitFor({ timeout: UI_TIMEOUT });
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${chat.spanId}"]`).click({ button: 'right' });
  await choose('Open Span Details');
  await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${chat.spanId}"]`, UI_TIMEOUT);
  await s.page.keyboard.press('Escape');

  // One whose system prompt is in a workspace file: F12 opens that file, and the detail then shows the
  // location found (instrumentation-openai and the Vercel AI SDK record none, whatever the call did).
  const prompted = { traceId: 'c7'.repeat(16), spanId: 'c7c7c7c7c7c7c701' };
  const systemPrompt = 'You triage support tickets for the Spanlight end-to-end suite.';
  writeFileSync(join(s.workspace, 'triage.ts'), `// The triage agent.\nconst SYSTEM = '${systemPrompt}';\n`);
  const messages = [{ role: 'system', parts: [{ type: 'text', content: systemPrompt }] }, { role: 'user', parts: [{ type: 'text', content: 'Where is my order 4411?' }] }];
  await postHttp(s, 'traces', encodeTraces('prompted', [{ ...prompted, name: 'chat gpt-4o-mini', attributes: [...chatCallAttributes(), attr('gen_ai.input.messages', JSON.stringify(messages))] }]));
  await openTrace(sidebar, s, prompted.traceId);
  const promptedRow = sidebar.locator(`[data-testid="span-row"][data-span-id="${prompted.spanId}"]`);
  await promptedRow.click();
  assert.equal(await promptedRow.getAttribute('aria-keyshortcuts'), 'F12 R');
  await promptedRow.focus();
  await s.page.keyboard.press('F12');
  const triageTab = s.page.locator('.tabs-container .tab', { hasText: 'triage.ts' });
  await triageTab.first().waitFor({ timeout: UI_TIMEOUT });
  await s.page.locator('.statusbar-item', { hasText: 'this is where its system prompt is written' }).first().waitFor({ timeout: UI_TIMEOUT });
  const promptedDetail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${prompted.spanId}"]`, UI_TIMEOUT);
  const foundSource = promptedDetail.locator('[data-testid="detail-source"]');
  await foundSource.waitFor({ timeout: UI_TIMEOUT });
  assert.equal((await foundSource.innerText()).trim(), 'triage.ts:2');
  assert.match((await foundSource.getAttribute('title')) ?? '', /found by its prompt text/);
  await s.page.keyboard.press('Control+W');
  await triageTab.first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  // F12 in the detail goes there too, as on the row.
  await promptedDetail.locator('[data-testid="detail-name"]').click();
  await s.page.keyboard.press('F12');
  await triageTab.first().waitFor({ timeout: UI_TIMEOUT });
  await s.page.keyboard.press('Control+W');

  // A span recorded with its source (another machine's path: the workspace file with the same name is
  // opened): Go to Source from its menu, and F12 on its row.
  const sourced = { traceId: 'c5'.repeat(16), spanId: 'c5c5c5c5c5c5c501' };
  await postHttp(s, 'traces', encodeTraces('sourced', [{ ...sourced, name: 'load_config', attributes: [attr('code.filepath', '/home/dev/project/app.py'), attr('code.lineno', 1)] }]));
  await openTrace(sidebar, s, sourced.traceId);
  const appTab = s.page.locator('.tabs-container .tab', { hasText: 'app.py' });
  const sourcedRow = sidebar.locator(`[data-testid="span-row"][data-span-id="${sourced.spanId}"]`);
  await sourcedRow.click({ button: 'right' });
  await choose('Go to Source');
  await appTab.first().waitFor({ timeout: UI_TIMEOUT });
  await s.page.keyboard.press('Control+W');
  await appTab.first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await sourcedRow.click();
  await sourcedRow.focus();
  await s.page.keyboard.press('F12');
  await appTab.first().waitFor({ timeout: UI_TIMEOUT });

  // A recorded path that is link syntax is quoted as text in the notification: no link, no command.
  const lure = { traceId: 'c6'.repeat(16), spanId: 'c6c6c6c6c6c6c601' };
  const lurePath = '[Open the settings](command:workbench.action.openSettings)';
  await postHttp(s, 'traces', encodeTraces('lure', [{ ...lure, name: 'lure', attributes: [attr('code.filepath', lurePath), attr('code.lineno', 1)] }]));
  await openTrace(sidebar, s, lure.traceId);
  await sidebar.locator(`[data-testid="span-row"][data-span-id="${lure.spanId}"]`).click();
  await s.page.keyboard.press('F12');
  const toast = s.page.locator('.notification-list-item-message', { hasText: 'was not found in this workspace' }).first();
  await toast.waitFor({ timeout: UI_TIMEOUT });
  assert.equal((await toast.innerText()).replace(/\u200b/g, ''), `Spanlight: ${lurePath} was not found in this workspace.`);
  assert.equal(await toast.locator('a').count(), 0, 'the path made no link');

  // Delete Trace from the menu of the selected trace: its neighbour down the list takes its place, as
  // after the Delete key (the list jumped back to its top, to the newest trace).
  const ids = ['d1', 'd2', 'd3'].map((d) => d.repeat(16));
  for (const id of ids) {
    await postHttp(s, 'traces', encodeTraces('deletions', [{ traceId: id, spanId: `${id.slice(0, 14)}01`, name: `delete me ${id.slice(0, 2)}` }]));
    await new Promise((resolve) => setTimeout(resolve, 20)); // newest first: d3, d2, d1
  }
  await openTrace(sidebar, s, ids[1]);
  await sidebar.locator(row(ids[1])).click({ button: 'right' });
  await choose('Delete Trace');
  await sidebar.locator(row(ids[1])).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await sidebar.locator(`${row(ids[0])}[aria-selected="true"]`).waitFor({ timeout: UI_TIMEOUT });
  assert.equal(await sidebar.locator(`${row(ids[2])}[aria-selected="true"]`).count(), 0, 'not the newest trace');
});

e2eTest("Export Trace (the open trace's header button, a row's menu) writes it to a file in the workspace; deleted, Import Traces brings it back the same, messages and all", () => session, async (t, s) => {
  const sidebar = await sidebarOf(s);
  const exported = await apiTrace(s, ERROR_TRACE);
  const dialogInput = s.page.locator('.quick-input-widget input');
  const toast = (text: string) => s.page.locator('.notifications-toasts .notification-toast', { hasText: text });

  const name = `handle_ticket-${ERROR_TRACE.slice(0, 8)}.otlp.jsonl`;
  const suggested = () => eventually(async () => ((await dialogInput.inputValue()).endsWith(name) ? true : undefined), `the suggested file name ${name}`);
  // The open trace's header has the button; its dialog, cancelled, writes nothing.
  await openTrace(sidebar, s, ERROR_TRACE);
  await sidebar.locator('[data-testid="tree-export"]').click();
  await dialogInput.waitFor({ timeout: UI_TIMEOUT });
  await suggested();
  await s.page.keyboard.press('Escape');
  await dialogInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  assert.equal(existsSync(join(s.workspace, name)), false);

  await (await traceRow(sidebar, ERROR_TRACE)).click({ button: 'right' });
  await chooseMenuItem(s, 'Export Trace…');
  // code-server's save dialog is VS Code's own: a path in the quick input, the suggested name in the workspace.
  await dialogInput.waitFor({ timeout: UI_TIMEOUT });
  await suggested();
  await dialogInput.press('Enter');
  await toast(`exported ${exported.spans.length} spans of “handle_ticket” to ${name}`).first().waitFor({ timeout: UI_TIMEOUT });
  // Its spans as received, then the GenAI log records that hold the failing call's messages.
  const lines = readFileSync(join(s.workspace, name), 'utf8').trimEnd().split('\n');
  assert.deepEqual(lines.map((line) => Object.keys(JSON.parse(line) as object)), [['resourceSpans'], ['resourceLogs']]);

  await (await traceRow(sidebar, ERROR_TRACE)).click({ button: 'right' });
  await chooseMenuItem(s, 'Delete Trace');
  await sidebar.locator(row(ERROR_TRACE)).waitFor({ state: 'detached', timeout: UI_TIMEOUT });

  await runCommand(s.page, 'Spanlight: Import Traces…');
  // The open dialog lists the workspace (it fills its input as it loads: a path typed before is replaced).
  await s.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click({ timeout: UI_TIMEOUT });
  await eventually(async () => ((await dialogInput.inputValue()).endsWith(name) ? true : undefined), `${name} chosen in the open dialog`);
  await dialogInput.press('Enter');
  const imported = toast(`imported ${exported.spans.length} spans in 1 trace and`);
  await imported.first().waitFor({ timeout: UI_TIMEOUT });
  t.diagnostic(`notification: ${(await imported.first().innerText()).replace(/\s+/g, ' ')}`);
  // Back in the list, selected, and the same as before it was deleted.
  await sidebar.locator(`${row(ERROR_TRACE)}[aria-selected="true"]`).waitFor({ timeout: UI_TIMEOUT });
  const back = await apiTrace(s, ERROR_TRACE);
  assert.deepEqual(back.spans, exported.spans);
  assert.ok(back.spans.some((span) => span.llm?.inputMessages.length), 'the messages that came as log records');

  // The file's own menu in the Explorer imports it too, without a dialog.
  await (await traceRow(sidebar, ERROR_TRACE)).click({ button: 'right' });
  await chooseMenuItem(s, 'Delete Trace');
  await sidebar.locator(row(ERROR_TRACE)).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await s.page.keyboard.press('Control+Shift+E');
  await importFromExplorer(s, name);
  // Its spans line is stored before its log records line is sent: the trace is whole once both are in.
  await eventually(async () => (isDeepStrictEqual((await apiTrace(s, ERROR_TRACE)).spans, exported.spans) ? true : undefined), 'the trace imported again, messages and all', UI_TIMEOUT);
  // The import brings the Traces view back over the Explorer, with the trace open (no click here: one on
  // the view's icon while it is being shown would close it again).
  await s.launch.findFrameWith(s.page, `${row(ERROR_TRACE)}[aria-selected="true"]`, UI_TIMEOUT);

  // A file that is not OTLP/JSON is refused with where and why, and nothing is sent.
  const broken = 'not-a-trace.jsonl';
  writeFileSync(join(s.workspace, broken), `${lines[0]}\n{"resourceSpans": [\n`);
  await s.page.keyboard.press('Control+Shift+E');
  await importFromExplorer(s, broken);
  await toast(`${broken} is not an OTLP/JSON file: line 2 is not JSON`).first().waitFor({ timeout: UI_TIMEOUT });

  // One the receiver refuses part of: what came before is imported, and the error names the line.
  const half = 'half-a-trace.jsonl';
  const kept = { traceId: 'e7'.repeat(16), spanId: 'e7e7e7e7e7e7e701' };
  const keptLine = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ ...kept, name: 'kept turn', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] });
  writeFileSync(join(s.workspace, half), `${keptLine}\n{"resourceSpans": 5}\n`);
  await importFromExplorer(s, half);
  const refused = toast(`importing ${half} (line 2): the receiver at`);
  await refused.first().waitFor({ timeout: UI_TIMEOUT });
  assert.match(await refused.first().innerText(), /answered 400[^]*The request before it was imported\./);
  assert.equal((await apiTrace(s, kept.traceId)).spans[0].name, 'kept turn');

  // A Collector's binary file (its file exporter's `format: proto`: each message after its length) imports too.
  const binary = 'collector.pb';
  const message = fixture('strands-http-protobuf-traces-1.bin');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length);
  writeFileSync(join(s.workspace, binary), Buffer.concat([length, message]));
  await importFromExplorer(s, binary);
  const fromBinary = toast(`from ${binary}.`);
  await fromBinary.first().waitFor({ timeout: UI_TIMEOUT });
  const said = (await fromBinary.first().innerText()).replace(/\s+/g, ' ');
  t.diagnostic(`notification: ${said}`);
  assert.match(said, /imported \d+ spans in \d+ traces? from collector\.pb\./);
});

e2eTest("a span's conversation and user are in its detail, a click there filters the list to that conversation's turns, and Export Listed Traces writes them in one file", () => session, async (t, s) => {
  // Three turns of one conversation and one of another, GenAI's conversation id on their model calls.
  const turns = ['d1', 'd2', 'd3', 'd4'].map((b, i) => ({ traceId: b.repeat(16), spanId: `${b.repeat(7)}01`, conversation: i < 3 ? 'conv-e2e-42' : 'conv-e2e-77' }));
  for (const turn of turns) {
    const attributes = [...chatCallAttributes(), attr('gen_ai.conversation.id', turn.conversation), attr('user.id', 'alice@example.com')];
    await postHttp(s, 'traces', encodeTraces('support-chat', [{ traceId: turn.traceId, spanId: turn.spanId, name: 'chat gpt-4o-mini', attributes }]));
    await new Promise((resolve) => setTimeout(resolve, 5)); // each turn starts later
  }
  const sidebar = await sidebarOf(s);
  const filter = sidebar.locator('[data-testid="filter-text"]');
  try {
    await openTrace(sidebar, s, turns[1].traceId);
    await sidebar.locator(`[data-testid="span-row"][data-span-id="${turns[1].spanId}"]`).click();
    const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${turns[1].spanId}"]`, UI_TIMEOUT);
    assert.equal(await textOf(detail, '[data-testid="detail-session"] code'), 'conv-e2e-42');
    assert.equal(await textOf(detail, '[data-testid="detail-user"] code'), 'alice@example.com');
    await detail.locator('[data-testid="detail-session-traces"]').click();
    // The sidebar's filter now holds the id, and lists that conversation's three turns, not the other one.
    await eventually(async () => ((await filter.evaluate((box) => (box as unknown as { value: string }).value)) === 'conv-e2e-42' ? true : undefined), 'the filter set to the conversation id');
    await sidebar.locator('[data-testid="trace-count"]', { hasText: '3 matching traces' }).waitFor({ timeout: UI_TIMEOUT });
    const listed = await sidebar.locator('[data-testid="trace-row"]').evaluateAll((rows) => rows.map((r) => (r as unknown as PageNode).dataset.traceId));
    assert.deepEqual([...listed].sort(), turns.slice(0, 3).map((turn) => turn.traceId).sort());
    t.diagnostic(`filtered by the conversation: ${listed.length} traces`);

    // The listed turns in one file, in the order they were received, named for the filter.
    const name = 'traces-conv-e2e-42.otlp.jsonl';
    const dialogInput = s.page.locator('.quick-input-widget input');
    await runCommand(s.page, 'Spanlight: Export Listed Traces…');
    await dialogInput.waitFor({ timeout: UI_TIMEOUT });
    await eventually(async () => ((await dialogInput.inputValue()).endsWith(name) ? true : undefined), `the suggested file name ${name}`);
    await dialogInput.press('Enter');
    await s.page.locator('.notifications-toasts .notification-toast', { hasText: `exported 3 spans in 3 traces to ${name}` }).first().waitFor({ timeout: UI_TIMEOUT });
    const lines = readFileSync(join(s.workspace, name), 'utf8').trimEnd().split('\n');
    const traceIdOf = (line: string) => (JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] }).resourceSpans[0].scopeSpans[0].spans[0].traceId;
    assert.deepEqual(lines.map(traceIdOf), turns.slice(0, 3).map((turn) => turn.traceId));
  } finally {
    // Later tests read the whole list.
    await filter.click();
    await s.page.keyboard.press('Escape');
    await sidebar.locator('[data-testid="trace-count"]', { hasText: 'matching' }).waitFor({ state: 'detached', timeout: UI_TIMEOUT }).catch(() => undefined);
  }
});

e2eTest("the editor shows each call site's stats above its line, placed by recorded source or by prompt text, and a click opens the latest call, whose detail names the line", () => session, async (t, s) => {
  // A model call recorded no source line (as instrumentation-openai records none): its system prompt is
  // written on line 3 of billing.ts. A job recorded its own line in worker.py (another machine's path).
  const systemPrompt = 'You explain invoices for the call-site lens suite, in two sentences.';
  writeFileSync(join(s.workspace, 'billing.ts'), `// Billing assistant.\nexport const PROMPT = [\n  '${systemPrompt}',\n];\n`);
  writeFileSync(join(s.workspace, 'worker.py'), 'def run():\n    process_invoices()\n');
  const chatAt = (traceId: string, user: string, status?: number) => ({
    traceId,
    spanId: `${traceId.slice(0, 14)}01`,
    name: 'chat gpt-4o-mini',
    status,
    attributes: [...chatCallAttributes(), attr('gen_ai.input.messages', JSON.stringify([
      { role: 'system', parts: [{ type: 'text', content: systemPrompt }] },
      { role: 'user', parts: [{ type: 'text', content: user }] },
    ]))],
  });
  const calls = ['b1', 'b2'].map((b) => b.repeat(16));
  await postHttp(s, 'traces', encodeTraces('billing', [chatAt(calls[0], 'Why was I charged twice in May?')]));
  await new Promise((resolve) => setTimeout(resolve, 20));
  await postHttp(s, 'traces', encodeTraces('billing', [chatAt(calls[1], 'What is the VAT line on invoice 7?', 2)]));
  const job = { traceId: 'b3'.repeat(16), spanId: 'b3b3b3b3b3b3b301' };
  await postHttp(s, 'traces', encodeTraces('billing', [{ ...job, name: 'process_invoices', attributes: [attr('code.filepath', '/srv/billing/worker.py'), attr('code.lineno', 2)] }]));

  const openFile = async (name: string): Promise<void> => {
    await s.page.keyboard.press('Control+P');
    const input = s.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: UI_TIMEOUT });
    await input.fill(name);
    // The focused row, not any row: Enter pressed while the list still showed the recent files opened
    // the one before (seen once under load: worker.py instead of billing.ts).
    await s.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT });
    await s.page.keyboard.press('Enter');
    await s.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT });
  };
  const lens = (text: string) => s.page.locator('.codelens-decoration a', { hasText: text }).first();

  await openFile('billing.ts');
  // Both calls are counted at the prompt's line, whatever their user messages: tokens, the error.
  const billingLens = lens('2 LLM calls');
  await billingLens.waitFor({ timeout: UI_TIMEOUT });
  const title = (await billingLens.innerText()).trim();
  t.diagnostic(`billing.ts lens: ${title}`);
  assert.match(title, /^2 LLM calls · gpt-4o-mini · p50 \S+ (ms|s) · 38 tokens · <?\$\S+ · 1 error$/);
  // It sits above the line the prompt is on (a lens is drawn in a zone before its line).
  const assertAbovePrompt = async (shown: Locator): Promise<void> => {
    await eventually(async () => {
      const promptLine = await s.page.locator('.view-line', { hasText: systemPrompt }).first().boundingBox();
      const lensBox = await shown.boundingBox();
      return promptLine && lensBox && lensBox.y < promptLine.y && promptLine.y - lensBox.y < 40 ? true : undefined;
    }, 'the lens just above the line of the prompt', UI_TIMEOUT);
  };
  await assertAbovePrompt(billingLens);

  // A click opens the latest call: selected in the sidebar, its detail shown.
  await billingLens.click();
  const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${calls[1].slice(0, 14)}01"]`, UI_TIMEOUT);
  const sidebar = await sidebarOf(s);
  await sidebar.locator(`${row(calls[1])}[aria-selected="true"]`).waitFor({ timeout: UI_TIMEOUT });
  // The call recorded no source, but the lens placed its prompt: the detail names that line, unasked.
  const source = detail.locator('[data-testid="detail-source"]');
  await source.waitFor({ timeout: UI_TIMEOUT });
  assert.equal((await source.innerText()).trim(), 'billing.ts:3');
  assert.match((await source.getAttribute('title')) ?? '', /found by its prompt text/);

  // The recorded line, in the workspace file of the same name.
  await openFile('worker.py');
  const workerLens = lens('1 span');
  await workerLens.waitFor({ timeout: UI_TIMEOUT });
  assert.match((await workerLens.innerText()).trim(), /^1 span · p50 \S+ (ms|s)$/);

  // A trace deleted is counted no more.
  await openFile('billing.ts');
  await sidebar.locator(row(calls[1])).click({ button: 'right' });
  const deleteItem = s.page.locator('.context-view .action-label').filter({ hasText: /^Delete Trace$/ });
  await deleteItem.waitFor({ timeout: UI_TIMEOUT });
  const focused = s.page.locator('.context-view .action-item.focused .action-label');
  for (let i = 0; i < 8 && ((await focused.count()) === 0 || (await focused.innerText()) !== 'Delete Trace'); i++) await s.page.keyboard.press('ArrowDown');
  await s.page.keyboard.press('Enter');
  await lens('1 LLM call').waitFor({ timeout: UI_TIMEOUT });
  assert.match((await lens('1 LLM call').innerText()).trim(), /^1 LLM call · gpt-4o-mini · p50 \S+ (ms|s) · 19 tokens/);

  // The code moves: the lens follows the prompt to its new line, saved or not.
  await s.page.locator('.view-line', { hasText: 'Billing assistant.' }).first().click();
  await s.page.keyboard.press('Control+Home');
  for (let i = 0; i < 3; i++) await s.page.keyboard.press('Enter');
  await assertAbovePrompt(lens('1 LLM call'));
  await s.page.keyboard.press('Control+S');
  await s.page.keyboard.press('Control+W');
  await s.page.keyboard.press('Control+W');
});

e2eTest('Search all text: words deep inside a long prompt, which the filter cannot see, are found in the stored spans, and the match opens its span', () => session, async (t, s) => {
  const traceId = 'c7'.repeat(16);
  const spanId = 'c7c7c7c7c7c7c701';
  const prompt = `Context: ${'The quarterly ledger lists every shipment. '.repeat(400)} Which Zanzibar clove order was refunded? ${'Each line has a date and an amount. '.repeat(400)}`;
  await postHttp(s, 'traces', encodeTraces('deep-search', [{ traceId, spanId, name: 'chat gpt-4o-mini', attributes: [...chatCallAttributes(), attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: prompt }] }]))] }]));
  const sidebar = await sidebarOf(s);
  await traceRow(sidebar, traceId);
  const filter = sidebar.locator('[data-testid="filter-text"]');
  const quickInput = s.page.locator('.quick-input-widget');
  try {
    // The filter indexes the start and end of a long text: the question in its middle is not found.
    await filter.click();
    await s.page.keyboard.type('zanzibar clove');
    await sidebar.locator('[data-testid="no-match"]:not([hidden])').waitFor({ timeout: UI_TIMEOUT });
    const searchAll = sidebar.locator('[data-testid="search-all-text"]:not([hidden])');
    await searchAll.click({ timeout: UI_TIMEOUT });

    // The search reads every stored span and lists the one that holds the text, with the words around it.
    const title = quickInput.locator('.quick-input-title');
    await title.filter({ hasText: '1 span in 1 trace' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await quickInput.locator('input').inputValue(), 'zanzibar clove');
    const match = quickInput.locator('.monaco-list-row', { hasText: 'chat gpt-4o-mini' });
    const matchText = (await match.innerText()).replace(/\s+/g, ' ');
    t.diagnostic(`match: ${matchText}`);
    assert.match(matchText, /user message: ….*Which Zanzibar clove order was refunded\?.*…/);
    assert.match(matchText, /deep-search|chat gpt-4o-mini · /);

    // Enter opens it: its trace selected in the sidebar, its detail shown. The filter that hid the
    // trace is cleared, so its row is there to see.
    await s.page.keyboard.press('Enter');
    const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${spanId}"]`, UI_TIMEOUT);
    await sidebar.locator(`${row(traceId)}[aria-selected="true"]`).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await filter.evaluate((box) => (box as unknown as { value: string }).value), '');
    // The detail shows the found text: its message expanded, the words highlighted and scrolled into view.
    await detail.locator('[data-testid="show-more"][aria-expanded="true"]').first().waitFor({ timeout: UI_TIMEOUT });
    const found = await eventually(
      () =>
        detail.evaluate(() => {
          // The page's types, which this file (compiled for Node) does not know.
          type FoundRange = { getBoundingClientRect(): { top: number; bottom: number }; toString(): string };
          const page = globalThis as unknown as { CSS: { highlights: Map<string, Set<FoundRange>> }; innerHeight: number };
          const others = page.CSS.highlights.get('spanlight-find');
          const first = [...(page.CSS.highlights.get('spanlight-find-current') ?? [])][0];
          if (!first || !others) return undefined;
          const box = first.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= page.innerHeight ? { count: 1 + others.size, text: first.toString() } : undefined;
        }),
      'the found words highlighted on screen in the detail',
      UI_TIMEOUT,
    );
    // In the conversation (the first, marked as the current match), and in the raw attribute it was read from.
    assert.deepEqual(found, { count: 2, text: 'Zanzibar clove' });

    // From the keyboard in the Traces view; text typed in the quick pick is searched as it is typed,
    // and text no span holds says so.
    await sidebar.locator(`${row(traceId)}[aria-selected="true"]`).focus();
    await s.page.keyboard.press('Control+Shift+F');
    await quickInput.locator('input').waitFor({ timeout: UI_TIMEOUT });
    await quickInput.locator('input').fill('Zanzibar CLOVE');
    await title.filter({ hasText: '1 span in 1 trace' }).waitFor({ timeout: UI_TIMEOUT });
    await quickInput.locator('input').fill('clove order was never refunded');
    await title.filter({ hasText: 'no stored span holds "clove order was never refunded"' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await quickInput.locator('.monaco-list-row').count(), 0);
    await s.page.keyboard.press('Escape');
    await quickInput.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  } catch (error) {
    for (const line of await s.launch.captureFailure({ name: 'search-all-text', page: s.page })) t.diagnostic(line);
    await s.page.keyboard.press('Escape').catch(() => undefined);
    throw error;
  } finally {
    // The next tests read the list unfiltered.
    await filter.click().catch(() => undefined);
    await s.page.keyboard.press('Escape').catch(() => undefined);
  }
});

/** The value of a @vscode-elements control (textfield, textarea, select), which it keeps as a property. */
function fieldValue(control: Locator): Promise<string> {
  return control.evaluate((e) => (e as unknown as { value: string }).value);
}

/**
 * A model call of `attributes` that went to `fake` (its address and port recorded as the server), posted
 * as its own trace, which is opened in the sidebar with the call's row selected.
 */
async function postCallTo(s: E2eSession, fake: FakeOpenAIServer, call: { traceId: string; spanId: string }, name: string, attributes: Attr[]): Promise<{ sidebar: Frame; row: Locator }> {
  await postHttp(s, 'traces', encodeTraces('replay-app', [{ ...call, name, attributes: [...attributes, attr('server.address', '127.0.0.1'), attr('server.port', fake.port)] }]));
  const sidebar = await sidebarOf(s);
  await openTrace(sidebar, s, call.traceId);
  const row = sidebar.locator(`[data-testid="span-row"][data-span-id="${call.spanId}"]`);
  await row.click();
  return { sidebar, row };
}

e2eTest('Replay: a captured call is edited and sent again to its server, its answer shown beside the captured one; a failure says why; reopened, it is where it was left', () => session, async (t, s) => {
  // The app's OpenAI-compatible server, on loopback (no API key, no workspace trust needed).
  const fake = await startFakeOpenAI();
  try {
    const call = { traceId: 'c1'.repeat(16), spanId: 'c1c1c1c1c1c1c101' };
    const { sidebar } = await postCallTo(s, fake, call, 'chat gpt-4o-mini', [
      ...chatCallAttributes(),
      attr('gen_ai.request.temperature', 0.3),
      attr('gen_ai.input.messages', JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'You answer billing questions in one sentence.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Is invoice 7 paid?' }] },
      ])),
      attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Invoice 7 was paid on May 2.' }] }])),
    ]);
    const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${call.spanId}"]`, UI_TIMEOUT);
    await detail.locator('[data-testid="detail-replay"]').click();

    // Its own tab, holding the request as captured, to the server it went to.
    await s.page.locator('.tabs-container .tab', { hasText: 'Replay: chat gpt-4o-mini' }).first().waitFor({ timeout: UI_TIMEOUT });
    const replay = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"]`, UI_TIMEOUT);
    const valueOf = (testId: string) => fieldValue(replay.locator(`[data-testid="${testId}"]`).first());
    assert.equal(await valueOf('replay-base-url'), `http://127.0.0.1:${fake.port}/v1`);
    assert.equal(await valueOf('replay-model'), 'gpt-4o-mini');
    assert.equal(await valueOf('replay-temperature'), '0.3');
    const contents = replay.locator('[data-testid="replay-message-content"]');
    assert.equal(await contents.count(), 2);
    assert.equal(await fieldValue(contents.nth(1)), 'Is invoice 7 paid?');

    // Edited and run (Ctrl+Enter): the server gets the edit, the answer is shown beside the captured one.
    const before = fake.requests.length;
    await contents.nth(1).locator('textarea').fill('Is invoice 9 paid?');
    await contents.nth(1).locator('textarea').press('Control+Enter');
    const latest = replay.locator('[data-testid="replay-latest"]');
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await latest.innerText(), /You said: "Is invoice 9 paid\?"/);
    assert.match(await replay.locator('[data-testid="replay-original"]').innerText(), /Invoice 7 was paid on May 2\./);
    // Priced as the captured call is: from the price table, by the model that answered.
    assert.match(await latest.locator('[data-testid="replay-answer-cost"]').innerText(), /^<?\$\d/);
    // And what changed, word by word.
    assert.match(await replay.locator('[data-testid="replay-diff"] del').first().innerText(), /\S/);
    assert.match(await replay.locator('[data-testid="replay-diff"] ins').first().innerText(), /\S/);
    const sent = fake.requests.slice(before).find((r) => r.path === '/v1/chat/completions');
    assert.deepEqual((sent?.body as { messages: unknown }).messages, [
      { role: 'system', content: 'You answer billing questions in one sentence.' },
      { role: 'user', content: 'Is invoice 9 paid?' },
    ]);
    assert.equal((sent?.body as { temperature: unknown }).temperature, 0.3);

    // The request goes back to the app's code as the SDK call that sends it.
    await replay.locator('[data-testid="replay-copy-python"]').click();
    await s.page.locator('.statusbar-item', { hasText: 'Copied the request as Python' }).first().waitFor({ timeout: UI_TIMEOUT });

    // A model the server refuses: the reason, and the earlier answer kept below.
    await replay.locator('[data-testid="replay-model"] input').fill('fail-500');
    await replay.locator('[data-testid="replay-run"]').click();
    await latest.locator('[data-testid="replay-error"]').waitFor({ timeout: UI_TIMEOUT });
    const error = await latest.locator('[data-testid="replay-error"]').innerText();
    t.diagnostic(`replay error: ${error}`);
    assert.match(error, new RegExp(`^http://127\\.0\\.0\\.1:${fake.port}/v1 answered 500: `));
    await replay.locator('[data-testid="replay-earlier"]').first().waitFor({ timeout: UI_TIMEOUT });
    // A field that is not a number is said before anything is sent.
    const sentBefore = fake.requests.length;
    await replay.locator('[data-testid="replay-temperature"] input').fill('warm');
    await replay.locator('[data-testid="replay-run"]').click();
    await replay.locator('[data-testid="replay-status"]', { hasText: 'Temperature must be a number' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(fake.requests.length, sentBefore);

    // Closed, and opened again from the keyboard (R on the call's row): the request as last sent and its
    // runs are there, and the captured one a click away.
    await s.page.keyboard.press('Control+W');
    await s.page.locator('.tabs-container .tab', { hasText: 'Replay: chat gpt-4o-mini' }).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    const callRow = sidebar.locator(`[data-testid="span-row"][data-span-id="${call.spanId}"]`);
    await callRow.focus();
    await s.page.keyboard.press('r');
    const reopened = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"] [data-testid="replay-restored"]`, UI_TIMEOUT);
    assert.equal(await fieldValue(reopened.locator('[data-testid="replay-model"]')), 'fail-500');
    await reopened.locator('[data-testid="replay-latest"] [data-testid="replay-error"]').waitFor({ timeout: UI_TIMEOUT });
    await reopened.locator('[data-testid="replay-reset"]').click();
    await eventually(async () => ((await fieldValue(reopened.locator('[data-testid="replay-model"]'))) === 'gpt-4o-mini' ? true : undefined), 'the captured model back', UI_TIMEOUT);
    assert.equal(await fieldValue(reopened.locator('[data-testid="replay-message-content"]').nth(1)), 'Is invoice 7 paid?');
    assert.equal(await reopened.locator('[data-testid="replay-restored"]').count(), 0);
    await s.page.keyboard.press('Control+W');
  } finally {
    await fake.close();
  }
});

e2eTest('Replay: a call recorded through the Responses API is sent through it again; switched to Chat Completions, the same draft goes there', () => session, async (t, s) => {
  const fake = await startFakeOpenAI();
  try {
    const call = { traceId: 'c2'.repeat(16), spanId: 'c2c2c2c2c2c2c201' };
    await postCallTo(s, fake, call, 'responses gpt-4o-mini', [
      attr('gen_ai.operation.name', 'responses'),
      attr('gen_ai.provider.name', 'openai'),
      attr('gen_ai.request.model', 'gpt-4o-mini'),
      attr('gen_ai.request.max_tokens', 200),
      attr('gen_ai.request.reasoning.level', 'low'),
      attr('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: 'You answer shipping questions.' }])),
      attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Where is parcel 12?' }] }])),
      attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Parcel 12 is in Lyon.' }] }])),
    ]);
    const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${call.spanId}"]`, UI_TIMEOUT);
    await detail.locator('[data-testid="detail-replay"]').click();
    const replay = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"] [data-testid="replay-api"]`, UI_TIMEOUT);
    const api = replay.locator('[data-testid="replay-api"]');
    assert.equal(await fieldValue(api), 'responses');
    assert.equal(await fieldValue(replay.locator('[data-testid="replay-reasoning-effort"]')), 'low');

    // Run as captured: the Responses API gets the request in its own form, and its answer is shown.
    let before = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    const latest = replay.locator('[data-testid="replay-latest"]');
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await latest.innerText(), /You said: "Where is parcel 12\?"/);
    const sent = fake.requests.slice(before).find((r) => r.path === '/v1/responses');
    assert.ok(sent, `requests: ${fake.requests.slice(before).map((r) => r.path).join(', ')}`);
    assert.deepEqual((sent.body as { input: unknown }).input, [
      { role: 'system', content: 'You answer shipping questions.' },
      { role: 'user', content: 'Where is parcel 12?' },
    ]);
    assert.equal((sent.body as { max_output_tokens: unknown }).max_output_tokens, 200);
    assert.deepEqual((sent.body as { reasoning: unknown }).reasoning, { effort: 'low' });
    assert.equal(fake.requests.slice(before).some((r) => r.path === '/v1/chat/completions'), false);

    // The user picks Chat Completions: the same messages go there.
    await api.click();
    await replay.locator('[data-testid="replay-api"] li', { hasText: 'Chat Completions' }).or(replay.getByRole('option', { name: 'Chat Completions' })).first().click();
    await eventually(async () => ((await fieldValue(api)) === 'chat' ? true : undefined), 'Chat Completions chosen', UI_TIMEOUT);
    before = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    await replay.locator('[data-testid="replay-earlier"]').first().waitFor({ timeout: UI_TIMEOUT });
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    const chat = fake.requests.slice(before).find((r) => r.path === '/v1/chat/completions');
    assert.ok(chat, `requests: ${fake.requests.slice(before).map((r) => r.path).join(', ')}`);
    assert.equal((chat.body as { max_tokens: unknown }).max_tokens, 200);
    assert.equal((chat.body as { reasoning_effort: unknown }).reasoning_effort, 'low');
    await s.page.keyboard.press('Control+W');
  } finally {
    await fake.close();
  }
});

e2eTest("Replay: an assistant turn's tool call is edited (function and arguments) and sent so, one added with its answer and removed again; arguments that are not JSON are said before sending", () => session, async (t, s) => {
  const fake = await startFakeOpenAI();
  try {
    const call = { traceId: 'c8'.repeat(16), spanId: 'c8c8c8c8c8c8c801' };
    await postCallTo(s, fake, call, 'chat gpt-4o-mini', [
      ...chatCallAttributes(),
      attr('gen_ai.input.messages', JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Where is parcel 12?' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_p12', name: 'track_parcel', arguments: { parcel: 12 } }] },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_p12', response: 'In Lyon' }] },
      ])),
      attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Parcel 12 is in Lyon.' }] }])),
    ]);
    const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${call.spanId}"]`, UI_TIMEOUT);
    await detail.locator('[data-testid="detail-replay"]').click();
    const replay = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"] [data-testid="replay-tool-call"]`, UI_TIMEOUT);
    const name = replay.locator('[data-testid="replay-tool-call-name"]');
    const args = replay.locator('[data-testid="replay-tool-call-arguments"]');
    assert.equal(await fieldValue(name), 'track_parcel');
    assert.equal(await fieldValue(args), '{\n  "parcel": 12\n}');

    // Another function, other arguments: the request carries them under the captured call id, and the
    // server's answer (which names the function whose result it read) shows it took them.
    await name.locator('input').fill('locate_parcel');
    await args.locator('textarea').fill('{"parcel": 13, "carrier": "dhl"}');
    const before = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    const latest = replay.locator('[data-testid="replay-latest"]');
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await latest.innerText(), /According to locate_parcel: In Lyon\./);
    const sent = fake.requests.slice(before).find((r) => r.path === '/v1/chat/completions');
    assert.deepEqual((sent?.body as { messages: unknown[] }).messages[1], {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_p12', type: 'function', function: { name: 'locate_parcel', arguments: '{"parcel":13,"carrier":"dhl"}' } }],
    });

    // A typo in the arguments is said in the run bar, and nothing goes out.
    await args.locator('textarea').fill('{"parcel": 13,');
    const sentBefore = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    await replay.locator('[data-testid="replay-status"]', { hasText: 'The arguments of the call to locate_parcel are not JSON' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(fake.requests.length, sentBefore);

    // A call added to the turn comes with its tool message, where the user writes what the tool said:
    // both are sent (the server refuses a call left unanswered, or an answer to no call).
    await args.locator('textarea').fill('{"parcel": 13}');
    await replay.locator('[data-testid="replay-add-tool-call"]:visible').click();
    await name.nth(1).locator('input').fill('parcel_weather');
    await args.nth(1).locator('textarea').fill('{"city": "Lyon"}');
    await replay.locator('[data-testid="replay-message-content"]').nth(3).locator('textarea').fill('Sunny');
    const beforeAdded = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    const added = await eventually(async () => fake.requests.slice(beforeAdded).find((r) => r.path === '/v1/chat/completions'), 'the request with the added call');
    const addedMessages = (added?.body as { messages: { role: string; tool_calls?: { function: { name: string } }[]; tool_call_id?: string }[] }).messages;
    assert.deepEqual(addedMessages[1].tool_calls?.map((c) => c.function.name), ['locate_parcel', 'parcel_weather']);
    assert.deepEqual(addedMessages.slice(2).map((m) => [m.role, m.tool_call_id]), [['tool', 'call_p12'], ['tool', 'call_added_1']]);
    // The server took it (it refuses a call left unanswered, or an answer to no call) and read the result written.
    await replay.locator('[data-testid="replay-earlier"]').first().waitFor({ timeout: UI_TIMEOUT });
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await latest.innerText(), /According to parcel_weather: Sunny/);

    // Removed again, with its answer: the request is the one before.
    await replay.locator('[data-testid="replay-remove-tool-call"]').nth(1).click();
    assert.equal(await replay.locator('[data-testid="replay-message"]').count(), 3);
    const beforeRemoved = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    const removed = await eventually(async () => fake.requests.slice(beforeRemoved).find((r) => r.path === '/v1/chat/completions'), 'the request without it');
    assert.equal((removed?.body as { messages: unknown[] }).messages.length, 3);
    await replay.locator('[data-testid="replay-earlier"]').nth(1).waitFor({ timeout: UI_TIMEOUT });
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await latest.innerText(), /According to locate_parcel: In Lyon\./);
    await s.page.keyboard.press('Control+W');
  } finally {
    await fake.close();
  }
});

e2eTest('Replay: a Responses call that continued a stored response (OpenInference) is sent with its id, and the server answers from the turns it keeps', () => session, async (t, s) => {
  const fake = await startFakeOpenAI();
  try {
    // The app's first call, which the server stores; the recorded call continues it with the tool's output.
    const first = await storedToolCall(fake.url);
    const call = { traceId: 'c9'.repeat(16), spanId: 'c9c9c9c9c9c9c901' };
    await postCallTo(s, fake, call, 'Response', [
      attr('openinference.span.kind', 'LLM'),
      attr('llm.provider', 'openai'),
      attr('llm.model_name', 'gpt-4o-mini'),
      attr('llm.invocation_parameters', JSON.stringify({ model: 'gpt-4o-mini', previous_response_id: first.responseId })),
      attr('llm.input_messages.0.message.role', 'tool'),
      attr('llm.input_messages.0.message.content', 'In Lyon'),
      attr('llm.input_messages.0.message.tool_call_id', first.callId),
      attr('llm.output_messages.0.message.role', 'assistant'),
      attr('llm.output_messages.0.message.content', 'Parcel 12 is in Lyon.'),
    ]);
    const detail = await s.launch.findFrameWith(s.page, `[data-testid="span-detail"][data-span-id="${call.spanId}"]`, UI_TIMEOUT);
    await detail.locator('[data-testid="detail-replay"]').click();
    const replay = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"] [data-testid="replay-previous-response"]`, UI_TIMEOUT);
    const previous = replay.locator('[data-testid="replay-previous-response"]');
    assert.equal(await fieldValue(previous), first.responseId);
    assert.equal(await fieldValue(replay.locator('[data-testid="replay-api"]')), 'responses');
    // OpenInference records no server address: the user points the replay at the app's server.
    await replay.locator('[data-testid="replay-base-url"] input').fill(fake.url);

    const before = fake.requests.length;
    await replay.locator('[data-testid="replay-run"]').click();
    const latest = replay.locator('[data-testid="replay-latest"]');
    await latest.locator('[data-testid="chat-message"]').waitFor({ timeout: UI_TIMEOUT });
    assert.match(await latest.innerText(), /According to track_parcel: In Lyon\./);
    const sent = fake.requests.slice(before).find((r) => r.path === '/v1/responses');
    assert.equal((sent?.body as { previous_response_id?: unknown }).previous_response_id, first.responseId);

    // Emptied, only the recorded turn goes: its output answers no call the request holds, and the server says so.
    await previous.locator('input').fill('');
    await replay.locator('[data-testid="replay-run"]').click();
    await latest.locator('[data-testid="replay-error"]', { hasText: 'No tool call found for function call output' }).waitFor({ timeout: UI_TIMEOUT });
    await s.page.keyboard.press('Control+W');
  } finally {
    await fake.close();
  }
});

e2eTest('Replay variants: an edited request saved under a name, loaded back over the captured one, its runs labelled with it, kept across reopening, deleted', () => session, async (t, s) => {
  const fake = await startFakeOpenAI();
  try {
    const call = { traceId: 'c3'.repeat(16), spanId: 'c3c3c3c3c3c3c301' };
    const { row: callRow } = await postCallTo(s, fake, call, 'chat gpt-4o-mini', [
      ...chatCallAttributes(),
      attr('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Has parcel 31 left the warehouse?' }] }])),
      attr('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', finish_reason: 'stop', parts: [{ type: 'text', content: 'Yes, this morning.' }] }])),
    ]);
    await callRow.focus();
    await s.page.keyboard.press('r');
    let replay = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"] [data-testid="replay-variant"]`, UI_TIMEOUT);
    const valueOf = (frame: typeof replay, testId: string) => fieldValue(frame.locator(`[data-testid="${testId}"]`).first());
    const pick = async (frame: typeof replay, label: string) => {
      await frame.locator('[data-testid="replay-variant"]').click();
      await frame.locator('[data-testid="replay-variant"] li', { hasText: label }).or(frame.getByRole('option', { name: label, exact: true })).first().click();
    };
    const content = (frame: typeof replay) => frame.locator('[data-testid="replay-message-content"]').first();
    assert.equal(await valueOf(replay, 'replay-variant'), 'captured');
    assert.equal(await replay.locator('[data-testid="replay-delete-variant"]').isVisible(), false);

    // Edited and saved as "one word": VS Code's input box asks for the name.
    await content(replay).locator('textarea').fill('Has parcel 31 left the warehouse? One word.');
    await replay.locator('[data-testid="replay-save-variant"]').click();
    const input = s.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await input.inputValue(), 'Variant 1');
    await input.fill('one word');
    await input.press('Enter');
    await replay.locator('[data-testid="replay-status"]', { hasText: 'Saved as the variant "one word".' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await valueOf(replay, 'replay-variant'), 'variant:one word');

    // Its run says which request it was; an edit of it says so too.
    await replay.locator('[data-testid="replay-run"]').click();
    const latest = replay.locator('[data-testid="replay-latest"]');
    await latest.locator('h3', { hasText: 'Replay #1 (one word · gpt-4o-mini)' }).waitFor({ timeout: UI_TIMEOUT });
    await content(replay).locator('textarea').fill('Has parcel 31 left? One word, please.');
    await replay.locator('[data-testid="replay-run"]').click();
    await latest.locator('h3', { hasText: 'Replay #2 (one word, edited · gpt-4o-mini)' }).waitFor({ timeout: UI_TIMEOUT });

    // The captured request and the variant, each a pick away.
    await pick(replay, 'Captured request');
    await eventually(async () => ((await fieldValue(content(replay))) === 'Has parcel 31 left the warehouse?' ? true : undefined), 'the captured request back', UI_TIMEOUT);
    await pick(replay, 'one word');
    await eventually(async () => ((await fieldValue(content(replay))) === 'Has parcel 31 left the warehouse? One word.' ? true : undefined), 'the variant loaded', UI_TIMEOUT);

    // Closed and reopened: the variant is still there, and shown, since it is the request last loaded.
    await s.page.keyboard.press('Control+W');
    await s.page.locator('.tabs-container .tab', { hasText: 'Replay: chat gpt-4o-mini' }).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await callRow.focus();
    await s.page.keyboard.press('r');
    replay = await s.launch.findFrameWith(s.page, `[data-testid="replay"][data-span-id="${call.spanId}"] [data-testid="replay-variant"]`, UI_TIMEOUT);
    await pick(replay, 'one word');
    await eventually(async () => ((await fieldValue(content(replay))) === 'Has parcel 31 left the warehouse? One word.' ? true : undefined), 'the variant after reopening', UI_TIMEOUT);
    assert.equal(await valueOf(replay, 'replay-variant'), 'variant:one word');

    // Deleted, after VS Code asks: the captured request is what is left to pick.
    await replay.locator('[data-testid="replay-delete-variant"]').click();
    await s.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Delete' }).first().click();
    await replay.locator('[data-testid="replay-status"]', { hasText: 'Deleted the variant "one word".' }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await valueOf(replay, 'replay-variant'), 'captured');
    assert.equal(await replay.locator('[data-testid="replay-variant"] vscode-option').count(), 1);
    await s.page.keyboard.press('Control+W');
  } finally {
    await fake.close();
  }
});

e2eTest('a second window follows the first window\'s receiver and shows new traces live', () => session, async (t, s) => {
  const second = await s.openWindow();
  try {
    const sidebar2 = await openSidebar(second, s.launch);
    await sidebar2.locator('[data-testid="trace-list"]').waitFor({ timeout: UI_TIMEOUT });
    // It reads the traces the first window stored…
    assert.ok(sampleTraceId, 'the sample test ran first');
    await traceRow(sidebar2, sampleTraceId, 60_000);
    await traceRow(sidebar2, ERROR_TRACE);
    // …and says where they come from.
    await sidebar2.locator('[data-testid="receiver-banner"] [data-testid="receiver-status"][data-state="follower"]').waitFor({ timeout: UI_TIMEOUT });
    const before = await sidebar2.locator('[data-testid="trace-count"]').innerText();
    t.diagnostic(`second window before: ${before.trim()}`);

    // A trace posted now (to the first window's receiver) shows up in both windows.
    const live = 'f0'.repeat(16);
    await postHttp(s, 'traces', encodeTraces('live-follower', [{ traceId: live, spanId: 'f0f0f0f0f0f0f001', name: 'posted after the second window opened' }]));
    const shown = await traceRow(sidebar2, live);
    assert.equal((await shown.locator('[data-testid="trace-name"]').innerText()).trim(), 'posted after the second window opened');
    assert.equal((await shown.locator('[data-testid="trace-service"]').innerText()).trim(), 'live-follower');
    await traceRow(await sidebarOf(s), live);
  } catch (error) {
    for (const line of await s.launch.captureFailure({ name: 'sidebar-second-window', page: second })) t.diagnostic(line);
    throw error;
  } finally {
    await second.close().catch(() => undefined);
  }
});
