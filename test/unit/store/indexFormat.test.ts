// The index entry format: whatever a sender put in names, ids and text comes back as it was; JSON lines
// of older stores still read; a damaged or torn file yields what it can and says it is not clean.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeIndexFile,
  encodeIndexEntries,
  encodeIndexTails,
  INDEX_HEAD_BYTES,
  joinEntries,
  type IndexEntry,
} from '../../../src/store/indexFormat';
import { NO_TEXT } from '../../../src/store/spanMeta';

const entry = (meta: Partial<IndexEntry['meta']>, location: Partial<IndexEntry> = {}): IndexEntry => ({
  segment: 3,
  offset: 120,
  length: 4567,
  ...location,
  meta: {
    seq: 42,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: undefined,
    name: 'chat',
    start: '1700000000123456789',
    end: '1700000001623456789',
    status: 'OK',
    service: undefined,
    llm: undefined,
    text: NO_TEXT,
    shape: undefined,
    ...meta,
  },
});

/** What decoding gives back: numbers that are not finite are absent. */
function expected(e: IndexEntry): IndexEntry {
  const copy = structuredClone(e);
  copy.meta.text = e.meta.text; // structuredClone makes a Buffer a plain Uint8Array
  if (copy.meta.llm) {
    for (const k of ['inputTokens', 'outputTokens', 'costUsd'] as const) if (!Number.isFinite(copy.meta.llm[k])) copy.meta.llm[k] = undefined;
  }
  return copy;
}

