// "Send a sample trace" goes through the real ingest pipeline and store: what the user sees is what
// real exporter data would look like.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SpanlightEngine } from '../../../src/engine';
import type { TraceDetail } from '../../../src/protocol/model';
import { decodeTracesJson } from '../../../src/otlp';
import { tracesRequestJson } from '../../../src/otlp/encodeJson';
import { buildSampleTrace, SAMPLE_SERVICE, sendSampleTrace } from '../../../src/views/sampleTrace';
import { buildSpanRows } from '../../../src/views/spanRows';

describe('sample trace', () => {
  let engine: SpanlightEngine;
  let dir: string;
  let detail: TraceDetail;
  const now = Date.now();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spanlight-sample-'));
    engine = await SpanlightEngine.open({ storeDir: dir, version: 'test' });
    const traceId = sendSampleTrace(engine.pipeline, now);
    detail = (await engine.store.getTrace(traceId)) as TraceDetail;
  });

  after(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('is a multi-span agent trace from the sample service, ending about now', () => {
    const { summary } = detail;
    assert.equal(summary.rootName, 'invoke_agent support-agent');
    assert.equal(summary.serviceName, SAMPLE_SERVICE);
    assert.equal(summary.spanCount, 7);
    assert.equal(summary.llmCallCount, 2);
    assert.equal(summary.status, 'ERROR');
    const endMs = Number(BigInt(summary.startTimeUnixNano) / 1_000_000n) + summary.durationMs;
    assert.ok(Math.abs(endMs - now) < 1000, `ends ${now - endMs} ms before now`);
  });

  test('the LLM calls are normalized: messages, tool call, usage and a known cost', () => {
    const calls = detail.spans.filter((s) => s.llm?.operation === 'chat');
    assert.equal(calls.length, 2);
    const [first, second] = calls.map((s) => s.llm!);
    assert.equal(first.inputMessages[0].role, 'system');
    assert.equal(first.outputMessages[0].toolCalls?.[0].name, 'lookup_order');
    assert.deepEqual(first.finishReasons, ['tool_calls']);
    assert.equal(first.usage.cachedInputTokens, 384);
    assert.ok(first.costUsd !== undefined && first.costUsd > 0);
    assert.ok(Array.isArray(first.inputMessages[1].content) && first.inputMessages[1].content.some((p) => p.type === 'image'));
    assert.equal(second.inputMessages.at(-1)?.role, 'tool');
    assert.match(String(second.outputMessages[0].content), /UPS/);
    assert.ok((detail.summary.costUsd ?? 0) > 0);
  });

  test('the tool span records its call and the failed attempt carries an exception', () => {
    const tool = detail.spans.find((s) => s.llm?.operation === 'tool');
    assert.equal(tool?.llm?.tool?.name, 'lookup_order');
    const failed = detail.spans.filter((s) => s.status.code === 'ERROR');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].parentSpanId, tool?.spanId);
    assert.match(String(failed[0].events[0].attributes['exception.stacktrace']), /Traceback/);
  });

  test('spans come back in tree order and make sensible rows', () => {
    const rows = buildSpanRows(detail.spans, detail.summary.startTimeUnixNano);
    assert.equal(rows[0].parentSpanId, undefined);
    assert.equal(rows[0].startOffsetMs, 0);
    assert.deepEqual(rows.map((r) => r.kindIcon), ['agent', 'retrieval', 'llm', 'tool', 'other', 'other', 'llm']);
    assert.equal(rows.filter((r) => r.error).length, 1);
    assert.ok(detail.spans.some((s) => s.source?.path === 'app/agent.py'));
  });

  test('every sample has fresh ids', () => {
    const a = buildSampleTrace(now);
    const b = buildSampleTrace(now);
    assert.notEqual(a[0].traceId, b[0].traceId);
    assert.equal(new Set([...a, ...b].map((s) => s.spanId)).size, a.length + b.length);
  });
});

describe('sample trace over OTLP/JSON (a window that does not host the receiver)', () => {
  test('encodes to a request the receiver decodes back into the same spans', () => {
    const spans = buildSampleTrace(Date.now());
    const decoded = decodeTracesJson(JSON.stringify(tracesRequestJson(spans)));
    assert.equal(decoded.rejected, 0);
    const byId = new Map(decoded.spans.map((s) => [s.spanId, s]));
    for (const span of spans) {
      const back = byId.get(span.spanId);
      assert.ok(back, `span ${span.name} missing`);
      assert.equal(back.parentSpanId, span.parentSpanId);
      assert.equal(back.startTimeUnixNano, span.startTimeUnixNano);
      assert.deepEqual(back.status, span.status);
      assert.deepEqual(back.attributes, span.attributes);
      assert.deepEqual(back.events, span.events);
      assert.deepEqual(back.resource, span.resource);
    }
  });
});
