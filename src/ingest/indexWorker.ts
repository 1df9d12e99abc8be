// Worker thread entry (bundled as dist/indexWorker.js): indexTracesProtobuf for the main thread, so
// decoding, normalizing and encoding big exports uses the second core while the main thread serves
// requests and writes the store. Protocol: see spanIndexer.ts.
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import { packFields } from './fieldColumns';
import { indexTracesProtobuf } from './indexTraces';
import { packViews, type IndexRequest, type IndexResponse } from './spanIndexer';

let priceOverrides: PriceOverrides = {};

parentPort?.on('message', (message: IndexRequest) => {
  if (message.kind === 'overrides') {
    priceOverrides = message.overrides;
    return;
  }
  let response: IndexResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    const indexed = indexTracesProtobuf(message.body, priceOverrides, { onWorker: true });
    response = {
      id: message.id,
      ok: true,
      fields: packFields(indexed.spans.map((s) => s.fields), transfer),
      lines: packViews(indexed.spans.map((s) => s.line), 1, transfer),
      rejected: indexed.rejected,
      errors: indexed.errors,
    };
  } catch (err) {
    response = { id: message.id, ok: false, decodeError: err instanceof OtlpDecodeError, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});
