// OTLP in, store, JSON API out — inside the editor that hosts the receiver.
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import { eventually, getJson, newTraceId, otlpRequest, postTraces, readyReceiver, receiverUrl } from '../support';

interface TraceDetail {
  summary: { traceId: string };
  spans: { name: string; parentSpanId?: string }[];
}

suite('Traces', () => {
  let port: number;

  suiteSetup(async () => {
    port = await readyReceiver();
  });

  test('an OTLP/JSON trace posted to the receiver is served by the JSON API, parents first', async () => {
    const traceId = newTraceId();
    const now = Date.now();
    await postTraces(port, otlpRequest([
      { traceId, name: 'integration child', startMs: now + 1, parentName: 'integration root' },
      { traceId, name: 'integration root', startMs: now },
    ]));
    const detail = await eventually(async () => {
      const { status, body } = await getJson<TraceDetail>(`${receiverUrl(port)}/api/traces/${traceId}`);
      return status === 200 && body.spans.length === 2 ? body : undefined;
    }, `trace ${traceId} with 2 spans`);
    assert.equal(detail.summary.traceId, traceId);
    assert.deepEqual(detail.spans.map((s) => s.name), ['integration root', 'integration child']);
  });

  test('the trace list finds a posted trace by its span name', async () => {
    const traceId = newTraceId();
    const name = `findable ${traceId.slice(0, 8)}`;
    await postTraces(port, otlpRequest([{ traceId, name, startMs: Date.now() }]));
    const list = await eventually(async () => {
      const { body } = await getJson<{ traces: { traceId: string }[] }>(`${receiverUrl(port)}/api/traces?q=${encodeURIComponent(name)}`);
      return body.traces.length > 0 ? body : undefined;
    }, `a trace matching "${name}"`);
    assert.deepEqual(list.traces.map((t) => t.traceId), [traceId]);
  });
});
