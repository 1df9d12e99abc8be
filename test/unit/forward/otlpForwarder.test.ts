// The forwarder against a real upstream on loopback: what it sends, how it retries, what it gives up.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { forwardTargetOf, type ForwardTarget } from '../../../src/forward/forwardTarget';
import { OtlpForwarder, retryAfterMs } from '../../../src/forward/otlpForwarder';
import { FakeUpstream } from './fakeUpstream';

const FAST = { initialBackoffMs: 20, maxBackoffMs: 100, timeoutMs: 2000 };

function targetOf(url: string, headers = ''): ForwardTarget {
  const result = forwardTargetOf(url, headers);
  assert.ok('target' in result);
  return result.target;
}

async function withUpstream(t: { after: (fn: () => Promise<void>) => void }): Promise<FakeUpstream> {
  const upstream = await FakeUpstream.start();
  t.after(() => upstream.close());
  return upstream;
}

function forwarderTo(t: { after: (fn: () => void) => void }, target: ForwardTarget, options = {}): OtlpForwarder {
  const forwarder = new OtlpForwarder(target, { ...FAST, ...options });
  t.after(() => forwarder.dispose());
  return forwarder;
}

test('exports go to the signal paths as received, with their content type and the configured headers', async (t) => {
  const upstream = await withUpstream(t);
  const forwarder = forwarderTo(t, targetOf(upstream.url, 'Authorization=Bearer%20s3cret,x-tenant=acme'));
  const traces = Buffer.from([0x0a, 0x02, 0x0a, 0x00]);
  const caller = Buffer.from(traces);
  forwarder.forward('traces', 'protobuf', caller);
  // The caller's memory is reused as soon as forward() returns (a leased request body).
  caller.fill(0xff);
  forwarder.forward('logs', 'json', Buffer.from('{"resourceLogs":[]}'));
  const [a, b] = await upstream.waitForRequests(2);
  const byPath = new Map([a, b].map((r) => [r.path, r]));
  assert.deepEqual(byPath.get('/v1/traces')?.body, traces);
  assert.equal(byPath.get('/v1/traces')?.headers['content-type'], 'application/x-protobuf');
  assert.equal(byPath.get('/v1/logs')?.body.toString(), '{"resourceLogs":[]}');
  assert.equal(byPath.get('/v1/logs')?.headers['content-type'], 'application/json');
  for (const r of [a, b]) {
    assert.equal(r.headers.authorization, 'Bearer s3cret');
    assert.equal(r.headers['x-tenant'], 'acme');
    assert.equal(r.headers['content-encoding'], undefined, 'a loopback upstream gets them uncompressed');
  }
  await forwarder.drained();
  assert.deepEqual(forwarder.status, { endpoint: upstream.url, state: 'ok', sent: 2, rejected: 0, dropped: 0, queued: 0 });
});

test('an upstream beyond this machine gets the exports gzipped', async (t) => {
  const upstream = await withUpstream(t);
  // The same loopback server, taken for a remote one.
  const forwarder = forwarderTo(t, { ...targetOf(upstream.url), loopback: false });
  const body = Buffer.from('x'.repeat(10_000));
  forwarder.forward('traces', 'json', body);
  const [request] = await upstream.waitForRequests(1);
  assert.equal(request.headers['content-encoding'], 'gzip');
  assert.ok(request.wire.length < 1000, `gzipped: ${request.wire.length} bytes on the wire`);
  assert.deepEqual(request.body, body);
});

test('an unreachable upstream is retried with backoff until it answers; nothing is lost meanwhile', async (t) => {
  const upstream = await withUpstream(t);
  const port = upstream.port;
  await upstream.close();
  const forwarder = forwarderTo(t, targetOf(`http://127.0.0.1:${port}`));
  const states: string[] = [];
  forwarder.onDidChangeStatus((s) => states.push(`${s.state}${s.lastError ? `: ${s.lastError}` : ''}`));
  for (let i = 0; i < 3; i++) forwarder.forward('traces', 'protobuf', Buffer.from([i]));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(forwarder.status.state, 'retrying');
  assert.match(forwarder.status.lastError ?? '', /cannot reach the endpoint \(ECONNREFUSED\)/);
  assert.equal(forwarder.status.queued, 3);
  const revived = await FakeUpstream.start(port);
  t.after(() => revived.close());
  const requests = await revived.waitForRequests(3);
  assert.deepEqual(requests.map((r) => r.body[0]).sort(), [0, 1, 2]);
  await forwarder.drained();
  assert.equal(forwarder.status.sent, 3);
  assert.deepEqual(states, ['retrying: cannot reach the endpoint (ECONNREFUSED)', 'ok']);
});

