// Forwarding through the whole engine, as `spanlight serve --forward` and the extension run it: real
// exports over HTTP and gRPC reach a real upstream as the bytes the app sent, and the upstream's
// troubles never reach the app.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { buildRequest } from '../../../bench/ingestPayloads';
import { SpanlightEngine } from '../../../src/engine';
import { forwardTargetOf } from '../../../src/forward/forwardTarget';
import { LOGS_EXPORT_PATH, TRACE_EXPORT_PATH } from '../../../src/otlp/otlpSchema';
import { encodeLogsRequest, encodeTraceRequest, jsonSpan, jsonTraceRequest, logsRequestObject, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';
import { FakeUpstream } from './fakeUpstream';

interface Running {
  engine: SpanlightEngine;
  httpUrl: string;
  grpcPort: number;
  upstream: FakeUpstream;
}

async function startForwarding(t: { after: (fn: () => Promise<void>) => void }): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'spanlight-forward-'));
  const upstream = await FakeUpstream.start();
  const engine = await SpanlightEngine.open({ storeDir: dir, version: 'test' });
  t.after(async () => {
    await engine.close();
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });
  const target = forwardTargetOf(upstream.url, 'x-api-key=k1');
  assert.ok('target' in target);
  engine.setForwarding(target.target);
  const status = await engine.startReceivers({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, bodyLimitBytes: 16 << 20 });
  if (status.http.state !== 'listening' || status.grpc.state !== 'listening') throw new Error('not listening');
  return { engine, httpUrl: `http://127.0.0.1:${status.http.port}`, grpcPort: status.grpc.port, upstream };
}

function post(url: string, body: Buffer, contentType: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
}

function grpcExport(port: number, path: string, body: Buffer): Promise<void> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const identity = (b: Buffer): Buffer => b;
  return new Promise<void>((resolve, reject) =>
    client.makeUnaryRequest(path, identity, identity, body, new grpc.Metadata(), (error) => (error ? reject(error) : resolve())),
  ).finally(() => client.close());
}

test('every accepted export, metrics included, reaches the upstream as the app sent it, whatever transport and encoding it came by', async (t) => {
  const { httpUrl, grpcPort, upstream, engine } = await startForwarding(t);
  // Two big protobuf exports, one after the other: read into memory the receiver reuses (a leased body).
  const big = [buildRequest(1), buildRequest(2)];
  for (const body of big) assert.equal((await post(`${httpUrl}/v1/traces`, body, 'application/x-protobuf')).status, 200);
  const json = Buffer.from(JSON.stringify(jsonTraceRequest([jsonSpan({ name: 'json span' })])));
  assert.equal((await post(`${httpUrl}/v1/traces`, gzipSync(json), 'application/json', { 'content-encoding': 'gzip' })).status, 200);
  const viaGrpc = encodeTraceRequest(traceRequestObject([protoSpan({ name: 'grpc span', spanId: Buffer.from('aaaaaaaaaaaaaaaa', 'hex') })]));
  await grpcExport(grpcPort, TRACE_EXPORT_PATH, viaGrpc);
  const logs = encodeLogsRequest(logsRequestObject([{ eventName: 'gen_ai.user.message', body: { stringValue: 'hi' } }]));
  await grpcExport(grpcPort, LOGS_EXPORT_PATH, logs);

  // Metrics are not read here, but an upstream that got them before keeps getting them.
  const metrics = Buffer.from([0x0a, 0x00]);
  assert.equal((await post(`${httpUrl}/v1/metrics`, metrics, 'application/x-protobuf')).status, 200);
  await grpcExport(grpcPort, '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', Buffer.from([0x0a, 0x02, 0x0a, 0x00]));

  const received = await upstream.waitForRequests(7);
  const expected = [
    ['/v1/traces', 'application/x-protobuf', big[0]],
    ['/v1/traces', 'application/x-protobuf', big[1]],
    ['/v1/traces', 'application/json', json],
    ['/v1/traces', 'application/x-protobuf', viaGrpc],
    ['/v1/logs', 'application/x-protobuf', logs],
    ['/v1/metrics', 'application/x-protobuf', metrics],
    ['/v1/metrics', 'application/x-protobuf', Buffer.from([0x0a, 0x02, 0x0a, 0x00])],
  ] as const;
  for (const [path, type, body] of expected) {
    const match = received.find((r) => r.path === path && r.headers['content-type'] === type && r.body.equals(body));
    assert.ok(match, `${path} ${type} ${body.length} bytes arrived unchanged`);
    assert.equal(match.headers['x-api-key'], 'k1');
  }
  // And the spans are stored here as usual.
  assert.equal(engine.store.stats().spans, 2 * 512 + 2);
  const health = (await (await fetch(`${httpUrl}/api/health`)).json()) as { forward?: { state: string; sent: number } };
  await engine.forwarder?.drained();
  assert.equal(health.forward?.state, 'ok');
  assert.ok((health.forward?.sent ?? 0) >= 4);
});

test('an export the receiver refuses is not forwarded', async (t) => {
  const { httpUrl, upstream } = await startForwarding(t);
  assert.equal((await post(`${httpUrl}/v1/traces`, Buffer.from([0x0a, 0xff]), 'application/x-protobuf')).status, 400);
  assert.equal((await post(`${httpUrl}/v1/logs`, Buffer.from('{"resourceLogs": 3}'), 'application/json')).status, 400);
  const good = encodeTraceRequest(traceRequestObject([protoSpan()]));
  assert.equal((await post(`${httpUrl}/v1/traces`, good, 'application/x-protobuf')).status, 200);
  const [only] = await upstream.waitForRequests(1);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(upstream.requests.length, 1);
  assert.deepEqual(only.body, good);
});

test('an upstream that hangs or fails does not slow the app down or keep its spans from being stored', async (t) => {
  const { httpUrl, upstream, engine } = await startForwarding(t);
  upstream.answers.push('hang', 'hang', { status: 500 });
  for (let i = 0; i < 4; i++) {
    const started = Date.now();
    const body = encodeTraceRequest(traceRequestObject([protoSpan({ spanId: Buffer.from(`00000000000000a${i}`, 'hex') })]));
    const response = await post(`${httpUrl}/v1/traces`, body, 'application/x-protobuf');
    assert.equal(response.status, 200);
    // Not a timing test: an answer that waited on the upstream would take its 10 s timeout, or forever.
    assert.ok(Date.now() - started < 5000, 'answered without waiting for the upstream');
  }
  assert.equal(engine.store.stats().spans, 4);
  assert.equal((await (await fetch(`${httpUrl}/api/traces`)).json() as { total: number }).total, 1);
});

test('what is still on its way when the engine closes gets a moment to reach the upstream', async (t) => {
  const { httpUrl, upstream, engine } = await startForwarding(t);
  upstream.answers.push({ status: 503, headers: { 'retry-after': '0' } });
  const body = encodeTraceRequest(traceRequestObject([protoSpan()]));
  assert.equal((await post(`${httpUrl}/v1/traces`, body, 'application/x-protobuf')).status, 200);
  await engine.close();
  assert.equal(upstream.requests.filter((r) => r.body.equals(body)).length, 2, 'refused once with 503, then delivered');
});
