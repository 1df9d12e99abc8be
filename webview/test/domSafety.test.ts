// Trace content is untrusted: a span named `<img src=x onerror=alert(1)>` or a prompt holding `<script>`
// must show those characters literally. The builders run here against a DOM without an HTML parser
// (any HTML sink throws), and the source is checked for sinks as a second line after ESLint.
//   node --import tsx --test webview/test/*.test.ts
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Span, TraceSummary } from '../../src/protocol/model';
import type { DetailOutbound, SpanRow } from '../../src/protocol/messages';
import { FakeElement, installFakeDocument } from './fakeDom';

installFakeDocument();

const XSS = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert("pwned")</script>';

const span: Span = {
  traceId: 'ab'.repeat(16),
  spanId: '01'.repeat(8),
  parentSpanId: '02'.repeat(8),
  name: XSS,
  kind: 'CLIENT',
  startTimeUnixNano: '1732368000000000000',
  endTimeUnixNano: '1732368001000000000',
  durationMs: 1000,
  status: { code: 'ERROR', message: `status ${SCRIPT}` },
  attributes: { [XSS]: SCRIPT, 'gen_ai.request.model': `model ${XSS}`, 'nested': { html: SCRIPT } },
  events: [
    { name: 'exception', timeUnixNano: '1732368000500000000', attributes: { 'exception.type': XSS, 'exception.message': SCRIPT, 'exception.stacktrace': `Traceback ${SCRIPT}` } },
    { name: `event ${XSS}`, timeUnixNano: '1732368000600000000', attributes: { k: SCRIPT } },
  ],
  links: [{ traceId: 'cd'.repeat(16), spanId: '03'.repeat(8), attributes: { why: SCRIPT } }],
  resource: { 'service.name': `svc ${XSS}` },
  scope: { name: `scope ${SCRIPT}`, version: XSS },
  source: { path: `/app/${XSS}.py`, line: 3, origin: 'attribute', confidence: 1 },
  llm: {
    operation: 'chat',
    provider: XSS,
    requestModel: `gpt ${XSS}`,
    responseModel: SCRIPT,
    params: { temperature: 0.2, stop: [SCRIPT], tools: [{ name: XSS, description: SCRIPT, parameters: { type: 'object', description: SCRIPT } }] },
    inputMessages: [
      { role: 'system', content: `You are ${SCRIPT}` },
      {
        role: XSS,
        name: SCRIPT,
        content: [
          { type: 'text', text: `user ${XSS}` },
          { type: 'image', mimeType: `image/${XSS}`, uri: `javascript:alert(1)//${XSS}` },
          { type: 'file', uri: `data:text/html,${SCRIPT}` },
          { type: 'reasoning', text: `thinking ${SCRIPT}` },
          { type: 'other', value: { html: XSS } },
        ],
      },
      { role: 'tool', toolCallId: XSS, content: [{ type: 'tool_result', id: XSS, result: `{"html":"${SCRIPT.replace(/"/g, '\\"')}"}` }] },
    ],
    outputMessages: [{ role: 'assistant', content: `answer ${SCRIPT}`, finishReason: XSS, toolCalls: [{ id: XSS, name: SCRIPT, arguments: `{"q":"${XSS}"}` }] }],
    finishReasons: [XSS],
    usage: { inputTokens: 10, outputTokens: 5 },
    tool: { name: XSS, arguments: SCRIPT, result: XSS },
    input: SCRIPT,
    output: XSS,
    convention: ['genai'],
  },
};

const trace: TraceSummary = {
  traceId: span.traceId,
  rootName: XSS,
  serviceName: SCRIPT,
  startTimeUnixNano: span.startTimeUnixNano,
  durationMs: 1000,
  spanCount: 3,
  llmCallCount: 1,
  inputTokens: 10,
  outputTokens: 5,
  status: 'ERROR',
  models: [XSS, SCRIPT],
};

const FORBIDDEN_TAGS = new Set(['SCRIPT', 'IMG', 'IFRAME', 'OBJECT', 'EMBED', 'A', 'LINK', 'STYLE', 'FORM', 'BASE']);

/** The one picture the detail makes: an inline raster image's own bytes (src/protocol/inlineImage.ts), nothing fetched. */
const INLINE_IMAGE = /^data:image\/(png|jpeg|jpg|gif|webp|avif|bmp);base64,[A-Za-z0-9+/]+={0,2}$/;

function isInlineImage(e: FakeElement): boolean {
  return e.tagName === 'IMG' && INLINE_IMAGE.test(e.getAttribute('src') ?? '') && [...e.attributes.keys()].every((name) => ['src', 'alt', 'class', 'data-testid'].includes(name));
}

function assertInert(root: FakeElement): void {
  for (const e of [root, ...root.descendants()]) {
    for (const name of e.attributes.keys()) assert.ok(!/^on/i.test(name), `inline handler attribute ${name}`);
    if (isInlineImage(e)) continue;
    assert.ok(!FORBIDDEN_TAGS.has(e.tagName), `created a <${e.tagName.toLowerCase()}>`);
    for (const name of ['src', 'href', 'srcdoc', 'style']) assert.ok(!e.attributes.has(name), `<${e.tagName}> has a ${name} attribute`);
  }
}