test('429/502/503/504 are retried, after the Retry-After the server asks for', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push({ status: 503, headers: { 'retry-after': '0' } }, { status: 429 }, { status: 502 }, { status: 504 });
  const forwarder = forwarderTo(t, targetOf(upstream.url));
  forwarder.forward('traces', 'protobuf', Buffer.from([7]));
  const requests = await upstream.waitForRequests(5);
  assert.ok(requests.every((r) => r.body[0] === 7), 'the same export each time');
  await forwarder.drained();
  assert.equal(forwarder.status.sent, 1);
  assert.equal(forwarder.status.state, 'ok');
});

test('any other error status is final for that export: counted, reported with the server message, not retried', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push({ status: 401, headers: { 'content-type': 'application/json' }, body: '{"code":16,"message":"invalid API key"}' });
  const forwarder = forwarderTo(t, targetOf(upstream.url));
  forwarder.forward('traces', 'protobuf', Buffer.from([1]));
  forwarder.forward('traces', 'protobuf', Buffer.from([2]));
  await upstream.waitForRequests(2);
  await forwarder.drained();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(upstream.requests.length, 2, 'the refused export is not sent again');
  assert.equal(forwarder.status.rejected, 1);
  assert.equal(forwarder.status.sent, 1);
});

test('a refusal is reported with what the server said', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'unsupported\n  content   type' });
  const forwarder = forwarderTo(t, targetOf(upstream.url));
  forwarder.forward('traces', 'protobuf', Buffer.from([1]));
  await upstream.waitForRequests(1);
  await forwarder.drained();
  assert.equal(forwarder.status.state, 'rejected');
  assert.equal(forwarder.status.lastError, 'HTTP 400 (traces): unsupported content type');
});

test('an upstream that never answers times out and is retried', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push('hang');
  const forwarder = forwarderTo(t, targetOf(upstream.url), { timeoutMs: 200 });
  forwarder.forward('traces', 'protobuf', Buffer.from([1]));
  await upstream.waitForRequests(2);
  await forwarder.drained();
  assert.equal(forwarder.status.sent, 1);
});

test('while the upstream is down, the queue stays within its bytes and the oldest exports drop', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push('hang', 'hang');
  const forwarder = forwarderTo(t, targetOf(upstream.url), { maxQueueBytes: 10_000, timeoutMs: 60_000 });
  const events: number[] = [];
  forwarder.onDidStartDropping((s) => events.push(s.dropped));
  // Two go out (and hang); of the next ten 2 KB exports only the newest five fit the 10 KB queue.
  for (let i = 0; i < 12; i++) forwarder.forward('traces', 'protobuf', Buffer.alloc(2000, i));
  assert.equal(forwarder.status.dropped, 5);
  assert.equal(forwarder.status.queued, 7, 'five waiting, two on their way');
  // An export larger than the whole queue is dropped at once rather than emptying it.
  forwarder.forward('traces', 'protobuf', Buffer.alloc(20_000));
  assert.equal(forwarder.status.dropped, 6);
  assert.equal(forwarder.status.queued, 7);
  assert.deepEqual(events, [1], 'the first drop is told (exports are being lost upstream), later ones only counted');
});

test('dispose aborts what is in flight and drops the queue', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push('hang', 'hang');
  const forwarder = new OtlpForwarder(targetOf(upstream.url), FAST);
  forwarder.forward('traces', 'protobuf', Buffer.from([1]));
  forwarder.forward('traces', 'protobuf', Buffer.from([2]));
  forwarder.forward('traces', 'protobuf', Buffer.from([3]));
  await upstream.waitForRequests(2);
  forwarder.dispose();
  await forwarder.drained();
  forwarder.forward('traces', 'protobuf', Buffer.from([4]));
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(upstream.requests.every((r) => r.body[0] !== 3 && r.body[0] !== 4), 'nothing is sent after dispose');
});

