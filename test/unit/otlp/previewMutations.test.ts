// The hot path's promise, checked on thousands of damaged real exports: every span it lets into the
// store reads back through the store's reader, as the span the index describes. Damaged bytes either
// fail as OtlpDecodeError (a 400 for the sender) or are read alike by both; never accepted with 200
// and then unreadable, which would make the whole trace fail to open. The mutations are seeded, so
// a failure is reproducible: the message names the fixture and the mutation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeTracesProtobuf } from '../../../src/otlp/decodeProtobuf';
import { SpanRecordReader, splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { OtlpDecodeError } from '../../../src/otlp/types';

const FIXTURES = join(__dirname, '../../fixtures/otlp');
/** Per fixture. Before the walk checked skipped fields' wire types and cut varints, ~1 in 1,000 failed. */
const MUTATIONS = 1500;

/** mulberry32, seeded per fixture. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** One to three damages of the kinds a broken proxy or a buggy encoder makes: bytes changed, cut, repeated or lost. */
function damaged(bytes: Buffer, random: (n: number) => number): Buffer {
  let b = Buffer.from(bytes);
  for (let round = 1 + random(3); round > 0; round--) {
    const at = random(b.length);
    switch (random(4)) {
      case 0:
        b[at] = random(256);
        break;
      case 1:
        b[at] ^= 1 << random(8);
        break;
      case 2: {
        const from = random(b.length);
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + random(64)), b.subarray(at)]);
        break;
      }
      default:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + random(32))]);
    }
  }
  return b;
}

const traceFixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.bin') && f.includes('-traces-'));

test('damaged exports are rejected as malformed, or every span they store reads back as indexed', () => {
  assert.ok(traceFixtures.length >= 5, 'the captured trace fixtures');
  let accepted = 0;
  let rejected = 0;
  traceFixtures.forEach((fixture, f) => {
    const random = rng(f + 1);
    const original = readFileSync(join(FIXTURES, fixture));
    for (let i = 0; i < MUTATIONS; i++) {
      const bytes = damaged(original, random);
      const where = `${fixture}, mutation ${i}`;
      let split;
      try {
        split = splitTracesProtobuf(bytes);
      } catch (err) {
        assert.ok(err instanceof OtlpDecodeError, `${where}: ${String(err)}`);
        rejected++;
        continue;
      }
      accepted++;
      const reader = new SpanRecordReader();
      for (const record of split.records) {
        const read = reader.read(record.otlp);
        assert.ok(read, `${where}: a stored span reads back as nothing`);
        const { traceId, spanId, parentSpanId, name } = record.preview;
        assert.deepEqual([read.traceId, read.spanId, read.parentSpanId, read.name], [traceId, spanId, parentSpanId, name], where);
      }
      // What both decoders accept, they read as the same spans.
      let full;
      try {
        full = decodeTracesProtobuf(bytes);
      } catch {
        continue;
      }
      assert.deepEqual(split.records.map((r) => r.preview.spanId), full.spans.map((s) => s.spanId), where);
    }
  });
  // Both outcomes are exercised (a mutation of a long string's content changes nothing structural).
  assert.ok(accepted > 1000 && rejected > 1000, `${accepted} accepted, ${rejected} rejected`);
});
