// Worker thread entry (bundled as dist/indexWorker.js): indexPreviews for the main thread (of an
// OTLP/JSON export, of its protobuf, transcoded here), so decoding and normalizing big exports uses
// the second core while the main thread serves requests, cuts out the records and writes the store;
// and a big logs export's records, of which only those ingest keeps go back (keptLogs.ts).
// Protocol: see spanIndexer.ts.
import { parentPort } from 'node:worker_threads';
import { transcodeTracesJson } from '../otlp/transcodeJson';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import { packFields } from './fieldColumns';
import { indexPreviews, withTranscodeRejections } from './indexTraces';
import { readKeptLogs } from './keptLogs';
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
    if (message.kind === 'logs') {
      response = { id: message.id, ok: true, kind: 'logs', ...readKeptLogs(message.body, message.format) };
      parentPort?.postMessage(response);
      return;
    }
    // A JSON export is indexed as its protobuf, which goes back with the answer: the records are cut from it.
    const transcoded = message.format === 'json' ? transcodeTracesJson(message.body) : undefined;
    const previews = indexPreviews(transcoded?.protobuf ?? message.body, priceOverrides);
    const indexed = transcoded ? withTranscodeRejections(previews, transcoded) : previews;
    transfer.push(indexed.layout.buffer as ArrayBuffer);
    response = {
      id: message.id,
      ok: true,
      kind: 'index',
      fields: packFields(indexed.fields, transfer),
      layout: indexed.layout,
      responseIds: indexed.responseIds,
      transcoded: transcoded && handBack(transcoded.protobuf, message.out, transfer),
      rejected: indexed.rejected,
      errors: indexed.errors,
    };
  } catch (err) {
    response = { id: message.id, ok: false, decodeError: err instanceof OtlpDecodeError, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});

/**
 * A JSON export's protobuf for the main thread: written into the shared memory it lent when it fits
 * (its length is the answer), else transferred (fresh memory for the main thread to collect).
 */
function handBack(protobuf: Uint8Array, out: Uint8Array | undefined, transfer: ArrayBuffer[]): number | Uint8Array {
  if (out && protobuf.byteLength <= out.byteLength) {
    out.set(protobuf);
    return protobuf.byteLength;
  }
  // A small Buffer may be a view into Node's shared allocation pool: transferring that would take the
  // pool from under other Buffers, so such a one is copied into memory of its own first.
  const own = protobuf.byteOffset === 0 && protobuf.byteLength === protobuf.buffer.byteLength ? protobuf : new Uint8Array(protobuf);
  transfer.push(own.buffer as ArrayBuffer);
  return own;
}
