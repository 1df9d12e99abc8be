// The on-disk line formats: whatever a sender put in names, ids and numbers must come back as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeIndexLine, decodeRecord, decodeRecordLine, encodeIndexLine, encodeOtlpRecord, encodeRecord, type IndexEntry } from '../../../src/store/recordFormat';

const entry = (meta: Partial<IndexEntry['meta']>): IndexEntry => ({
  segment: 3,
  offset: 120,
  length: 4567,
  meta: {
    seq: 42,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'chat',
    start: '1700000000123456789',
    end: '1700000001623456789',
    status: 'OK',
    text: '',
    ...meta,
  },
});

test('index lines round-trip, hostile text included', () => {
  const cases = [
    entry({}),
    entry({ parentSpanId: 'eee19b7ec3c1b173', service: 'checkout', text: 'hello "world"\n\u2028 </script> ✅' }),
    // OTLP/JSON senders may use any string as an id.
    entry({ traceId: 'trace "1"\\', spanId: 'span\n1', name: '"]}\u0000', status: 'ERROR' }),
    entry({ llm: { modelCall: true, requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', inputTokens: 12, outputTokens: 0, costUsd: 0.00012 } }),
    entry({ llm: { modelCall: false, inputTokens: Number.NaN, costUsd: Number.POSITIVE_INFINITY } }),
  ];
  for (const e of cases) {
    const line = encodeIndexLine(e);
    assert.doesNotThrow(() => JSON.parse(line), line);
    const expected = structuredClone(e);
    if (expected.meta.llm) {
      for (const k of ['inputTokens', 'outputTokens', 'costUsd'] as const) {
        if (!Number.isFinite(expected.meta.llm[k])) delete expected.meta.llm[k];
      }
    }
    assert.deepEqual(JSON.parse(JSON.stringify(decodeIndexLine(line, 3))), JSON.parse(JSON.stringify(expected)));
  }
});

test('OTLP record lines carry the bytes and log records, and no newline', () => {
  const otlp = Buffer.from([0x0a, 0x0a, 0xff, 0x00, 0x0a]);
  const logs = [{ timeUnixNano: '1', observedTimeUnixNano: '1', severityNumber: 9, body: 'line\nbreak ✅', attributes: {}, resource: {}, scope: { name: 's' } }];
  const line = encodeOtlpRecord(7, otlp, logs);
  assert.equal(line.indexOf(0x0a), -1);
  const record = decodeRecord(line.toString('utf8'));
  assert.ok(record && 'otlp' in record);
  assert.equal(record.seq, 7);
  assert.deepEqual([...record.otlp], [...otlp]);
  assert.deepEqual(record.logs, logs);
  // The positional reader of stored lines agrees with JSON.parse, with and without log records.
  assert.deepEqual(decodeRecordLine(line), record);
  const bare = encodeOtlpRecord(123456789, otlp, []);
  assert.deepEqual(decodeRecordLine(bare), decodeRecord(bare.toString('utf8')));
});

test('the positional reader hands contract records to JSON.parse and rejects damaged OTLP lines', () => {
  const span = { traceId: 't', spanId: 's', name: ',"otlp":"', attributes: {} };
  const contract = Buffer.from(encodeRecord(3, span as never));
  assert.deepEqual(decodeRecordLine(contract), { seq: 3, span });
  const good = encodeOtlpRecord(9, Buffer.from([1, 2, 3]), []).toString('latin1');
  for (const damaged of [good.replace('9', 'x'), good.slice(0, -2), good.replace('"}', '",'), `${good.slice(0, -1)},"logs":{}}`]) {
    assert.equal(decodeRecordLine(Buffer.from(damaged, 'latin1')), undefined, damaged);
  }
});
