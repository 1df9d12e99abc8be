// The worker's answer carries IndexFields as columns: every field survives the round trip, absent
// ones stay absent, and the numbers travel in buffers that can be transferred.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRequest } from '../../../bench/ingestPayloads';
import { packFields, unpackFields } from '../../../src/ingest/fieldColumns';
import { indexTracesProtobuf } from '../../../src/ingest/indexTraces';
import { NO_TEXT, type IndexFields } from '../../../src/store/spanMeta';

const base: IndexFields = {
  traceId: 't1', spanId: 's1', parentSpanId: undefined, name: 'root', start: '1', end: '2', status: 'UNSET',
  service: undefined, llm: undefined, text: NO_TEXT, shape: undefined,
};

test('fields survive packing: every status, llm and shape combination, absent values included', () => {
  const fields: IndexFields[] = [
    base,
    { ...base, spanId: 's2', parentSpanId: 's1', status: 'ERROR', service: 'svc', text: Buffer.from('héllo 🙂'), shape: { operation: undefined, db: true, source: false, exception: true } },
    {
      ...base, spanId: 's3', status: 'OK',
      llm: { modelCall: true, requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', inputTokens: 0, outputTokens: 12, costUsd: 1.5e-7 },
      shape: { operation: 'chat', db: false, source: true, exception: false },
    },
    // A parent outside the batch travels as its id; one inside as the index of its span.
    { ...base, spanId: 's5', parentSpanId: 'not-in-this-batch' },
    { ...base, spanId: 's4', llm: { modelCall: false, requestModel: undefined, responseModel: undefined, inputTokens: undefined, outputTokens: undefined, costUsd: undefined } },
  ];
  const transfer: ArrayBuffer[] = [];
  const columns = packFields(fields, transfer);
  assert.equal(transfer.length, 11);
  const unpacked = unpackFields(structuredClone(columns, { transfer }));
  assert.deepEqual(unpacked, fields);
  // Texts arrive as views into the one transferred buffer, not as copies; an empty one is the shared NO_TEXT.
  assert.equal(unpacked[0].text, NO_TEXT);
  assert.equal(unpacked[1].text.buffer.byteLength, Buffer.byteLength('héllo 🙂'));
});

test('the fields of a real export survive packing', () => {
  const fields = indexTracesProtobuf(buildRequest(3), {}).spans.map((s) => s.fields);
  assert.ok(fields.some((f) => f.llm?.costUsd !== undefined) && fields.some((f) => f.llm === undefined));
  const columns = packFields(fields, []);
  assert.deepEqual(unpackFields(columns), fields);
  // Values that repeat across the batch travel once each.
  for (const column of [columns.traceId, columns.name, columns.service, columns.requestModel, columns.responseModel, columns.operation]) {
    assert.equal(new Set(column.values).size, column.values.length);
    assert.equal(column.at.length, fields.length);
  }
  assert.equal(columns.service.values.length, new Set(fields.map((f) => f.service)).size);
  const inBatch = fields.filter((f) => f.parentSpanId !== undefined && fields.some((p) => p.spanId === f.parentSpanId)).length;
  assert.ok(inBatch > fields.length / 2);
  assert.equal(columns.parentAt.filter((at) => at >= 0).length, inBatch);
  assert.equal(columns.parentSpanId.filter((id) => id !== undefined).length, fields.filter((f) => f.parentSpanId !== undefined).length - inBatch);
  assert.ok(columns.traceId.values.length < fields.length / 4, `${columns.traceId.values.length} trace ids for ${fields.length} spans`);
});
