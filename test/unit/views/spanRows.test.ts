// Span → SpanRow: the icon each kind of span gets, offsets from nanosecond strings, LLM fields, errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LlmCall, Span } from '../../../src/protocol/model';
import { buildSpanRows, kindIconFor, offsetMs, packSpanRows, parseNano, spanRowFrom } from '../../../src/views/spanRows';
import { unpackSpanRows } from '../../../webview/src/sidebar/packedRows';

function span(overrides: Partial<Span> = {}): Span {
  return {
    traceId: 'ab'.repeat(16),
    spanId: '01'.repeat(8),
    name: 'work',
    kind: 'INTERNAL',
    startTimeUnixNano: '1732368000000000000',
    endTimeUnixNano: '1732368001000000000',
    durationMs: 1000,
    status: { code: 'UNSET' },
    attributes: {},
    events: [],
    links: [],
    resource: {},
    scope: { name: 't' },
    ...overrides,
  };
}

function llm(operation: LlmCall['operation'], extra: Partial<LlmCall> = {}): LlmCall {
  return { operation, params: {}, inputMessages: [], outputMessages: [], finishReasons: [], usage: {}, convention: ['genai'], ...extra };
}

describe('kind icons', () => {
  const cases: [string, Partial<Span>, ReturnType<typeof kindIconFor>][] = [
    ['chat call', { llm: llm('chat') }, 'llm'],
    ['Responses API call', { llm: llm('responses') }, 'llm'],
    ['embeddings call', { llm: llm('embeddings') }, 'embedding'],
    ['tool execution', { llm: llm('tool') }, 'tool'],
    ['retriever', { llm: llm('retrieval') }, 'retrieval'],
    ['reranker', { llm: llm('rerank') }, 'retrieval'],
    ['agent', { llm: llm('agent') }, 'agent'],
    ['workflow / chain', { llm: llm('workflow') }, 'agent'],
    ['database client span', { attributes: { 'db.system': 'postgresql' } }, 'retrieval'],
    ['span named like an embedding call', { name: 'embeddings text-embedding-3-small' }, 'embedding'],
    ['span named execute_tool', { name: 'execute_tool get_weather' }, 'tool'],
    ['Vercel AI doGenerate', { name: 'ai.generateText.doGenerate' }, 'llm'],
    ['LangChain chain', { name: 'RunnableSequence chain' }, 'agent'],
    ['vector search', { name: 'qdrant vector search' }, 'retrieval'],
    ['HTTP request', { name: 'GET /orders/{id}' }, 'other'],
    ['unknown operation falls back to the name', { name: 'chat gpt-4o', llm: llm('other') }, 'llm'],
  ];
  for (const [label, overrides, icon] of cases) {
    test(`${label} → ${icon}`, () => assert.equal(kindIconFor(span(overrides)), icon));
  }
});

describe('offsets', () => {
  test('nanosecond differences survive where doubles would round them', () => {
    const base = parseNano('1732368000000000001');
    assert.equal(offsetMs('1732368000000250001', base), 0.25);
    assert.equal(offsetMs('1732367999999000001', base), -1);
  });

  test('the fast path and BigInt agree, across a digit-length change and far apart', () => {
    const base = parseNano('9999999999999999999');
    assert.equal(offsetMs('10000000000000000000', base), 0.000001);
    const far = parseNano('1000000000000000000');
    assert.equal(offsetMs('1732368000000250001', far), Number(1732368000000250001n - 1000000000000000000n) / 1e6);
  });

  test('a malformed time places the span at the start instead of throwing', () => {
    assert.equal(offsetMs('not-a-number', parseNano('0')), 0);
    assert.equal(parseNano('').value, 0n);
  });

  test('rows of a trace are relative to the given start', () => {
    const rows = buildSpanRows(
      [span({ spanId: 'a'.repeat(16) }), span({ spanId: 'b'.repeat(16), parentSpanId: 'a'.repeat(16), startTimeUnixNano: '1732368000500000000', durationMs: 200 })],
      '1732368000000000000',
    );
    assert.deepEqual(
      rows.map((r) => [r.spanId[0], r.parentSpanId?.[0], r.startOffsetMs, r.durationMs]),
      [['a', undefined, 0, 1000], ['b', 'a', 500, 200]],
    );
  });
});

describe('row content', () => {
  test('an LLM call row carries the response model, tokens and cost', () => {
    const row = spanRowFrom(
      span({ llm: llm('chat', { requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', usage: { inputTokens: 1200, outputTokens: 80 }, costUsd: 0.0038 }) }),
      parseNano('1732368000000000000'),
    );
    assert.equal(row.kindIcon, 'llm');
    assert.equal(row.operation, 'chat');
    assert.equal(row.model, 'gpt-4o-2024-08-06');
    assert.equal(row.inputTokens, 1200);
    assert.equal(row.outputTokens, 80);
    assert.equal(row.costUsd, 0.0038);
    assert.equal(row.error, false);
  });

  test('an exception event marks the row as an error even with status UNSET', () => {
    const row = spanRowFrom(span({ events: [{ name: 'exception', timeUnixNano: '1732368000000000000', attributes: {} }] }), parseNano('0'));
    assert.equal(row.error, true);
    assert.equal(row.status, 'UNSET');
  });

  test('status ERROR marks the row; a row carries no prompt text', () => {
    const row = spanRowFrom(span({ status: { code: 'ERROR', message: 'boom' }, llm: llm('chat', { inputMessages: [{ role: 'user', content: 'secret prompt' }] }) }), parseNano('0'));
    assert.equal(row.error, true);
    assert.ok(!JSON.stringify(row).includes('secret prompt'));
  });
});

describe('packed rows', () => {
  test('pack on the host and unpack in the webview round-trip every field', () => {
    const base = parseNano('1732368000000000000');
    const rows = [
      spanRowFrom(span({ spanId: 'a'.repeat(16), name: 'agent', llm: llm('agent') }), base),
      spanRowFrom(span({ spanId: 'b'.repeat(16), parentSpanId: 'a'.repeat(16), name: 'chat', startTimeUnixNano: '1732368000123456789', status: { code: 'ERROR' }, source: { path: 'x.py', line: 1, origin: 'attribute', confidence: 1 }, llm: llm('chat', { responseModel: 'gpt-4o', usage: { inputTokens: 3, outputTokens: 4 }, costUsd: 0.25 }) }), base),
      spanRowFrom(span({ spanId: 'c'.repeat(16), parentSpanId: 'f'.repeat(16), name: 'chat', status: { code: 'OK' } }), base),
    ];
    const packed = packSpanRows(rows);
    assert.deepEqual(packed.parents, [-1, 0, -2]);
    assert.deepEqual(packed.strings.filter((value: string) => value === 'chat').length, 1, 'repeated names are stored once');
    const back = unpackSpanRows(JSON.parse(JSON.stringify(packed)));
    assert.deepEqual(back, rows.map((r) => ({ ...r, startOffsetMs: Math.round(r.startOffsetMs * 1000) / 1000 })));
  });

  test('a 10,000-row trace packs to a fraction of its object form', () => {
    const base = parseNano('1732368000000000000');
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      spanRowFrom(span({ spanId: i.toString(16).padStart(16, '0'), parentSpanId: i === 0 ? undefined : '0'.repeat(16), name: `step ${i % 20}`, startTimeUnixNano: String(1732368000000000000n + BigInt(i) * 1_000_000n) }), base),
    );
    const objects = JSON.stringify(rows).length;
    const packed = JSON.stringify(packSpanRows(rows)).length;
    assert.ok(packed < objects / 2.5, `${packed} vs ${objects} bytes`);
  });
});
