// The in-process half of bench/ingest.ts: the receiver's pipeline one stage at a time on the same
// payload bytes, so the report shows where time goes between the bare protobuf decode and the store.
// (The receiver's hot path is split → index the preview and encode → store the bytes; the full decode and
// normalization happen when a span is read, and are shown for reference.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexTracesProtobuf, PREVIEW_KEPT_WHOLE } from '../src/ingest/indexTraces';
import { IngestPipeline } from '../src/ingest/ingestPipeline';
import { normalizeSpan, SpanNormalizer } from '../src/ingest/normalizeSpan';
import { decodeTracesProtobuf, decodeTracesProtobufBare, splitTracesProtobuf } from '../src/otlp';
import { TraceStore } from '../src/store';
import { SPANS_PER_REQUEST } from './ingestPayloads';

export interface StageResult {
  name: string;
  /** One figure per round. */
  spansPerS: number[];
}

/**
 * `payloads` go through each decode stage every round. The store stage needs spans it has not seen
 * (re-sending ids is another code path), so it takes `storePayloads` in slices, one slice per round,
 * into one store that grows across rounds, with one disk write per request as the receiver does.
 */
export async function measureStages(payloads: Buffer[], storePayloads: Buffer[], rounds: number): Promise<StageResult[]> {
  const spans = payloads.length * SPANS_PER_REQUEST;
  const perRound = Math.floor(storePayloads.length / (rounds + 1));
  const dir = mkdtempSync(join(tmpdir(), 'spanlight-ingest-stage-'));
  const normalizer = new SpanNormalizer();
  const store = await TraceStore.open({ dir, maxSpans: 10_000_000, maxBytes: 64 * 1024 ** 3, deriveSpan: normalizer.normalize });
  const pipeline = new IngestPipeline(store, normalizer);
  let round = 0;
  const stages: { name: string; run: () => Promise<number> | number }[] = [
    { name: 'bare protobuf decode', run: () => bareDecodeRound(payloads) },
    // For reference: what reading a span back costs (the store decodes and normalizes on read).
    { name: 'full decode (+ conversion)', run: () => timed(() => payloads.forEach((p) => decodeTracesProtobuf(p)), spans) },
    {
      name: 'full decode + normalize',
      run: () => timed(() => payloads.forEach((p) => decodeTracesProtobuf(p).spans.forEach((s) => normalizeSpan(s, []))), spans),
    },
    // The receiver's hot path, stage by stage.
    { name: 'split (hot path decode)', run: () => timed(() => payloads.forEach((p) => splitTracesProtobuf(p, { keptWhole: PREVIEW_KEPT_WHOLE })), spans) },
    // All a worker does per export: split, index the previews, encode records and index lines.
    { name: 'split + index + encode (worker)', run: () => timed(() => payloads.forEach((p) => indexTracesProtobuf(p, {})), spans) },
    {
      name: 'split + index + store (one thread)',
      run: async () => {
        const slice = storePayloads.slice(round * perRound, (round + 1) * perRound);
        const t0 = performance.now();
        for (const p of slice) {
          await pipeline.acceptTracesProtobuf(p);
          await store.flush();
        }
        return (slice.length * SPANS_PER_REQUEST) / ((performance.now() - t0) / 1000);
      },
    },
  ];
  const results: StageResult[] = stages.map((s) => ({ name: s.name, spansPerS: [] }));
  try {
    // Rounds interleave the stages so background load hits all of them alike; round 0 only warms up.
    for (round = 0; round <= rounds; round++) {
      for (let i = 0; i < stages.length; i++) {
        const spansPerS = await stages[i].run();
        if (round > 0) results[i].spansPerS.push(spansPerS);
      }
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** Spans/s of the bare protobuf decode of `payloads` (the denominator of the ingest ratio). */
export function bareDecodeRound(payloads: Buffer[]): number {
  return timed(() => payloads.forEach((p) => decodeTracesProtobufBare(p)), payloads.length * SPANS_PER_REQUEST);
}

function timed(run: () => void, spans: number): number {
  const t0 = performance.now();
  run();
  return spans / ((performance.now() - t0) / 1000);
}