test('Retry-After is read as seconds or an HTTP date, and capped', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  assert.equal(retryAfterMs('2', now), 2000);
  assert.equal(retryAfterMs('Fri, 04 Dec 2026 10:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('86400', now), 60_000);
  assert.equal(retryAfterMs('-3', now), 0);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(null, now), undefined);
});

test('an https endpoint goes over TLS: a server that does not speak it is reported as unreachable, and retried', async (t) => {
  const upstream = await withUpstream(t);
  const forwarder = forwarderTo(t, targetOf(`https://127.0.0.1:${upstream.port}`));
  forwarder.forward('traces', 'protobuf', Buffer.from([1]));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(forwarder.status.state, 'retrying');
  assert.match(forwarder.status.lastError ?? '', /^cannot reach the endpoint \(/);
  assert.equal(forwarder.status.queued, 1);
});

test('an export waiting for its retry keeps its bytes while later ones are copied (reused memory)', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push({ status: 503, headers: { 'retry-after': '0.2' } });
  const forwarder = forwarderTo(t, targetOf(upstream.url));
  const size = 200_000;
  for (let round = 0; round < 3; round++) {
    const first = upstream.requests.length;
    forwarder.forward('traces', 'protobuf', Buffer.alloc(size, 0xa0 + round));
    // The first one is refused with a 503 and waits for its retry while the second is copied.
    while (round === 0 && forwarder.status.state !== 'retrying') await new Promise((r) => setTimeout(r, 5));
    forwarder.forward('traces', 'protobuf', Buffer.alloc(size, 0xb0 + round));
    await forwarder.drained();
    const bodies = upstream.requests.slice(first).map((r) => r.body);
    const count = (fill: number) => bodies.filter((b) => b.length === size && b.every((x) => x === fill)).length;
    // Round 0: the first export twice (refused, then retried), the second once; then once each.
    assert.deepEqual([count(0xa0 + round), count(0xb0 + round)], [round === 0 ? 2 : 1, 1], `round ${round}`);
  }
  assert.equal(forwarder.status.sent, 6);
});

test('an upstream that refuses gzip (415) gets the export again uncompressed, and every later one too', async (t) => {
  const upstream = await withUpstream(t);
  upstream.answers.push({ status: 415, body: 'unsupported content encoding' });
  const forwarder = forwarderTo(t, { ...targetOf(upstream.url), loopback: false });
  const states: string[] = [];
  forwarder.onDidChangeStatus((s) => states.push(s.state));
  forwarder.forward('traces', 'protobuf', Buffer.alloc(5000, 1));
  await upstream.waitForRequests(2);
  await forwarder.drained();
  forwarder.forward('traces', 'protobuf', Buffer.alloc(5000, 2));
  const requests = await upstream.waitForRequests(3);
  assert.deepEqual(requests.map((r) => r.headers['content-encoding'] ?? 'none'), ['gzip', 'none', 'none']);
  assert.deepEqual(requests.map((r) => r.body[0]), [1, 1, 2]);
  await forwarder.drained();
  assert.equal(forwarder.status.sent, 2);
  assert.deepEqual(states, [], 'no trouble to report');
});

test('a kept-alive connection the upstream closed meanwhile is not reported: the export goes again on a new one', async (t) => {
  // An upstream that drops every connection on its second request, as one closing idle connections
  // does when the close crosses a request.
  const served = new WeakSet<object>();
  const bodies: number[] = [];
  const server = http.createServer((req, res) => {
    if (served.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    served.add(req.socket);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks)[0]);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  const forwarder = forwarderTo(t, targetOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  const states: string[] = [];
  forwarder.onDidChangeStatus((s) => states.push(s.state));
  for (let i = 1; i <= 3; i++) {
    forwarder.forward('traces', 'protobuf', Buffer.from([i]));
    await forwarder.drained();
  }
  assert.deepEqual(bodies, [1, 2, 3]);
  assert.equal(forwarder.status.sent, 3);
  assert.deepEqual(states, []);
});
