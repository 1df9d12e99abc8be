// GenAI's exception event (`gen_ai.client.operation.exception`): LiteLLM sends it as a log record tied to
// the failed call's span, after the span. The span must then show the exception as it shows OTel's own
// `exception` event (the detail's error, the tree's marker) and link to the app's line in its stack trace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeLogsRequest, encodeTraceRequest, logsRequestObject, protoSpan, SPAN_ID_HEX, TRACE_ID_HEX, traceRequestObject } from '../otlp/otlpPayloads';
import { postExport, startEngine } from './engineKit';

const STACK = [
  'Traceback (most recent call last):',
  '  File "/home/dev/support-bot/agent.py", line 42, in answer',
  '    reply = completion(model="gpt-4o-mini", messages=messages)',
  '  File "/home/dev/.venv/lib/python3.12/site-packages/litellm/main.py", line 1210, in completion',
  '    raise exception_type(...)',
  'litellm.exceptions.RateLimitError: RateLimitError: OpenAIException - Rate limit reached',
].join('\n');

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

function exceptionRecord(): object {
  return {
    timeUnixNano: '1700000001600000000',
    severityNumber: 13,
    severityText: 'WARN',
    eventName: 'gen_ai.client.operation.exception',
    traceId: Buffer.from(TRACE_ID_HEX, 'hex'),
    spanId: Buffer.from(SPAN_ID_HEX, 'hex'),
    attributes: [
      str('exception.type', 'litellm.exceptions.RateLimitError'),
      str('exception.message', 'Rate limit reached'),
      str('exception.stacktrace', STACK),
      str('gen_ai.operation.name', 'chat'),
    ],
  };
}

test('a GenAI exception log record arriving after its span becomes an exception event of the span, with its source line', async () => {
  const ctx = await startEngine();
  try {
    // No `exception` span event and an UNSET status: only the record says the call failed.
    const span = { ...protoSpan({ attributes: [str('gen_ai.operation.name', 'chat'), str('gen_ai.request.model', 'gpt-4o-mini')] }), events: [], status: {} };
    await postExport(ctx, 'traces', encodeTraceRequest(traceRequestObject([span])), 'application/x-protobuf');
    await ctx.engine.store.flush();
    assert.equal(ctx.engine.store.getTraceIndex(TRACE_ID_HEX)?.spans[0].shape.exception, false);

    await postExport(ctx, 'logs', encodeLogsRequest(logsRequestObject([exceptionRecord()])), 'application/x-protobuf');
    await ctx.engine.store.flush();
    const stored = await ctx.engine.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX);
    assert.deepEqual(
      stored?.events.map((e) => [e.name, e.timeUnixNano, e.attributes['exception.type']]),
      [['gen_ai.client.operation.exception', '1700000001600000000', 'litellm.exceptions.RateLimitError']],
    );
    assert.deepEqual(stored?.source && { path: stored.source.path, line: stored.source.line, origin: stored.source.origin }, {
      path: '/home/dev/support-bot/agent.py',
      line: 42,
      origin: 'stacktrace',
    });
    assert.equal(ctx.engine.store.getTraceIndex(TRACE_ID_HEX)?.spans[0].shape.exception, true, "the tree's error marker");

    // The exporter retries the same export: the span still holds the exception once.
    await postExport(ctx, 'logs', encodeLogsRequest(logsRequestObject([exceptionRecord()])), 'application/x-protobuf');
    await ctx.engine.store.flush();
    assert.equal((await ctx.engine.store.getSpan(TRACE_ID_HEX, SPAN_ID_HEX))?.events.length, 1);
  } finally {
    await ctx.close();
  }
});
