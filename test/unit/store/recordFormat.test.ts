// The segment record formats: whatever a sender put in names, ids and numbers must come back as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeRecord,
  decodeRecordLine,
  encodeOtlpRecord,
  encodeOtlpRecords,
  encodeOtlpRecordsInPlace,
  OTLP_RECORD_ROOM,
  encodeRecord,
  fillSeq,
  recordLength,
} from '../../../src/store/recordFormat';
import { splitTracesProtobuf } from '../../../src/otlp/splitTraces';
import { buildRequest } from '../../../bench/ingestPayloads';

test('binary OTLP records carry the bytes, log records and seq; older base64 lines still read', () => {
  const otlp = Buffer.from([0x0a, 0x0a, 0xff, 0x00, 0x0a]);
  const logs = [{ timeUnixNano: '1', observedTimeUnixNano: '1', severityNumber: 9, body: 'line\nbreak ✅', attributes: {}, resource: {}, scope: { name: 's' } }];
  const record = decodeRecordLine(encodeOtlpRecord(7, otlp, logs));
  assert.ok(record && 'otlp' in record);
  assert.equal(record.seq, 7);
  assert.deepEqual([...record.otlp], [...otlp]);
  assert.deepEqual(record.logs, logs);
  assert.deepEqual(decodeRecordLine(encodeOtlpRecord(123456789, otlp, [])), { seq: 123456789, otlp, logs: [] });
  // Stores written before the binary form: `{"seq":N,"otlp":"<base64>","logs":[…]}`, padded seqs too.
  for (const old of [`{"seq":9,"otlp":"${otlp.toString('base64')}"}`, `{"seq":9        ,"otlp":"${otlp.toString('base64')}","logs":${JSON.stringify(logs)}}`]) {
    const line = Buffer.from(old, 'utf8');
    assert.deepEqual(decodeRecordLine(line), decodeRecord(old));
    assert.deepEqual(decodeRecordLine(line), { seq: 9, otlp, logs: old.includes('logs') ? logs : [] });
  }
});

test('records are framed by their header or their newline, in any mix; a torn last record is not a record', () => {
  const span = { traceId: 't', spanId: 's', name: 'x\ny', attributes: {} };
  const lines = [
    ...encodeOtlpRecords([{ otlp: Buffer.from('\n\n\n') }, { otlp: Buffer.alloc(3000, 0x0a) }]),
    Buffer.from(encodeRecord(3, span as never)),
    ...encodeOtlpRecords([{ otlp: Buffer.from([1]) }]),
  ];
  lines.forEach((line, i) => (line[0] === 0x1e ? fillSeq(line, i) : undefined));
  const segment = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
  const found: number[] = [];
  for (let at = 0, length = recordLength(segment, 0); length >= 0; at += length + 1, length = recordLength(segment, at)) found.push(length);
  assert.deepEqual(found, lines.map((l) => l.length));
  assert.deepEqual(decodeRecordLine(lines[2]), { seq: 3, span });
  assert.equal(recordLength(segment.subarray(0, lines[0].length + 1 + 100), lines[0].length + 1), -1, 'torn binary record');
  assert.equal(recordLength(Buffer.from('{"seq":1'), 0), -1, 'torn line');
});

test('the line reader hands contract records to JSON.parse and rejects damaged OTLP records', () => {
  const span = { traceId: 't', spanId: 's', name: ',"otlp":"', attributes: {} };
  const contract = Buffer.from(encodeRecord(3, span as never));
  assert.deepEqual(decodeRecordLine(contract), { seq: 3, span });
  const good = encodeOtlpRecord(9, Buffer.from([1, 2, 3]), []);
  const damaged = [good.subarray(0, -1), Buffer.concat([good, Buffer.from([0])]), Buffer.from(good).fill(2, 1, 2), Buffer.from(good).fill(0xff, 2, 10)];
  for (const line of damaged) assert.equal(decodeRecordLine(line), undefined);
  const oldForm = `{"seq":9,"otlp":"AQID"}`;
  for (const old of [oldForm.replace('9', 'x'), oldForm.slice(0, -2), oldForm.replace('"}', '",'), `${oldForm.slice(0, -1)},"logs":{}}`]) {
    assert.equal(decodeRecordLine(Buffer.from(old, 'latin1')), undefined, old);
  }
});

test('records encoded in place around split spans equal copied ones, back to back with their newlines', () => {
  const body = buildRequest(3);
  const inPlace = encodeOtlpRecordsInPlace(splitTracesProtobuf(body, { room: OTLP_RECORD_ROOM }).records.map((r) => r.otlp));
  const copied = encodeOtlpRecords(splitTracesProtobuf(body).records);
  assert.deepEqual(inPlace.map((l) => l.toString('base64')), copied.map((l) => l.toString('base64')));
  inPlace.forEach((line, i) => {
    if (i > 0) assert.equal(line.byteOffset, inPlace[i - 1].byteOffset + inPlace[i - 1].length + 1);
    assert.equal(new Uint8Array(line.buffer, line.byteOffset + line.length, 1)[0], 0x0a);
  });
  assert.throws(() => encodeOtlpRecordsInPlace(splitTracesProtobuf(body).records.map((r) => r.otlp)), /no room/);
});
