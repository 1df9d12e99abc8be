// Worker thread entry (bundled as dist/indexWorker.js): indexTracesProtobuf for the main thread, so
// decoding and normalizing big exports uses the second core while the main thread serves requests
// and writes the store. Protocol: see spanIndexer.ts.
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import { indexTracesProtobuf } from './indexTraces';
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
    const indexed = indexTracesProtobuf(message.body, priceOverrides);
    // All span bytes in one transferable buffer instead of one structured clone per span.
    const lengths = indexed.spans.map((s) => s.otlp.byteLength);
    const packed = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
    let at = 0;
    for (const span of indexed.spans) {
      packed.set(span.otlp, at);
      at += span.otlp.byteLength;
    }
    transfer.push(packed.buffer);
    response = {
      id: message.id,
      ok: true,
      packed,
      lengths,
      fields: indexed.spans.map((s) => s.fields),
      rejected: indexed.rejected,
      errors: indexed.errors,
    };
  } catch (err) {
    response = { id: message.id, ok: false, decodeError: err instanceof OtlpDecodeError, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});
