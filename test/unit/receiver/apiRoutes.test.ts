import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeLogsJson, decodeTracesJson } from '../../../src/otlp/decodeJson';
import { readOtlpJsonFile } from '../../../src/otlp/otlpJsonFile';
import { MAX_TRACE_PAGE, SPAN_COUNT_HEADER, UNREADABLE_SPANS_HEADER } from '../../../src/receiver/apiRoutes';
import { startHttpReceiver, type HttpReceiverHandle } from '../../../src/receiver/httpReceiver';
import { FakeTraceReader, LOG_A1, SPAN, SPAN_A1, TRACE_A } from './fakeTraceReader';
import { json, RecordingSink, request } from './receiverKit';

describe('JSON API', () => {
  const reader = new FakeTraceReader();
  let server: HttpReceiverHandle;
  const get = (path: string) => request(`${server.url}${path}`, { method: 'GET' });

  before(async () => {
    server = await startHttpReceiver({ sink: new RecordingSink(), reader, port: 0 });
  });
  after(() => server.close());

  test('GET /api/health answers the reader health', async () => {
    const res = await get('/api/health');
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), { ok: true, version: '0.1.0-test', spans: 1, traces: 2 });
  });

  test('GET /api/traces passes the filters to the reader and answers {traces, total}', async () => {
    const res = await get('/api/traces?limit=10&offset=0&service=search&status=error&q=refund&model=gpt-4o-mini');
    assert.equal(res.status, 200);
    const body = json(res) as { traces: { serviceName: string }[]; total: number };
    assert.equal(body.total, 1);
    assert.equal(body.traces[0].serviceName, 'search');
    assert.deepEqual(reader.queries.at(-1), { limit: 10, offset: 0, q: 'refund', service: 'search', model: 'gpt-4o-mini', status: 'ERROR' });
  });

  test('GET /api/search passes the text and limit to the reader and answers its matches', async () => {
    const res = await get('/api/search?q=%20lisbon%20&limit=20');
    assert.equal(res.status, 200);
    const body = json(res) as { matches: { spanId: string; where: string }[]; scannedSpans: number };
    assert.deepEqual(body.matches.map((m) => [m.spanId, m.where]), [[SPAN_A1, 'user message']]);
    assert.deepEqual(reader.searches.at(-1), { q: 'lisbon', limit: 20 });
    assert.equal((await get('/api/search?q=porto')).status, 200);
    assert.equal(reader.searches.at(-1)?.limit, 200, 'the default limit');
  });

  test('GET /api/search without text, or with a bad limit, is a 400 with {error}', async () => {
    const searches = reader.searches.length;
    for (const query of ['', 'q=', 'q=%20%20', 'q=a&q=b', 'q=x&limit=0', 'q=x&limit=1001', 'q=x&limit=ten']) {
      const res = await get(`/api/search?${query}`);
      assert.equal(res.status, 400, query);
      assert.match((json(res) as { error: string }).error, /"(q|limit)"/, query);
    }
    assert.equal(reader.searches.length, searches, 'none reached the reader');
  });

  test('GET /api/traces without parameters uses a default page', async () => {
    const res = await get('/api/traces');
    assert.equal((json(res) as { total: number }).total, 2);
    assert.deepEqual(reader.queries.at(-1), { limit: 50, offset: 0 });
  });

  test('bad paging or status parameters are a 400 with {error}', async () => {
    for (const query of ['limit=abc', 'limit=0', `limit=${MAX_TRACE_PAGE + 1}`, 'limit=-1', 'offset=1.5', 'status=BROKEN', 'limit=1&limit=2']) {
      const res = await get(`/api/traces?${query}`);
      assert.equal(res.status, 400, query);
      assert.equal(typeof (json(res) as { error: unknown }).error, 'string', query);
    }
  });

  test('GET /api/traces/:traceId answers {summary, spans}, any id case', async () => {
    const res = await get(`/api/traces/${TRACE_A.toUpperCase()}`);
    assert.equal(res.status, 200);
    const body = json(res) as { summary: { traceId: string }; spans: unknown[] };
    assert.equal(body.summary.traceId, TRACE_A);
    assert.deepEqual(body.spans, [SPAN]);
  });

  test('an unknown trace is a 404 {error}; a malformed id is a 400', async () => {
    const missing = await get(`/api/traces/${'c'.repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.match((json(missing) as { error: string }).error, /not found/);
    const malformed = await get('/api/traces/not-a-trace-id');
    assert.equal(malformed.status, 400);
  });

  test('GET /api/spans/:traceId/:spanId answers the span or 404', async () => {
    const res = await get(`/api/spans/${TRACE_A}/${SPAN_A1}`);
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), SPAN);
    const missing = await get(`/api/spans/${TRACE_A}/${'0'.repeat(15)}1`);
    assert.equal(missing.status, 404);
  });

  test('GET /api/traces/:traceId/otlp answers the trace as OTLP/JSON lines that decode back, or 404', async () => {
    const res = await get(`/api/traces/${TRACE_A}/otlp`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    assert.match(String(res.headers['content-disposition']), new RegExp(`trace-${TRACE_A}\\.otlp\\.jsonl`));
    assert.equal(res.headers[UNREADABLE_SPANS_HEADER], '1');
    assert.equal(res.headers[SPAN_COUNT_HEADER], '1');
    const file = readOtlpJsonFile(res.body.toString('utf8'));
    assert.deepEqual(file.requests.map((r) => [r.signal, r.items]), [['traces', 1], ['logs', 1]]);
    const { llm: _llm, source: _source, ...raw } = SPAN;
    assert.deepEqual(decodeTracesJson(file.requests[0].json).spans, [raw]);
    assert.deepEqual(decodeLogsJson(file.requests[1].json).records, [LOG_A1]);
    assert.equal((await get(`/api/traces/${'b'.repeat(31)}c/otlp`)).status, 404);
    assert.equal((await get('/api/traces/nothex/otlp')).status, 400);
  });

  test('without a reader the API routes are a 404 and OTLP still works', async () => {
    const bare = await startHttpReceiver({ sink: new RecordingSink(), port: 0 });
    try {
      const res = await request(`${bare.url}/api/health`, { method: 'GET' });
      assert.equal(res.status, 404);
    } finally {
      await bare.close();
    }
  });
});
