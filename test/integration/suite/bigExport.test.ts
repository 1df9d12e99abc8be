// A full-size OTLP export (512 spans, 1 MB: what BatchSpanProcessor sends) inside the editor: indexed
// on the ingest worker thread (dist/indexWorker.js from the package; OTLP/JSON transcoded to protobuf
// there), stored as received, and normalized when read.
import assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import { buildRequest, otlpJsonOf, SPANS_PER_REQUEST } from '../../../bench/ingestPayloads';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { eventually, getJson, health, readyReceiver, receiverUrl } from '../support';

interface ApiSpan {
  llm?: { inputMessages: unknown[]; outputMessages: unknown[]; costUsd?: number };
}

suite('Big export', () => {
  let port: number;

  suiteSetup(async () => {
    port = await readyReceiver();
  });

  test('512 spans in one 1 MB protobuf request are indexed on the worker thread and read back normalized', async () => {
    // A request index no other test uses: its trace and span ids are its own.
    const body = buildRequest(90_001);
    const res = await fetch(`${receiverUrl(port)}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body,
    });
    assert.equal(res.status, 200, await res.text());
    assert.equal((await health(port)).indexer, 'worker');

    const sent = decodeTracesProtobuf(body).spans;
    assert.equal(sent.length, SPANS_PER_REQUEST);
    const chat = sent.find((s) => typeof s.attributes['gen_ai.input.messages'] === 'string')!;
    const span = await eventually(async () => {
      const { status, body: found } = await getJson<ApiSpan>(`${receiverUrl(port)}/api/spans/${chat.traceId}/${chat.spanId}`);
      return status === 200 ? found : undefined;
    }, `span ${chat.spanId}`);
    assert.ok(span.llm && span.llm.inputMessages.length > 0 && span.llm.outputMessages.length > 0, 'messages are normalized on read');
    assert.ok((span.llm.costUsd ?? 0) > 0, 'the model has a price');
  });

  test('the same size of export in OTLP/JSON is transcoded on the worker thread and reads back as its protobuf does', async () => {
    const protobuf = buildRequest(90_002);
    const res = await fetch(`${receiverUrl(port)}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpJsonOf(protobuf)),
    });
    assert.equal(res.status, 200, await res.text());
    const sent = decodeTracesProtobuf(protobuf).spans;
    const chat = sent.find((s) => typeof s.attributes['gen_ai.input.messages'] === 'string')!;
    const span = await eventually(async () => {
      const { status, body: found } = await getJson<ApiSpan & { attributes: Record<string, unknown> }>(`${receiverUrl(port)}/api/spans/${chat.traceId}/${chat.spanId}`);
      return status === 200 ? found : undefined;
    }, `span ${chat.spanId}`);
    assert.deepEqual(span.attributes, chat.attributes);
    assert.ok(span.llm && span.llm.inputMessages.length > 0 && span.llm.outputMessages.length > 0, 'messages are normalized on read');
    assert.ok((span.llm.costUsd ?? 0) > 0, 'the model has a price');
  });
});
