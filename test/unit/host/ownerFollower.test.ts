// A follower window's list through the owner's restarts, stops, token changes and a new owner: after
// each, the list a view holds (read whole from each new source, then patched by its changes, as the
// sidebar does) is exactly the owner's. Real engines on loopback; owner.json as the owner writes it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Disposable } from '../../../src/base/emitter';
import { SpanlightEngine } from '../../../src/engine';
import { OwnerFollower } from '../../../src/host/ownerFollower';
import { writeOwnerInfo } from '../../../src/host/ownerInfo';
import type { TraceSource } from '../../../src/host/traceSource';
import { dialUrl } from '../../../src/receiver/bindAddress';

const quiet = { info: () => undefined, warn: () => undefined };

function otlpJson(traceId: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'follower-test' } }] },
        scopeSpans: [
          { scope: { name: 't' }, spans: [{ traceId, spanId: traceId.slice(0, 16), name: `trace ${traceId.slice(0, 4)}`, kind: 1, startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000100000000' }] },
        ],
      },
    ],
  });
}

let next = 0;
/** A new trace id each call. */
function traceId(): string {
  next++;
  return next.toString(16).padStart(32, 'a');
}

/** What the sidebar does with a follower: reads the whole list from each new source, then applies its changes. */
class ListView {
  readonly ids = new Set<string>();
  private subscription: Disposable | undefined;

  constructor(follower: OwnerFollower) {
    follower.onDidChangeSource((source) => void this.load(source));
  }

