import assert from 'node:assert/strict';
import { test } from 'node:test';
import { otlpTypes } from '../../../src/otlp/otlpSchema';
import { startGrpcReceiver } from '../../../src/receiver/grpcReceiver';
import { startHttpReceiver } from '../../../src/receiver/httpReceiver';
import { isLoopbackHost } from '../../../src/receiver/bindAddress';
import { PortInUseError, ReceiverConfigError } from '../../../src/receiver/errors';
import { jsonSpan, jsonTraceRequest } from '../otlp/otlpPayloads';
import { FakeTraceReader } from './fakeTraceReader';
import { RecordingSink, request } from './receiverKit';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const body = JSON.stringify(jsonTraceRequest([jsonSpan()]));

function assertPortInUse(err: unknown, port: number, transport: 'http' | 'grpc'): true {
  assert.ok(err instanceof PortInUseError, `expected PortInUseError, got ${String(err)}`);
  assert.equal(err.port, port);
  assert.equal(err.transport, transport);
  assert.match(err.message, /another VS Code window running Spanlight/);
  assert.match(err.message, /OpenTelemetry Collector/);
  assert.match(err.message, transport === 'http' ? /spanlight\.receiver\.httpPort.*--port/ : /spanlight\.receiver\.grpcPort.*--grpc-port/);
  return true;
}

test('a taken HTTP port rejects with PortInUseError naming the setting and the CLI flag', async () => {
  const first = await startHttpReceiver({ sink: new RecordingSink(), port: 0 });
  try {
    await assert.rejects(startHttpReceiver({ sink: new RecordingSink(), port: first.port }), (err) =>
      assertPortInUse(err, first.port, 'http'),
    );
  } finally {
    await first.close();
  }
});

test('a taken gRPC port rejects with PortInUseError, whether gRPC or something else holds it', async () => {
  const grpcHolder = await startGrpcReceiver({ sink: new RecordingSink(), port: 0 });
  const httpHolder = await startHttpReceiver({ sink: new RecordingSink(), port: 0 });
  try {
    await assert.rejects(startGrpcReceiver({ sink: new RecordingSink(), port: grpcHolder.port }), (err) =>
      assertPortInUse(err, grpcHolder.port, 'grpc'),
    );
    await assert.rejects(startGrpcReceiver({ sink: new RecordingSink(), port: httpHolder.port }), (err) =>
      assertPortInUse(err, httpHolder.port, 'grpc'),
    );
  } finally {
    await grpcHolder.close();
    await httpHolder.close();
  }
});

test('binding beyond loopback without a token is refused by both receivers', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
    await assert.rejects(startHttpReceiver({ sink: new RecordingSink(), host, port: 0 }), ReceiverConfigError);
    await assert.rejects(startGrpcReceiver({ sink: new RecordingSink(), host, port: 0 }), (err: unknown) => {
      assert.ok(err instanceof ReceiverConfigError);
      assert.match(err.message, /bearer token/);
      return true;
    });
  }
});

test('binding beyond loopback with a token is allowed', async () => {
  const server = await startHttpReceiver({ sink: new RecordingSink(), host: '0.0.0.0', port: 0, authToken: 't' });
  await server.close();
});

test('loopback hosts are recognized in their usual spellings', () => {
  for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3', '::ffff:127.0.0.1', 'LOCALHOST']) {
    assert.equal(isLoopbackHost(host), true, host);
  }
  for (const host of ['0.0.0.0', '::', '', '10.0.0.1', 'example.com', '127.0.0.1.example.com']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

test('with an auth token, /v1 and /api need "Authorization: Bearer <token>"', async () => {
  const sink = new RecordingSink();
  const server = await startHttpReceiver({ sink, reader: new FakeTraceReader(), port: 0, authToken: 's3cret' });
  try {
    const anonymous = await request(`${server.url}/v1/traces`, { headers: JSON_TYPE, body });
    assert.equal(anonymous.status, 401);
    const wrong = await request(`${server.url}/v1/traces`, { headers: { ...JSON_TYPE, Authorization: 'Bearer nope' }, body });
    assert.equal(wrong.status, 401);
    const api = await request(`${server.url}/api/health`, { method: 'GET' });
    assert.equal(api.status, 401);
    // A protobuf exporter reads the reason as a google.rpc.Status in protobuf (OTLP/HTTP: 4xx bodies in the request's encoding).
    const protobuf = await request(`${server.url}/v1/traces`, { headers: { 'Content-Type': 'application/x-protobuf' }, body: Buffer.alloc(0) });
    assert.equal(protobuf.status, 401);
    assert.equal(protobuf.headers['content-type'], 'application/x-protobuf');
    const status = otlpTypes.RpcStatus.toObject(otlpTypes.RpcStatus.decode(protobuf.body)) as { code: number; message: string };
    assert.equal(status.code, 16);
    assert.match(status.message, /Authorization: Bearer/);
    const ok = await request(`${server.url}/v1/traces`, { headers: { ...JSON_TYPE, Authorization: 'Bearer s3cret' }, body });
    assert.equal(ok.status, 200);
    assert.equal(sink.spans.length, 1);
  } finally {
    await server.close();
  }
});

test('CORS: a listed origin gets preflight and response headers; other origins get none', async () => {
  const server = await startHttpReceiver({ sink: new RecordingSink(), port: 0, corsOrigins: ['http://localhost:5173'] });
  try {
    const preflight = await request(`${server.url}/v1/traces`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://localhost:5173');
    assert.match(String(preflight.headers['access-control-allow-methods']), /POST/);
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type');

    const post = await request(`${server.url}/v1/traces`, { headers: { ...JSON_TYPE, Origin: 'http://localhost:5173' }, body });
    assert.equal(post.status, 200);
    assert.equal(post.headers['access-control-allow-origin'], 'http://localhost:5173');

    const stranger = await request(`${server.url}/v1/traces`, { headers: { ...JSON_TYPE, Origin: 'https://evil.example' }, body });
    assert.equal(stranger.headers['access-control-allow-origin'], undefined);
  } finally {
    await server.close();
  }
});

test('CORS opens the export routes only: the API, which serves every prompt, stays unreadable to other pages whatever origins are allowed', async () => {
  const server = await startHttpReceiver({ sink: new RecordingSink(), reader: new FakeTraceReader(), port: 0, corsOrigins: ['*'] });
  try {
    const origin = { Origin: 'https://any.example' };
    const read = await request(`${server.url}/api/traces`, { method: 'GET', headers: origin });
    assert.equal(read.status, 200, 'the API answers (the browser then hides the answer from the page)');
    assert.equal(read.headers['access-control-allow-origin'], undefined);
    const preflight = await request(`${server.url}/api/traces`, { method: 'OPTIONS', headers: { ...origin, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const post = await request(`${server.url}/v1/traces`, { headers: { ...JSON_TYPE, ...origin }, body });
    assert.equal(post.headers['access-control-allow-origin'], 'https://any.example');
  } finally {
    await server.close();
  }
});

test('closing the receiver answers the exports it is receiving instead of cutting them off', async () => {
  class SlowSink extends RecordingSink {
    override async acceptTracesJson(bytes: Uint8Array, answer: Parameters<RecordingSink['acceptTracesJson']>[1]): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 300));
      super.acceptTracesJson(bytes, answer);
    }
  }
  const sink = new SlowSink();
  const server = await startHttpReceiver({ sink, port: 0 });
  const posted = request(`${server.url}/v1/traces`, { headers: JSON_TYPE, body });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closed = server.close();
  assert.equal((await posted).status, 200);
  await closed;
  assert.equal(sink.traces.length, 1);
});
