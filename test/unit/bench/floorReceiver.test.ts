// The bench's transport floor must stay a receiver the sender can drive like Spanlight's: it answers
// each POST with 200 and each gRPC export with OK after taking its whole body, keeps the bytes, and
// counts spans for /api/health.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startFloorReceiver } from '../../../bench/floorReceiver';
import { buildRequest } from '../../../bench/ingestPayloads';
import { TRACE_EXPORT_PATH } from '../../../src/otlp/otlpSchema';

test('the floor receiver answers every export, keeps its bytes and reports the spans received', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-floor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const floor = await startFloorReceiver(dir, 0, false);
  const url = `http://127.0.0.1:${floor.port}`;
  const body = Buffer.alloc(300_000, 7);
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    assert.equal(res.status, 200);
  }
  const client = new grpc.Client(`127.0.0.1:${floor.grpcPort}`, grpc.credentials.createInsecure());
  t.after(() => client.close());
  await new Promise<void>((resolve, reject) =>
    client.makeUnaryRequest(TRACE_EXPORT_PATH, (b: Buffer) => b, (b: Buffer) => b, body, (err) => (err ? reject(err) : resolve())),
  );
  const health = (await (await fetch(`${url}/api/health`)).json()) as { spans: number };
  assert.equal(health.spans, 3 * 512);
  await floor.stop();
  assert.equal(readFileSync(join(dir, 'floor.bin')).length, 3 * body.length);
});

test('the decode floor decodes each export on its worker before answering', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-floor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const floor = await startFloorReceiver(dir, 0, true);
  const url = `http://127.0.0.1:${floor.port}`;
  const body = buildRequest(0, 1);
  const answers = await Promise.all(
    [0, 1].map(() => fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body })),
  );
  assert.deepEqual(answers.map((r) => r.status), [200, 200]);
  const health = (await (await fetch(`${url}/api/health`)).json()) as { spans: number };
  assert.equal(health.spans, 2 * 512);
  await floor.stop();
  assert.equal(readFileSync(join(dir, 'floor.bin')).length, 2 * body.length);
});