  private async load(source: TraceSource): Promise<void> {
    this.subscription?.dispose();
    this.subscription = source.onDidChangeTraces((change) => {
      for (const t of [...change.added, ...change.updated]) this.ids.add(t.traceId);
      for (const id of change.removed) this.ids.delete(id);
    });
    const { traces } = await source.listTraces({ limit: 1000 });
    this.ids.clear();
    for (const t of traces) this.ids.add(t.traceId);
  }
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a follower window through the owner window\'s restarts', () => {
  let dir: string;
  let owner: SpanlightEngine;
  let port: number;
  let ownerToken: string | undefined;
  let followerToken: string | undefined;
  let follower: OwnerFollower;
  let view: ListView;

  /** (Re)starts the owner's receivers on the same port and writes owner.json, as EngineHost does. */
  async function startOwner(token?: string): Promise<void> {
    ownerToken = token;
    const status = await owner.startReceivers({ host: '127.0.0.1', httpPort: port, bodyLimitBytes: 1 << 20, windowSync: true, authToken: token });
    assert.equal(status.http.state, 'listening');
    if (status.http.state !== 'listening') return;
    port = status.http.port;
    writeOwnerInfo(dir, { pid: process.pid, httpUrl: dialUrl(status.http.host, port), receiver: status });
  }

  async function post(id: string): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (ownerToken) headers.authorization = `Bearer ${ownerToken}`;
    const send = (): Promise<Response> => fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers, body: otlpJson(id) });
    // Again on a network error: fetch may first try a kept-alive connection of the receiver before its restart.
    const res = await send().catch(send);
    assert.equal(res.status, 200);
  }

  async function ownerIds(): Promise<string[]> {
    return (await owner.store.listTraces({ limit: 1000 })).traces.map((t) => t.traceId).sort();
  }

  /** The view holds the owner's list, `id` included. */
  async function viewMatchesOwner(id: string): Promise<void> {
    await eventually(() => view.ids.has(id), `trace ${id} in the follower's list`);
    assert.deepEqual([...view.ids].sort(), await ownerIds());
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spanlight-follower-'));
    owner = await SpanlightEngine.open({ storeDir: dir, version: 'test' });
    port = 0;
    followerToken = undefined;
    await startOwner();
    follower = new OwnerFollower(dir, async () => followerToken, quiet);
    view = new ListView(follower);
    await follower.check();
    const first = traceId();
    await post(first);
    await viewMatchesOwner(first);
  });

  afterEach(async () => {
    follower.dispose();
    await owner.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('traces stored while its change stream was down (the receiver restarted for a setting) are listed after it reconnects', async () => {
    await owner.stopReceivers();
    await startOwner();
    // Before the follower's stream is back (it reconnects a second later): no change event carries these.
    const missed = [traceId(), traceId(), traceId()];
    for (const id of missed) await post(id);
    await viewMatchesOwner(missed[2]);
    for (const id of missed) assert.ok(view.ids.has(id), id);
    assert.equal(follower.notLiveReason, undefined);
  });

  test('a new owner on the same address (a takeover) is followed from its whole list, not from the old stream', async () => {
    await owner.close();
    owner = await SpanlightEngine.open({ storeDir: dir, version: 'test' });
    await startOwner();
    const id = traceId();
    await post(id);
    await viewMatchesOwner(id);
  });

  test('an owner that moved to another port is followed there', async () => {
    await owner.stopReceivers();
    port = 0;
    await startOwner();
    await follower.check(); // EngineHost's poll reads owner.json every 2 s
    const id = traceId();
    await post(id);
    await viewMatchesOwner(id);
  });

  test('while the owner has stopped its receiver the list stays, said to be not live, and follows again when it listens', async () => {
    const countBefore = follower.traceCount;
    const source = follower.source;
    await owner.stopReceivers();
    writeOwnerInfo(dir, { pid: process.pid, receiver: owner.status });
    await follower.check();
    assert.equal(follower.notLiveReason, 'The Spanlight window that owns the receiver has stopped it.');
    assert.equal(follower.source, source, 'the views keep reading the last source');
    assert.equal(view.ids.size, 1, 'the list is not emptied');
    assert.equal(follower.traceCount, countBefore);
    assert.equal(follower.receiver.http.state, 'stopped');

    await startOwner();
    await follower.check();
    const id = traceId();
    await post(id);
    await viewMatchesOwner(id);
    assert.equal(follower.notLiveReason, undefined);
  });

  test('a receiver turned off by its setting, or that could not bind, is named as such', async () => {
    await owner.stopReceivers();
    writeOwnerInfo(dir, { pid: process.pid, receiver: { http: { state: 'disabled' }, grpc: { state: 'disabled' } } });
    await follower.check();
    assert.match(follower.notLiveReason ?? '', /has it turned off \(spanlight\.receiver\.enabled\)/);
    writeOwnerInfo(dir, { pid: process.pid, receiver: { http: { state: 'error', message: 'port 4318 is already in use', portInUse: true }, grpc: { state: 'stopped' } } });
    await follower.check();
    assert.equal(follower.notLiveReason, 'The Spanlight window that owns the receiver could not start it: port 4318 is already in use');
  });

  test('the count is the owner\'s, and follows new traces', async () => {
    await eventually(() => follower.traceCount === 1, 'a count of 1');
    await post(traceId());
    await post(traceId());
    await eventually(() => follower.traceCount === 3, `a count of 3 (is ${follower.traceCount})`);
  });

  test('a token set in the owner is read again: the follower keeps following', async () => {
    await owner.stopReceivers();
    await startOwner('s3cret');
    const id = traceId();
    await post(id);
    // This window learns the token a moment after the owner restarted (SecretStorage is shared, not instant).
    await eventually(() => /refused the auth token/.test(follower.notLiveReason ?? ''), 'the refusal to be told');
    followerToken = 's3cret';
    await viewMatchesOwner(id);
    assert.equal(follower.notLiveReason, undefined);
  });

  test('reads through a source whose token the owner changed are answered once the token is read again', async () => {
    const source = follower.source;
    assert.ok(source);
    await owner.stopReceivers();
    await startOwner('n3w');
    followerToken = 'n3w';
    // The same source, made with no token: its read meets a 401, reads the token again and retries.
    const { total } = await source.listTraces({ limit: 1 });
    assert.equal(total, 1);
  });
});
