import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forwardTargetOf, parseOtlpHeaders } from '../../../src/forward/forwardTarget';

test('an endpoint is a base URL: the signal paths are appended, as SDKs do with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  const cases: [string, string, boolean][] = [
    ['http://localhost:4328', 'http://localhost:4328', true],
    ['http://127.0.0.1:4328/', 'http://127.0.0.1:4328', true],
    ['https://cloud.langfuse.com/api/public/otel', 'https://cloud.langfuse.com/api/public/otel', false],
    // A signal URL pasted from an exporter's config is taken for its base.
    ['https://collector.example.com/v1/traces', 'https://collector.example.com', false],
    ['http://[::1]:4328/otlp/v1/logs/', 'http://[::1]:4328/otlp', true],
    ['http://localhost:4328/v1/metrics', 'http://localhost:4328', true],
  ];
  for (const [endpoint, base, loopback] of cases) {
    const result = forwardTargetOf(endpoint);
    assert.ok('target' in result, endpoint);
    assert.equal(result.target.endpoint, base);
    assert.deepEqual(result.target.urls, { traces: `${base}/v1/traces`, logs: `${base}/v1/logs`, metrics: `${base}/v1/metrics` });
    assert.equal(result.target.loopback, loopback, endpoint);
  }
});

test('endpoints that cannot work are refused with a reason', () => {
  const cases: [string, RegExp][] = [
    ['localhost:4328', /has no scheme: write http:\/\/localhost:4328/],
    ['not a url', /not a URL/],
    ['grpc://localhost:4317', /must be an http/],
    ['https://user:secret@example.com', /must not hold credentials/],
    ['https://example.com/otel?key=secret', /query/],
  ];
  for (const [endpoint, reason] of cases) {
    const result = forwardTargetOf(endpoint);
    assert.ok('error' in result, endpoint);
    assert.match(result.error, reason);
    assert.doesNotMatch(result.error, /secret/, 'a refused endpoint does not echo credentials');
  }
});

test("the receiver's own address is refused: each export would come back to it forever", () => {
  const own = { host: '127.0.0.1', port: 4318 };
  for (const endpoint of ['http://127.0.0.1:4318', 'http://localhost:4318/', 'http://[::1]:4318']) {
    const result = forwardTargetOf(endpoint, '', own);
    assert.ok('error' in result, endpoint);
    assert.match(result.error, /own receiver/);
  }
  assert.ok('target' in forwardTargetOf('http://127.0.0.1:4328', '', own), 'another port is fine');
  assert.ok('target' in forwardTargetOf('https://example.com:4318', '', own), 'another host is fine');
});

test('headers are read as OTEL_EXPORTER_OTLP_HEADERS: comma-separated, percent-encoded values', () => {
  assert.deepEqual(parseOtlpHeaders('Authorization=Basic%20dXNlcjpwYXNz, x-tenant = acme ,'), {
    headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-tenant': 'acme' },
  });
  assert.deepEqual(parseOtlpHeaders(''), { headers: {} });
  const target = forwardTargetOf('http://localhost:4328', 'api-key=abc%3D%3D');
  assert.ok('target' in target);
  assert.deepEqual(target.target.headers, { 'api-key': 'abc==' });
});

test('malformed headers are refused without showing their values', () => {
  for (const text of ['Authorization', 'bad name=x', 'a=%E0%A4%A', 'a=x%0D%0Ainjected: y', 'x-key=caf%C3%A9', 'Content-Type=text/plain', 'host=example.com']) {
    const result = parseOtlpHeaders(text);
    assert.ok('error' in result, text);
    assert.doesNotMatch(result.error, /injected|%E0|café|text\/plain|example/);
  }
  const viaTarget = forwardTargetOf('http://localhost:4328', 'Authorization');
  assert.ok('error' in viaTarget);
});