describe('untrusted content renders as text', () => {
  test('span detail: every field with markup shows it literally, nothing is parsed or loaded', async () => {
    const { renderSpan } = await import('../src/detail/spanView');
    const posted: DetailOutbound[] = [];
    const page = renderSpan({ type: 'span', span, trace, parentName: SCRIPT }, (m) => posted.push(m)) as unknown as FakeElement;
    assertInert(page);
    const text = page.textContent;
    for (const needle of [XSS, SCRIPT, `user ${XSS}`, `answer ${SCRIPT}`, `thinking ${SCRIPT}`, `/app/${XSS}.py:3`, `javascript:alert(1)//${XSS}`, `Traceback ${SCRIPT}`]) {
      assert.ok(text.includes(needle), `missing literal text: ${needle}`);
    }
    const messages = page.descendants().filter((e) => e.dataset.testid === 'chat-message');
    assert.deepEqual(messages.map((m) => m.dataset.role), ['system', XSS, 'tool', 'assistant']);
    assert.ok(page.descendants().some((e) => e.dataset.testid === 'media-chip' && e.dataset.mediaType === 'image'));
    assert.deepEqual(posted, [], 'rendering posts nothing');
  });

  test('images: only an inline raster image becomes a picture, from its own bytes; hostile ones stay chips', async () => {
    const { renderSpan } = await import('../src/detail/spanView');
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const hostile = [
      { type: 'image', mimeType: 'image/png', data: png },
      { type: 'image', mimeType: 'image/png', data: `${png}" onerror="alert(1)` },
      { type: 'image', data: `data:image/svg+xml;base64,${Buffer.from(`<svg onload="alert(1)">${SCRIPT}</svg>`).toString('base64')}` },
      { type: 'image', data: `data:text/html;base64,${Buffer.from(SCRIPT).toString('base64')}` },
      { type: 'image', mimeType: `image/png;${XSS}`, data: png },
      { type: 'image', mimeType: 'image/png', uri: 'https://tracker.example/pixel.png' },
      { type: 'image', mimeType: 'image/png', data: 'javascript:alert(1)' },
    ] as const;
    const withImages: Span = { ...span, llm: { ...span.llm!, inputMessages: [{ role: 'user', content: [...hostile] }], outputMessages: [] } };
    const page = renderSpan({ type: 'span', span: withImages, trace }, () => undefined) as unknown as FakeElement;
    assertInert(page);
    const images = page.descendants().filter((e) => e.tagName === 'IMG');
    assert.deepEqual(images.map((e) => e.getAttribute('src')), [`data:image/png;base64,${png}`]);
    assert.equal(page.descendants().filter((e) => e.dataset.testid === 'media-chip').length, hostile.length, 'every image keeps its chip');
  });

  test('replay: the request is edited as values, never markup, and the answers render as text', async () => {
    const { ReplayForm, renderAnswers } = await import('../src/replay/replayView');
    const draft = {
      baseUrl: `http://127.0.0.1:8787/v1?${XSS}`,
      model: `gpt ${XSS}`,
      messages: [
        { role: 'system' as const, content: `You are ${SCRIPT}` },
        { role: 'user' as const, content: 'Look', images: [{ url: `https://example.com/${XSS}.png` }, { url: 'data:image/png;base64,iVBORw0KGgo=', mimeType: `image/png ${SCRIPT}` }] },
        { role: 'assistant' as const, content: '', toolCalls: [{ id: XSS, name: SCRIPT, arguments: `{"q":"${XSS}"}` }] },
        { role: 'tool' as const, content: SCRIPT, toolCallId: XSS },
      ],
      params: { temperature: 0.2 },
      tools: `[{"type":"function","function":{"name":"${XSS}"}}]`,
    };
    const form = new ReplayForm(draft);
    assertInert(form.element as unknown as FakeElement);
    // Images are chips naming them, as text: no picture is loaded from a recorded URL.
    const chips = (form.element as unknown as FakeElement).descendants().filter((e) => e.dataset.testid === 'replay-image');
    assert.deepEqual(chips.map((c) => c.textContent.trim()), [`https://example.com/${XSS}.png`, `image/png ${SCRIPT} · 1 KB`]);
    // Read back as the user left it: the same request.
    const collected = form.collect();
    assert.ok('draft' in collected);
    assert.deepEqual(collected.draft, draft);
    const answers = renderAnswers(
      { messages: [{ role: 'assistant', content: `captured ${SCRIPT}` }], model: XSS, usage: { inputTokens: 3 }, latencyMs: 5 },
      [
        { id: 1, model: XSS, outcome: { ok: false, error: `refused ${SCRIPT}`, latencyMs: 1 } },
        { id: 2, model: XSS, variant: SCRIPT, outcome: { ok: true, messages: [{ role: 'assistant', content: `replayed ${XSS}` }], model: SCRIPT, usage: {}, latencyMs: 9 } },
      ],
      () => undefined,
    ) as unknown as FakeElement;
    assertInert(answers);
    // Saved variants' names, as the user typed them, are options' text.
    const { VariantBar } = await import('../src/replay/variantBar');
    const bar = new VariantBar(() => undefined, () => undefined);
    bar.show([XSS, SCRIPT], XSS);
    const barElement = bar.element as unknown as FakeElement;
    assertInert(barElement);
    assert.ok(barElement.textContent.includes(XSS) && barElement.textContent.includes(SCRIPT));
    for (const needle of [`captured ${SCRIPT}`, `replayed ${XSS}`, `refused ${SCRIPT}`, `Replay #2 (${SCRIPT} · ${XSS})`]) assert.ok(answers.textContent.includes(needle), `missing literal text: ${needle}`);
    // The word diff of the two answers is text too, in <del> and <ins>.
    const diff = answers.descendants().find((e) => e.dataset.testid === 'replay-diff');
    assert.ok(diff);
    assert.ok(diff.descendants().every((e) => e.tagName === 'DEL' || e.tagName === 'INS'));
    assert.ok(diff.textContent.includes(SCRIPT) && diff.textContent.includes('<img'), 'both answers\' markup shown as text');
    // An answer streaming in is text as well, and takes the latest answer's place until it is done.
    const streaming = renderAnswers({ messages: [], usage: {}, latencyMs: 1 }, [], () => undefined, { id: 3, text: `so far ${SCRIPT}` }) as unknown as FakeElement;
    assertInert(streaming);
    assert.equal(streaming.descendants().find((e) => e.dataset.testid === 'replay-streaming-text')?.textContent, `so far ${SCRIPT}`);
    assert.ok(!streaming.descendants().some((e) => e.dataset.testid === 'replay-latest-empty'));
  });

  test('trace list row and span row show hostile names as text', async () => {
    const { createTraceRow, renderTraceRow } = await import('../src/sidebar/traceRowView');
    const { createSpanRow, renderSpanRow } = await import('../src/sidebar/spanRowView');
    const traceRow = createTraceRow() as unknown as FakeElement;
    renderTraceRow(traceRow as unknown as HTMLElement, trace, { selected: true, focusable: true, nowMs: Date.now(), position: 1, setSize: 1 });
    assertInert(traceRow);
    assert.ok(traceRow.textContent.includes(XSS));
    assert.ok(traceRow.textContent.includes(SCRIPT));
    assert.equal(traceRow.getAttribute('aria-selected'), 'true');

    const row: SpanRow = { spanId: span.spanId, name: SCRIPT, startOffsetMs: 0, durationMs: 5, status: 'ERROR', kindIcon: 'llm', model: XSS, inputTokens: 1, outputTokens: 2, hasSource: false, error: true };
    const spanRow = createSpanRow() as unknown as FakeElement;
    renderSpanRow(spanRow as unknown as HTMLElement, row, {
      visible: { id: row.spanId, depth: 2, hasChildren: true, posInSet: 1, setSize: 3 },
      layout: { offsetPct: 10, widthPct: 20 },
      selected: false,
      focusable: true,
      expanded: false,
    });
    assertInert(spanRow);
    assert.ok(spanRow.textContent.includes(SCRIPT));
    assert.ok(spanRow.textContent.includes(XSS));
    assert.equal(spanRow.getAttribute('aria-level'), '3');
    assert.equal(spanRow.getAttribute('aria-expanded'), 'false');
    assert.ok(spanRow.descendants().some((e) => e.dataset.testid === 'span-error-marker' && !e.hidden));
  });

  test('empty state: snippets are shown and copied verbatim', async () => {
    const { renderEmptyState } = await import('../src/sidebar/emptyState');
    const state = renderEmptyState(
      {
        status: { http: { state: 'error', message: `port busy ${XSS}` }, grpc: { state: 'listening', host: '127.0.0.1', port: 4317 } },
        role: 'owner',
        endpoint: { httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://127.0.0.1:4317' },
        snippets: [{ id: 'node', label: 'Node.js', detail: 'd', text: `export X=${SCRIPT}` }],
      },
      () => undefined,
    ) as unknown as FakeElement;
    assertInert(state);
    assert.ok(state.textContent.includes(`export X=${SCRIPT}`));
    assert.ok(state.textContent.includes(`port busy ${XSS}`));
    assert.ok(state.descendants().some((e) => e.dataset.testid === 'send-sample'));
  });
});

describe('webview sources use no HTML sinks', () => {
  const root = join(__dirname, '..', 'src');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
    });
  const SINK = /\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\s*\(|document\.write(ln)?\s*\(|unsafeHTML|createContextualFragment|\bon[a-z]+\s*=\s*["'`]/;
  for (const file of files(root)) {
    test(file.slice(root.length + 1), () => {
      const code = readFileSync(file, 'utf8');
      const line = code.split('\n').findIndex((l) => SINK.test(l));
      assert.equal(line, -1, `HTML sink at line ${line + 1}`);
    });
  }
});
