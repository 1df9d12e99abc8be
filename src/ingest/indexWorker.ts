// Worker thread entry (bundled as dist/indexWorker.js): indexPreviews for the main thread, so decoding
// and normalizing big exports uses the second core while the main thread serves requests, cuts out
// the records and writes the store. Protocol: see spanIndexer.ts.
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import { packFields } from './fieldColumns';
import { indexPreviews } from './indexTraces';
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
    const indexed = indexPreviews(message.body, priceOverrides);
    transfer.push(indexed.layout.buffer as ArrayBuffer);
    response = {
      id: message.id,
      ok: true,
      fields: packFields(indexed.fields, transfer),
      layout: indexed.layout,
      rejected: indexed.rejected,
      errors: indexed.errors,
    };
  } catch (err) {
    response = { id: message.id, ok: false, decodeError: err instanceof OtlpDecodeError, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});
