// The span detail's error section and events list: GenAI's exception event (`gen_ai.client.operation.exception`,
// a log record Spanlight adds to its span) shows like OTel's `exception` event, and a failure a recorder wrote
// as both shows once.
//   node --import tsx --test webview/test/*.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DetailOutbound, StackLinks } from '../../src/protocol/messages';
import type { Span, SpanEvent, TraceSummary } from '../../src/protocol/model';
import { FakeElement, installFakeDocument } from './fakeDom';

installFakeDocument();

const STACK = 'Traceback (most recent call last):\n  File "/app/agent.py", line 42, in answer\nRateLimitError: Rate limit reached';

function exception(name: string): SpanEvent {
  return {
    name,
    timeUnixNano: '1732368000900000000',
    attributes: { 'exception.type': 'litellm.exceptions.RateLimitError', 'exception.message': 'Rate limit reached', 'exception.stacktrace': STACK },
  };
}

async function page(events: SpanEvent[], stackLinks?: StackLinks[], posted?: DetailOutbound[]): Promise<FakeElement> {
  const { renderSpan } = await import('../src/detail/spanView');
  const span: Span = {
    traceId: 'ab'.repeat(16), spanId: '01'.repeat(8), name: 'chat gpt-4o-mini', kind: 'CLIENT',
    startTimeUnixNano: '1732368000000000000', endTimeUnixNano: '1732368001000000000', durationMs: 1000, status: { code: 'UNSET' },
    attributes: {}, events, links: [], resource: {}, scope: { name: 'litellm' },
  };
  const trace: TraceSummary = {
    traceId: span.traceId, rootName: span.name, serviceName: 'support-bot', startTimeUnixNano: span.startTimeUnixNano, durationMs: 1000,
    spanCount: 1, llmCallCount: 1, inputTokens: 0, outputTokens: 0, status: 'UNSET', models: [],
  };
  return renderSpan({ type: 'span', span, trace, stackLinks }, (m) => posted?.push(m)) as unknown as FakeElement;
}

const byTestId = (root: FakeElement, id: string) => root.descendants().filter((e) => e.dataset.testid === id);

test("GenAI's exception event opens the error section with its type, message and stack trace", async () => {
  const detail = await page([exception('gen_ai.client.operation.exception')]);
  const [error] = byTestId(detail, 'detail-error');
  assert.ok(error, 'an error section although the status is UNSET');
  assert.ok(error.textContent.includes('litellm.exceptions.RateLimitError: Rate limit reached'));
  assert.equal(byTestId(detail, 'detail-stacktrace').length, 1);
  const [event] = byTestId(detail, 'event');
  assert.ok(event.className.includes('is-exception'), 'marked as an exception in the events list');
});

test('the same failure recorded as both exception events shows once in the error section', async () => {
  const detail = await page([exception('exception'), exception('gen_ai.client.operation.exception')]);
  assert.equal(byTestId(detail, 'detail-stacktrace').length, 1);
  assert.equal(byTestId(detail, 'event').length, 2, 'the events list keeps both, as recorded');
});

test("the stack trace's application frames, as the host lists them, are links that ask the host to open their line", async () => {
  const posted: DetailOutbound[] = [];
  const detail = await page([exception('gen_ai.client.operation.exception')], [{ event: 0, lines: [1] }], posted);
  const [stack] = byTestId(detail, 'detail-stacktrace');
  assert.equal(stack.textContent, STACK, 'the whole trace, as text');
  const links = byTestId(detail, 'stack-frame');
  assert.deepEqual(links.map((l) => l.textContent), ['  File "/app/agent.py", line 42, in answer']);
  links[0].fire('click');
  assert.deepEqual(posted, [{ type: 'openFrame', traceId: 'ab'.repeat(16), spanId: '01'.repeat(8), event: 0, line: 1 }]);
  // Without links from the host, plain text.
  assert.equal(byTestId(await page([exception('exception')]), 'stack-frame').length, 0);
});

test('a long stack trace folds as long text does, with its links in the part shown and the rest after "Show more"', async () => {
  const frames = Array.from({ length: 60 }, (_, i) => `  File "/app/module${i}.py", line ${i + 1}, in step${i}\n    step${i + 1}()`);
  const stack = ['Traceback (most recent call last):', ...frames, 'RecursionError: too deep'].join('\n');
  const frameLines = frames.map((_, i) => 1 + i * 2);
  const event: SpanEvent = { name: 'exception', timeUnixNano: '1732368000900000000', attributes: { 'exception.type': 'RecursionError', 'exception.stacktrace': stack } };
  const detail = await page([event], [{ event: 0, lines: frameLines }]);
  const shown = byTestId(detail, 'stack-frame').length;
  assert.ok(shown > 0 && shown < frames.length, `${shown} links before unfolding`);
  byTestId(detail, 'show-more')[0].fire('click');
  assert.equal(byTestId(detail, 'stack-frame').length, frames.length);
  assert.equal(byTestId(detail, 'detail-stacktrace')[0].textContent, stack);
});
