// Worker thread entry (bundled as dist/indexWorker.js): indexPreviews for the main thread (of an
// OTLP/JSON export, of its protobuf, transcoded here), so decoding and normalizing big exports uses
// the second core while the main thread serves requests, cuts out the records and writes the store. Protocol: see spanIndexer.ts.
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import { packFields } from './fieldColumns';
import { transcodeTracesJson } from '../otlp/transcodeJson';
import { indexPreviews, withTranscodeRejections } from './indexTraces';
import type { IndexRequest, IndexResponse } from './spanIndexer';

let priceOverrides: PriceOverrides = {};

parentPort?.on('message', (message: IndexRequest) => {
  if (message.kind === 'overrides') {
    priceOverrides = message.overrides;
    return;
  }
  let response: IndexResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    // A JSON export is indexed as its protobuf, which goes back with the answer: the records are cut from it.
    const transcoded = message.format === 'json' ? ownBuffer(transcodeTracesJson(message.body)) : undefined;
    const previews = indexPreviews(transcoded?.protobuf ?? message.body, priceOverrides);
    const indexed = transcoded ? withTranscodeRejections(previews, transcoded) : previews;
    transfer.push(indexed.layout.buffer as ArrayBuffer);
    if (transcoded) transfer.push(transcoded.protobuf.buffer as ArrayBuffer);
    response = {
      id: message.id,
      ok: true,
      fields: packFields(indexed.fields, transfer),
      layout: indexed.layout,
      transcoded: transcoded?.protobuf,
      rejected: indexed.rejected,
      errors: indexed.errors,
    };
  } catch (err) {
    response = { id: message.id, ok: false, decodeError: err instanceof OtlpDecodeError, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});

/**
 * The transcoded bytes in a buffer of their own, so it can be transferred: a small Buffer may be a
 * view into Node's shared allocation pool, whose transfer would take the pool from under other Buffers.
 */
function ownBuffer<T extends { protobuf: Uint8Array }>(transcoded: T): T {
  const bytes = transcoded.protobuf;
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return transcoded;
  return { ...transcoded, protobuf: new Uint8Array(bytes) };
}
