// Worker thread entry (bundled as dist/indexWorker.js): indexTracesProtobuf for the main thread, so
// decoding and normalizing big exports uses the second core while the main thread serves requests
// and writes the store. Protocol: see spanIndexer.ts.
import { parentPort } from 'node:worker_threads';
import { OtlpDecodeError } from '../otlp/types';
import type { PriceOverrides } from '../pricing/cost';
import { indexTracesProtobuf } from './indexTraces';
import type { IndexRequest, IndexResponse, PackedBytes } from './spanIndexer';

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
    // Each kind of bytes packed into one transferable buffer instead of one structured clone per span.
    const otlp = pack(indexed.spans.map((s) => s.otlp));
    const lines = pack(indexed.spans.map((s) => s.encoded.line));
    transfer.push(otlp.packed.buffer as ArrayBuffer, lines.packed.buffer as ArrayBuffer);
    response = {
      id: message.id,
      ok: true,
      otlp,
      lines,
      fields: indexed.spans.map((s) => s.fields),
      indexTails: indexed.spans.map((s) => s.encoded.indexTail),
      rejected: indexed.rejected,
      errors: indexed.errors,
    };
  } catch (err) {
    response = { id: message.id, ok: false, decodeError: err instanceof OtlpDecodeError, message: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});

function pack(parts: Uint8Array[]): PackedBytes {
  const lengths = parts.map((p) => p.byteLength);
  const packed = new Uint8Array(lengths.reduce((n, l) => n + l, 0));
  let at = 0;
  for (const part of parts) {
    packed.set(part, at);
    at += part.byteLength;
  }
  return { packed, lengths };
}
