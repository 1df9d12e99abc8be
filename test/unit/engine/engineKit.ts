// The whole engine on loopback for the engine-level tests: a store in a temporary folder, both receivers on
// free ports, and the JSON API read back as a user's tool would.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanlightEngine, type ReceiverOptions } from '../../../src/engine';
import type { TraceDetail, TraceList } from '../../../src/protocol/model';

export interface RunningEngine {
  engine: SpanlightEngine;
  dir: string;
  /** The HTTP receiver and JSON API, e.g. http://127.0.0.1:43123. */
  url: string;
  grpcPort: number;
  /** Closes the engine; the store folder is kept for a restart unless `remove`. */
  close(options?: { remove?: boolean }): Promise<void>;
}

/**
 * Opens the engine on `dir` (a new temporary folder when absent) and starts its receivers, with `receiver`'s
 * auth token or window sync when given.
 */
export async function startEngine(dir?: string, receiver: Pick<ReceiverOptions, 'authToken' | 'windowSync'> = {}): Promise<RunningEngine> {
  const storeDir = dir ?? (await mkdtemp(join(tmpdir(), 'spanlight-engine-')));
  const engine = await SpanlightEngine.open({ storeDir, version: 'test' });
  const status = await engine.startReceivers({ host: '127.0.0.1', httpPort: 0, grpcPort: 0, bodyLimitBytes: 16 << 20, ...receiver });
  assert.equal(status.http.state, 'listening');
  assert.equal(status.grpc.state, 'listening');
  if (status.http.state !== 'listening' || status.grpc.state !== 'listening') throw new Error('not listening');
  return {
    engine,
    dir: storeDir,
    url: `http://127.0.0.1:${status.http.port}`,
    grpcPort: status.grpc.port,
    close: async ({ remove = true } = {}) => {
      await engine.close();
      if (remove) await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/** POSTs an OTLP/HTTP export and expects it accepted. */
export async function postExport(ctx: RunningEngine, signal: 'traces' | 'logs', body: Buffer | string, contentType: string): Promise<void> {
  const res = await fetch(`${ctx.url}/v1/${signal}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  assert.equal(res.status, 200, await res.text());
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return (await res.json()) as T;
}

/** Every trace the JSON API lists (newest first), in detail, once the store has written what it received. */
export async function allTraces(ctx: RunningEngine): Promise<TraceDetail[]> {
  await ctx.engine.store.flush();
  const list = await getJson<TraceList>(`${ctx.url}/api/traces?limit=100`);
  return Promise.all(list.traces.map((t) => getJson<TraceDetail>(`${ctx.url}/api/traces/${t.traceId}`)));
}
