// Lines that are views into reused memory (the ingest pipeline's record arenas): the store tells their
// owner when it queues one and when its writer is done with it — written, superseded or deleted before
// the write, or written after a failed attempt — and never before, so the memory is not reused early.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LineOwner } from '../../../src/store/storeWriter';
import { indexTracesProtobuf } from '../../../src/ingest/indexTraces';
import { indexFieldsOf } from '../../../src/store/spanMeta';
import { encodeTraceRequest, protoSpan, traceRequestObject } from '../otlp/otlpPayloads';
import { openStore, span, tempStoreDir } from './storeFixtures';

class CountingOwner implements LineOwner {
  held = 0;
  retired = 0;
  hold(): void {
    this.held++;
  }
  retire(): void {
    this.retired++;
  }
}

/** A span's store write as the ingest worker hands it over (record line, seq slot empty); ids are one hex digit, repeated. */
function write(trace: string, spanDigit: string, name = 'step') {
  const id = (digit: string, bytes: number) => Buffer.from(digit.repeat(bytes * 2), 'hex');
  const body = encodeTraceRequest(traceRequestObject([protoSpan({ traceId: id(trace, 16), spanId: id(spanDigit, 8), name })]));
  const [indexed] = indexTracesProtobuf(body, {}).spans;
  return indexed;
}
const traceId = (digit: string) => digit.repeat(32);
const spanId = (digit: string) => digit.repeat(16);

test('every queued line is retired once written, superseded or deleted, and not before', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  const owner = new CountingOwner();
  store.upsertOtlpSpans([write('a', '1'), write('a', '2'), write('b', '1'), write('c', '1')], owner);
  assert.deepEqual([owner.held, owner.retired], [4, 0]);
  // Before the writer runs: a new version of a/1 (its old line is superseded) and trace b deleted.
  store.upsertOtlpSpans([write('a', '1', 'renamed')], owner);
  store.deleteTrace(traceId('b'));
  assert.equal(owner.retired, 0, 'nothing is retired before the writer runs');
  await store.flush();
  assert.deepEqual([owner.held, owner.retired], [5, 5]);
  // Spans the store encodes itself (stored again with log records) have no owner.
  store.upsertOtlpSpans([{ fields: indexFieldsOf(span({ traceId: traceId('d'), spanId: spanId('1') })), otlp: Buffer.from([0x0a, 0x00]) }], owner);
  await store.flush();
  assert.deepEqual([owner.held, owner.retired], [5, 5]);
});

test('a line whose write failed is retired only when a later attempt writes it', { skip: !existsSync('/dev/full') }, async (t) => {
  const dir = tempStoreDir(t);
  mkdirSync(join(dir, 'segments'));
  symlinkSync('/dev/full', join(dir, 'segments', '000001.ndjson'));
  const { store } = await openStore(t, { dir });
  const owner = new CountingOwner();
  store.upsertOtlpSpans([write('a', '1')], owner);
  await store.flush();
  assert.deepEqual([owner.held, owner.retired], [1, 0], 'still queued after the failed write');
  await store.flush();
  assert.deepEqual([owner.held, owner.retired], [1, 1]);
});

test('a read that has to wait for the disk copies the unwritten lines it took: their memory may be reused meanwhile', async (t) => {
  const { store } = await openStore(t, { dir: tempStoreDir(t) });
  store.upsertOtlpSpans([write('a', '1')]);
  await store.flush(); // on disk, not cached: the read below waits for it
  const unwritten = write('a', '2', 'not yet written');
  store.upsertOtlpSpans([unwritten], new CountingOwner());
  const reading = store.getTrace(traceId('a'));
  unwritten.line.fill(0); // the next export cut into the same memory
  const trace = await reading;
  assert.equal(trace?.spans.length, 2);
  const y = trace?.spans.find((s) => s.spanId === spanId('2'));
  assert.equal(y?.name, 'not yet written');
  // Read from its record (the placeholder for a damaged one has no kind and says so in its status).
  assert.equal(y?.kind, 'CLIENT');
  assert.equal(y?.status.message, 'rate limited');
});
