// The endpoint the empty state teaches and the exporter set-ups it offers to copy.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endpointInfo, envSnippets } from '../../../src/views/envSnippets';

const configured = { host: '127.0.0.1', httpPort: 4318, grpcPort: 4317 };

describe('endpoint', () => {
  test('the ports actually bound win over the settings', () => {
    const info = endpointInfo(
      { http: { state: 'listening', host: '127.0.0.1', port: 43180 }, grpc: { state: 'listening', host: '127.0.0.1', port: 43170 } },
      configured,
    );
    assert.deepEqual(info, { httpUrl: 'http://127.0.0.1:43180', grpcUrl: 'http://127.0.0.1:43170' });
  });

  test('a wildcard bind is dialled on loopback, IPv6 gets brackets', () => {
    const info = endpointInfo({ http: { state: 'listening', host: '0.0.0.0', port: 4318 }, grpc: { state: 'listening', host: '::1', port: 4317 } }, configured);
    assert.deepEqual(info, { httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://[::1]:4317' });
  });

  test('a window that does not host the receiver shows the configured endpoint', () => {
    const info = endpointInfo({ http: { state: 'stopped' }, grpc: { state: 'stopped' } }, configured);
    assert.deepEqual(info, { httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://127.0.0.1:4317' });
  });

  test('gRPC disabled: no gRPC endpoint and no gRPC snippet', () => {
    const info = endpointInfo({ http: { state: 'listening', host: '127.0.0.1', port: 4318 }, grpc: { state: 'disabled' } }, { ...configured, grpcPort: 0 });
    assert.equal(info.grpcUrl, undefined);
    assert.deepEqual(envSnippets(info).map((s) => s.id), ['python-http', 'node', 'vercel-ai', 'claude-code', 'codex']);
  });
});

describe('snippets', () => {
  const snippets = envSnippets({ httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://127.0.0.1:4317' });
  const byId = new Map(snippets.map((s) => [s.id, s.text]));

  test('Python over gRPC points at the gRPC port with content capture on', () => {
    const text = byId.get('python-grpc') ?? '';
    assert.match(text, /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4317/);
    assert.match(text, /OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
    assert.match(text, /OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true/);
  });

  test('the coding agents point at the HTTP port: Claude Code by its environment, Codex by its config', () => {
    assert.match(byId.get('claude-code') ?? '', /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4318\n/);
    assert.match(byId.get('claude-code') ?? '', /OTEL_LOGS_EXPORTER=otlp/);
    assert.match(byId.get('codex') ?? '', /endpoint = "http:\/\/127\.0\.0\.1:4318\/v1\/logs"/);
  });

  test('Gemini CLI points at the gRPC port, its default protocol, with its traces on', () => {
    const text = byId.get('gemini-cli') ?? '';
    assert.match(text, /GEMINI_TELEMETRY_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4317\n/);
    assert.match(text, /GEMINI_TELEMETRY_OTLP_PROTOCOL=grpc/);
    assert.match(text, /GEMINI_TELEMETRY_TRACES_ENABLED=true/);
  });

  test('Python and Node over HTTP point at the HTTP port', () => {
    for (const id of ['python-http', 'node'] as const) {
      assert.match(byId.get(id) ?? '', /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4318\n/);
      assert.match(byId.get(id) ?? '', /OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/);
    }
  });

  test('the Vercel AI SDK snippet enables experimental_telemetry and exports to /v1/traces', () => {
    const text = byId.get('vercel-ai') ?? '';
    assert.match(text, /experimental_telemetry: \{ isEnabled: true/);
    assert.match(text, /http:\/\/127\.0\.0\.1:4318\/v1\/traces/);
  });
});

test('a follower window shows the owner window’s HTTP address', () => {
  const info = endpointInfo({ http: { state: 'stopped' }, grpc: { state: 'stopped' } }, configured, 'http://127.0.0.1:43999');
  assert.equal(info.httpUrl, 'http://127.0.0.1:43999');
});

test('with a receiver token, every snippet sends an Authorization header, with a placeholder where the token goes, never the token', () => {
  const endpoint = { httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://127.0.0.1:4317' };
  const plain = envSnippets(endpoint);
  const withToken = envSnippets(endpoint, true);
  assert.deepEqual(withToken.map((s) => s.id), plain.map((s) => s.id));
  for (const snippet of withToken) assert.match(snippet.text, /Authorization.{1,6}Bearer( |%20)<your Spanlight token>/, snippet.id);
  for (const snippet of plain) assert.doesNotMatch(snippet.text, /Authorization/, snippet.id);
  assert.match(withToken.find((s) => s.id === 'python-grpc')!.text, /^export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20<your Spanlight token>"$/m);
});