const cases = [
  entry({}),
  entry({ parentSpanId: 'eee19b7ec3c1b173', service: 'checkout', text: Buffer.from('hello "world"\n\u2028 </script> ✅ 注文 🙂'), status: 'ERROR' }, { offset: 2 ** 40, length: 0 }),
  // OTLP/JSON senders may use any string as an id.
  entry({ traceId: 'trace "1"\\', spanId: 'span\n1', name: '"]}\u0000\u001e', status: 'UNSET', seq: Number.MAX_SAFE_INTEGER }),
  // Short strings are copied in JavaScript while they are ASCII: one that stops being ASCII part way,
  // one that does so at its last character, and strings at and past the short-string length.
  entry({
    name: 'résumé',
    service: 'checkout-service-in-eu-west-1-🙂',
    parentSpanId: 'a'.repeat(32),
    spanId: 'b'.repeat(33),
    llm: { modelCall: true, requestModel: 'modèle', responseModel: 'x'.repeat(31) + 'ü', inputTokens: 1, outputTokens: 2, costUsd: 0 },
  }),
  entry({
    llm: { modelCall: true, requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', inputTokens: 12, outputTokens: 0, costUsd: 0.00012 },
    shape: { operation: 'chat', db: false, source: true, exception: true },
  }),
  entry({
    llm: { modelCall: false, requestModel: undefined, responseModel: undefined, inputTokens: Number.NaN, outputTokens: undefined, costUsd: Number.POSITIVE_INFINITY },
    shape: { operation: undefined, db: true, source: false, exception: false },
  }),
];

test('index entries round-trip, hostile text included', () => {
  const file = encodeIndexEntries(cases);
  const decoded = decodeIndexFile(file, 3);
  assert.equal(decoded.clean, true);
  assert.deepEqual(decoded.entries, cases.map(expected));
});

test('tails are views into one buffer, each followed by a newline; the log joins them to heads', () => {
  const tails = encodeIndexTails(cases.map((e) => ({ traceId: e.meta.traceId, fields: e.meta })));
  for (const tail of tails) assert.equal(new Uint8Array(tail.buffer, tail.byteOffset + tail.length, 1)[0], 0x0a);
  assert.ok(tails.every((t) => t.buffer === tails[0].buffer));
  const joined = joinEntries(cases.map((e, i) => ({ seq: e.meta.seq, offset: e.offset, length: e.length, tail: tails[i] })));
  assert.deepEqual(joined, encodeIndexEntries(cases));
});

// Written by the JSON encoder of the previous version (one line with llm and shape, one without either, from before shapes).
const JSON_LINES = [
  '[42,1024,77,"5b8efff798038103d269b633813fc60c","eee19b7ec3c1b172","eee19b7ec3c1b171","chat \\"gpt-4o\\"","1700000000123456789","1700000001623456789",2,"checkout","hello \\"world\\"\\n✅",[1,"gpt-4o","gpt-4o-2024-08-06",12,3,0.00012],["chat",6]]',
  '[43,0,10,"5b8efff798038103d269b633813fc60c","eee19b7ec3c1b173",0,"tool","1","2",0,0,"",0]',
];

test('JSON index lines of older stores still read, in the same file as binary entries', () => {
  const file = Buffer.concat([Buffer.from(JSON_LINES.join('\n') + '\n', 'utf8'), encodeIndexEntries([cases[1]]), Buffer.from(JSON_LINES[1] + '\n')]);
  const { entries, clean } = decodeIndexFile(file, 5);
  assert.equal(clean, true);
  assert.deepEqual(entries[0], {
    segment: 5,
    offset: 1024,
    length: 77,
    meta: {
      seq: 42, traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b172', parentSpanId: 'eee19b7ec3c1b171', name: 'chat "gpt-4o"',
      start: '1700000000123456789', end: '1700000001623456789', status: 'ERROR', service: 'checkout', text: Buffer.from('hello "world"\n✅'),
      llm: { modelCall: true, requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', inputTokens: 12, outputTokens: 3, costUsd: 0.00012 },
      shape: { operation: 'chat', db: false, source: true, exception: true },
    },
  });
  assert.equal(entries[1].meta.shape, undefined, 'a line from before shapes has none');
  assert.equal(entries[1].meta.parentSpanId, undefined);
  assert.deepEqual(entries[2], expected({ ...cases[1], segment: 5 }));
  assert.equal(entries[3].meta.spanId, 'eee19b7ec3c1b173');
});

test('a torn or damaged file gives the entries before the damage and is not clean', () => {
  const whole = encodeIndexEntries(cases);
  const firstEnd = INDEX_HEAD_BYTES + whole.readUInt32LE(2) + 1;
  // Torn anywhere: inside the first head, inside its tail, just before its newline, inside the second.
  for (const cut of [5, INDEX_HEAD_BYTES + 3, firstEnd - 1, firstEnd + 10]) {
    const { entries, clean } = decodeIndexFile(whole.subarray(0, cut), 3);
    assert.equal(clean, false, `cut at ${cut}`);
    assert.deepEqual(entries, cut > firstEnd ? [expected(cases[0])] : []);
  }
  // A tail length that does not end at a newline, a wrong version, a string running past its entry, a bad status.
  const damages: ((b: Buffer) => void)[] = [
    (b) => b.writeUInt32LE(b.readUInt32LE(firstEnd + 2) + 1, firstEnd + 2),
    (b) => (b[firstEnd + 1] = 0x03),
    (b) => b.writeUInt32LE(10_000, firstEnd + INDEX_HEAD_BYTES + 25),
    (b) => (b[firstEnd + INDEX_HEAD_BYTES] = 3),
    // A time that is no longer a number (every duration of its trace would fail to compute).
    (b) => (b[b.indexOf('1700000000123456789', firstEnd) + 7] = 0x3f),
  ];
  for (const damage of damages) {
    const bytes = Buffer.from(whole);
    damage(bytes);
    const { entries, clean } = decodeIndexFile(bytes, 3);
    assert.equal(clean, false);
    assert.deepEqual(entries, [expected(cases[0])]);
  }
  // A garbage JSON line is skipped; reading goes on after its newline.
  const mixed = Buffer.concat([Buffer.from('[1,2,"torn\n', 'utf8'), whole]);
  const read = decodeIndexFile(mixed, 3);
  assert.equal(read.clean, false);
  assert.equal(read.entries.length, cases.length);
});
