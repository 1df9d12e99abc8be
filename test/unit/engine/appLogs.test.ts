// An app's own log lines, sent over OTLP with the ids of the span they were written in (Python's logging
// bridge, a Node logger's OTel transport), say nothing of an LLM call. They must not be stored into their
// span: each export would write the span again with every line so far.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeLogsRequest, encodeTraceRequest, logsRequestObject, protoSpan, SPAN_ID_HEX, TRACE_ID_HEX, traceRequestObject } from '../otlp/otlpPayloads';
import { postExport, startEngine } from './engineKit';

test("an app's log lines leave their span as stored; GenAI events still reach it", async () => {
  const ctx = await startEngine();
  try {
    await postExport(ctx, 'traces', encodeTraceRequest(traceRequestObject([protoSpan()])), 'application/x-protobuf');
    await ctx.engine.store.flush();
    const before = await ctx.engine.store.getSpanSource(TRACE_ID_HEX, SPAN_ID_HEX);
    assert.equal(before?.kind, 'otlp');

    const line = (i: number) => ({
      timeUnixNano: '1700000000500000000',
      severityNumber: 9,
      body: { stringValue: `GET /orders/${i} 200` },
      traceId: Buffer.from(TRACE_ID_HEX, 'hex'),
      spanId: Buffer.from(SPAN_ID_HEX, 'hex'),
    });
    for (let i = 0; i < 3; i++) await postExport(ctx, 'logs', encodeLogsRequest(logsRequestObject([line(i), line(i + 10)])), 'application/x-protobuf');
    await ctx.engine.store.flush();
    const after = await ctx.engine.store.getSpanSource(TRACE_ID_HEX, SPAN_ID_HEX);
    assert.equal(after?.seq, before?.seq, 'not written again');
    assert.deepEqual(after?.kind === 'otlp' ? after.logs : undefined, []);

    const message = { ...line(0), body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'Where is my order?' } }] } }, attributes: [{ key: 'event.name', value: { stringValue: 'gen_ai.user.message' } }] };
    await postExport(ctx, 'logs', encodeLogsRequest(logsRequestObject([message])), 'application/x-protobuf');
    await ctx.engine.store.flush();
    const withEvent = await ctx.engine.store.getSpanSource(TRACE_ID_HEX, SPAN_ID_HEX);
    assert.deepEqual(withEvent?.kind === 'otlp' ? withEvent.logs.map((r) => r.attributes['event.name']) : undefined, ['gen_ai.user.message'], 'stored with its span');
  } finally {
    await ctx.close();
  }
});
