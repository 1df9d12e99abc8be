// Codex pointed at Spanlight, through the whole engine: its captured log export (test/fixtures/otlp,
// scenario codex) is posted over loopback, and the JSON API must show each prompt as a trace of its
// model calls (tokens, cost) and tool calls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpanlightEngine } from '../../../src/engine';
import type { TraceDetail, TraceList } from '../../../src/protocol/model';

test('Codex events: each prompt is a trace of its model calls and tool calls, with tokens, cost and errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'spanlight-codex-'));
  const engine = await SpanlightEngine.open({ storeDir: dir, version: 'test' });
  try {
    const status = await engine.startReceivers({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, bodyLimitBytes: 1 << 20 });
    if (status.http.state !== 'listening') throw new Error('not listening');
    const url = `http://127.0.0.1:${status.http.port}`;
    const body = readFileSync(join(__dirname, '../../fixtures/otlp/codex-http-protobuf-logs-1.bin'));
    const res = await fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    assert.equal(res.status, 200, await res.text());
    await engine.store.flush();

    const list = (await (await fetch(`${url}/api/traces`)).json()) as TraceList;
    assert.deepEqual(list.traces.map((t) => t.rootName), ['Apply the fix, please.', 'Why does the tokenizer test fail on CRLF?']);
    const [second, first] = list.traces;
    assert.equal(first.serviceName, 'codex_exec');
    assert.equal(first.llmCallCount, 2);
    assert.equal(first.inputTokens, 18_250 + 19_020);
    assert.equal(first.outputTokens, 410 + 620);
    assert.ok((first.costUsd ?? 0) > 0, 'priced from the table');
    assert.deepEqual(first.models, ['gpt-5.1-codex']);
    assert.equal(first.durationMs, 12_100);
    assert.equal(second.status, 'ERROR');

    const detail = (await (await fetch(`${url}/api/traces/${first.traceId}`)).json()) as TraceDetail;
    assert.deepEqual(
      detail.spans.map((s) => [s.name, s.llm?.operation]),
      [
        ['Why does the tokenizer test fail on CRLF?', 'agent'],
        ['chat gpt-5.1-codex', 'chat'],
        ['execute_tool shell', 'tool'],
        ['chat gpt-5.1-codex', 'chat'],
      ],
    );
    assert.equal(detail.spans[1].llm?.usage.cachedInputTokens, 15_360);
    assert.equal(detail.spans[2].llm?.tool?.arguments, '{"command":["cargo","test","tokenizer"]}');
    assert.match(detail.spans[2].llm?.tool?.result ?? '', /FAILED/);
    assert.deepEqual(detail.spans[0].llm?.inputMessages, [{ role: 'user', content: 'Why does the tokenizer test fail on CRLF?' }]);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
});
