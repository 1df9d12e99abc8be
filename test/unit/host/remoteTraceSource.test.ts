// A second window reads the owner's store over loopback: same list, live changes, pin/delete/clear.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SpanlightEngine } from '../../../src/engine';
import { RemoteTraceSource } from '../../../src/host/remoteTraceSource';
import { LocalTraceSource } from '../../../src/host/traceSource';
import { listedTraces } from '../../../src/views/listedTraces';
import type { TraceChange } from '../../../src/protocol/model';
import { startEngine, type RunningEngine } from '../engine/engineKit';

const TRACE_ID = 'aa'.repeat(16);

function otlpJson(traceId: string, spanId: string, name: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'window-sync' } }] },
        scopeSpans: [
          { scope: { name: 't' }, spans: [{ traceId, spanId, name, kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' }] },
        ],
      },
    ],
  });
}

function nextChange(source: RemoteTraceSource, match: (c: TraceChange) => boolean): Promise<TraceChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change event within 5 s')), 5000);
    const sub = source.onDidChangeTraces((change) => {
      if (!match(change)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(change);
    });
  });
}

describe('a follower window reading the owner window', () => {
  let running: RunningEngine;
  let engine: SpanlightEngine;
  let url: string;
  let remote: RemoteTraceSource;

  before(async () => {
    running = await startEngine(undefined, { windowSync: true });
    ({ engine, url } = running);
    remote = new RemoteTraceSource(url, async () => undefined);
    await remote.opened;
  });
  after(async () => {
    remote.dispose();
    await running.close();
  });

  test('a span received by the owner reaches the follower as a live change, then reads back in full', async () => {
    const changed = nextChange(remote, (c) => c.added.some((t) => t.traceId === TRACE_ID));
    const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: otlpJson(TRACE_ID, '01'.repeat(8), 'answer_question') });
    assert.equal(res.status, 200);
    const change = await changed;
    assert.deepEqual(change.spanIds[TRACE_ID], ['01'.repeat(8)]);
    const list = await remote.listTraces({ limit: 10 });
    assert.equal(list.traces[0].rootName, 'answer_question');
    const detail = await remote.getTrace(TRACE_ID);
    assert.equal(detail?.spans[0].name, 'answer_question');
    assert.equal((await remote.getSpan(TRACE_ID, '01'.repeat(8)))?.resource['service.name'], 'window-sync');
  });

  test("the follower exports the owner's trace as the owner would, and gets nothing for a trace not stored", async () => {
    const local = await new LocalTraceSource(engine.store).getTraceFile(TRACE_ID);
    assert.ok(local);
    assert.deepEqual(await remote.getTraceFile(TRACE_ID), local);
    assert.equal(local.spans, 1);
    assert.equal(await remote.getTraceFile('bb'.repeat(16)), undefined);
  });

  test("the follower searches all of the owner's stored text, and a cancelled search answers as cancelled", async () => {
    const result = await remote.searchText('ANSWER_question', { limit: 5 });
    assert.deepEqual(
      result.matches.map((m) => [m.traceId, m.where]),
      [[TRACE_ID, 'name']],
    );
    assert.equal(result.totalSpans, engine.store.stats().spans);
    const cancel = new AbortController();
    cancel.abort();
    assert.equal((await remote.searchText('answer_question', { signal: cancel.signal })).stopped, 'cancelled');
  });

  test('pin and delete from the follower change the owner store', async () => {
    await remote.setPinned(TRACE_ID, true);
    assert.equal(engine.store.isPinned(TRACE_ID), true);
    const removed = nextChange(remote, (c) => c.removed.includes(TRACE_ID));
    await remote.deleteTrace(TRACE_ID);
    await removed;
    assert.equal(engine.store.getSummary(TRACE_ID), undefined);
    assert.equal(await remote.getTrace(TRACE_ID), undefined);
  });

  test('writes are PUT/DELETE only: a cross-site style POST cannot delete anything', async () => {
    const res = await fetch(`${url}/api/traces`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '' });
    assert.equal(res.status, 404);
    const badPin = await fetch(`${url}/api/traces/${TRACE_ID}/pin`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"pinned":"yes"}' });
    assert.equal(badPin.status, 400);
  });
  test('Export Listed Traces lists every trace the filters match, past the 1,000 a page holds, oldest first, from either window', async () => {
    // 1,205 turns, each its own trace, received newest first; every tenth in one conversation.
    const spans = Array.from({ length: 1205 }, (_, i) => {
      const n = 1205 - i;
      const start = BigInt('1700000000000000000') + BigInt(n) * 1_000_000n;
      const attributes = n % 10 === 0 ? [{ key: 'session.id', value: { stringValue: 'conv-export-10' } }] : [];
      return { traceId: `e7${n.toString(16).padStart(30, '0')}`, spanId: n.toString(16).padStart(16, '0'), name: `turn ${n}`, kind: 1, startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1000n), attributes };
    });
    const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'export-list' } }] }, scopeSpans: [{ scope: { name: 't' }, spans }] }] });
    assert.equal((await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 200);
    await engine.store.flush();
    const names = (traces: { rootName: string }[]) => traces.map((t) => t.rootName);
    for (const source of [new LocalTraceSource(engine.store), remote]) {
      const all = await listedTraces(source, { service: 'export-list' });
      assert.deepEqual(names(all), Array.from({ length: 1205 }, (_, i) => `turn ${i + 1}`));
      const conversation = await listedTraces(source, { service: 'export-list', q: 'conv-export-10' });
      assert.deepEqual(names(conversation), Array.from({ length: 120 }, (_, i) => `turn ${(i + 1) * 10}`));
    }
  });
});
