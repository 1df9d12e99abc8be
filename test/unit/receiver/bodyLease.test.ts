// Trace bodies read into memory the sink lends (OtlpSink.leaseBody): the sink sees the same bytes, the
// memory is given back once the export is settled — stored, rejected or failed — and only uncompressed
// traces (protobuf or JSON) are read that way: of a declared length as they arrive, streamed ones
// (no Content-Length, as the OTel JS SDK sends them) once they have all arrived.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { buildRequest, otlpJsonOf } from '../../../bench/ingestPayloads';
import { SharedBodyPool } from '../../../src/ingest/sharedBodyPool';
import { decodeTracesProtobuf } from '../../../src/otlp';
import { startHttpReceiver, type HttpReceiverHandle } from '../../../src/receiver/httpReceiver';
import type { BodyLease, ExportResult } from '../../../src/receiver/sink';
import { RecordingSink, request } from './receiverKit';

class LendingSink extends RecordingSink {
  private readonly pool = new SharedBodyPool();
  lent = 0;
  out = 0;
  sharedBodies = 0;

  leaseBody(size: number): BodyLease | undefined {
    const lease = this.pool.lease(size);
    if (!lease) return undefined;
    this.lent++;
    this.out++;
    return { bytes: lease.bytes, release: () => (this.out--, lease.release()) };
  }

  override acceptTracesProtobuf(body: Uint8Array, answer: (result: ExportResult) => void): void {
    if (body.buffer instanceof SharedArrayBuffer) this.sharedBodies++;
    super.acceptTracesProtobuf(body, answer);
  }

  override acceptTracesJson(body: Uint8Array, answer: (result: ExportResult) => void): void {
    if (body.buffer instanceof SharedArrayBuffer) this.sharedBodies++;
    super.acceptTracesJson(body, answer);
  }
}

describe('OTLP/HTTP bodies read into lent memory', () => {
  const sink = new LendingSink();
  let server: HttpReceiverHandle;
  let traces: string;
  const body = buildRequest(3);
  const headers = { 'Content-Type': 'application/x-protobuf' };

  before(async () => {
    server = await startHttpReceiver({ sink, port: 0, bodyLimitBytes: 16 * 1024 * 1024 });
    traces = `${server.url}/v1/traces`;
  });
  after(() => server.close());

  test('a big export is read into the lease, decoded the same, and the lease is given back', async () => {
    const before = sink.spans.length;
    for (let i = 0; i < 3; i++) assert.equal((await request(traces, { headers, body })).status, 200);
    assert.equal(sink.lent, 3);
    assert.equal(sink.sharedBodies, 3);
    assert.equal(sink.out, 0, 'every lease released');
    assert.equal(sink.spans.length - before, 3 * 512);
  });

  test('a big OTLP/JSON export is read into a lease too, read the same as its protobuf, and the lease is given back', async () => {
    const [lent, shared, before] = [sink.lent, sink.sharedBodies, sink.spans.length];
    const json = Buffer.from(JSON.stringify(otlpJsonOf(body)));
    assert.equal((await request(traces, { headers: { 'Content-Type': 'application/json' }, body: json })).status, 200);
    assert.deepEqual([sink.lent - lent, sink.sharedBodies - shared, sink.out], [1, 1, 0]);
    assert.deepEqual(sink.spans.slice(before), decodeTracesProtobuf(body).spans);
  });

  test('a rejected or failing export gives its lease back too', async () => {
    const garbage = Buffer.from(body);
    garbage.fill(0xff, 100, 200);
    assert.equal((await request(traces, { headers, body: garbage })).status, 400);
    sink.failNext = new Error('disk full');
    assert.equal((await request(traces, { headers, body })).status, 500);
    assert.equal(sink.out, 0);
  });

  test('a client that hangs up mid-body gives its lease back', async () => {
    const lent = sink.lent;
    await new Promise<void>((resolve) => {
      const req = http.request(traces, { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) }, agent: false });
      req.on('error', () => resolve());
      req.write(body.subarray(0, 100_000), () => setTimeout(() => req.destroy(), 50));
    });
    for (let i = 0; i < 50 && sink.out > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sink.lent, lent + 1);
    assert.equal(sink.out, 0);
  });

  test('a big export streamed without a length is joined into a lease, and the lease is given back', async () => {
    const lent = sink.lent;
    const shared = sink.sharedBodies;
    const before = sink.spans.length;
    const chunked = await request(traces, { headers, chunks: [body.subarray(0, 70_000), body.subarray(70_000, 700_000), body.subarray(700_000)] });
    assert.equal(chunked.status, 200);
    assert.deepEqual([sink.lent - lent, sink.sharedBodies - shared, sink.out], [1, 1, 0]);
    assert.equal(sink.spans.length - before, 512);
    // The lease is of the body's own length: the spans decoded from it are the ones sent.
    assert.equal(sink.spans.at(-1)?.spanId, decodedLastSpanId(body));
  });

  test('a streamed body hung up on, or over the limit, takes no lease', async () => {
    const lent = sink.lent;
    await new Promise<void>((resolve) => {
      const req = http.request(traces, { method: 'POST', headers, agent: false });
      req.on('error', () => resolve());
      req.write(body.subarray(0, 100_000), () => setTimeout(() => req.destroy(), 50));
    });
    const small = await startHttpReceiver({ sink, port: 0, bodyLimitBytes: 100_000 });
    try {
      const over = await request(`${small.url}/v1/traces`, { headers, chunks: [body.subarray(0, 70_000), body.subarray(70_000)] });
      assert.equal(over.status, 413);
    } finally {
      await small.close();
    }
    assert.deepEqual([sink.lent, sink.out], [lent, 0]);
  });

  test('gzip bodies are read as before, without a lease', async () => {
    const lent = sink.lent;
    const gzip = await request(traces, { headers: { ...headers, 'Content-Encoding': 'gzip' }, body: zlib.gzipSync(body) });
    assert.equal(gzip.status, 200);
    assert.equal(sink.lent, lent);
  });
});

function decodedLastSpanId(body: Uint8Array): string | undefined {
  return decodeTracesProtobuf(body).spans.at(-1)?.spanId;
}
