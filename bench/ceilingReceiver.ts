// The ingest pipeline's ceiling, for bench/ingest.ts: the real CLI receiver (HTTP, the store, its index
// and its writes, all as in `spanlight serve`) with indexing made free. Its SpanIndexer only walks each
// export for where the spans are and their ids and times; every other index field is copied from the
// fields the real indexer gave the first export's spans. So the ratio it reaches is the most any
// indexer, however fast, could give this pipeline on this machine: the part of the target that
// indexing alone cannot reach is the transport's, the store's and the GC's.
//   node --import tsx bench/ingest.ts --compare bench/ceilingReceiver.ts
// Run by bench/ingest.ts like the CLI: `node --import tsx bench/ceilingReceiver.ts serve --port 0 --store DIR …`.
// Only for the bench's payloads: it stores what they need, and is no receiver for anything else.
// The CLI, as `spanlight serve` runs it (it reads process.argv). Its first export arrives after this
// module has patched SpanIndexer below: the method is looked up when an export is indexed.
import '../src/cli';
import { indexedSpans, recordLinesOf, type IndexedTraces } from '../src/ingest/indexTraces';
import { RecordArenaPool, type RecordArena } from '../src/ingest/recordArenas';
import { SpanIndexer, type ExportFormat } from '../src/ingest/spanIndexer';
import { idFromRange, uint64PartsToDecimal } from '../src/otlp/scalars';
import type { IndexFields } from '../src/store/spanMeta';

interface WalkedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  start: string;
  end: string;
}

/** Each span's parts (SpanLayout) and ids and times: a walk of the export that decodes nothing else. */
function walk(body: Uint8Array): { layout: Float64Array; spans: WalkedSpan[] } {
  const ranges: number[] = [];
  const spans: WalkedSpan[] = [];
  let pos = 0;
  const varint = (): number => {
    let b = body[pos++];
    let value = b & 0x7f;
    for (let shift = 7; b >= 0x80; shift += 7) {
      b = body[pos++];
      value += (b & 0x7f) * 2 ** shift;
    }
    return value;
  };
  const fixed64 = (at: number): string => {
    const view = new DataView(body.buffer, body.byteOffset + at, 8);
    return uint64PartsToDecimal(view.getUint32(4, true), view.getUint32(0, true));
  };
  let resource = [-1, -1];
  let scope = [-1, -1];
  const message = (end: number, depth: number): void => {
    const span: Partial<WalkedSpan> = {};
    while (pos < end) {
      const tag = varint();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (wire === 0) varint();
      else if (wire === 1) {
        if (depth === 3 && (field === 7 || field === 8)) span[field === 7 ? 'start' : 'end'] = fixed64(pos);
        pos += 8;
      } else if (wire === 5) pos += 4;
      else {
        const length = varint();
        const start = pos;
        const fieldEnd = pos + length;
        if (depth === 0 && field === 1) {
          resource = [-1, -1];
          message(fieldEnd, 1);
        } else if (depth === 1 && field === 1) resource = [start, fieldEnd];
        else if (depth === 1 && field === 2) {
          scope = [-1, -1];
          message(fieldEnd, 2);
        } else if (depth === 2 && field === 1) scope = [start, fieldEnd];
        else if (depth === 2 && field === 2) {
          message(fieldEnd, 3);
          ranges.push(resource[0], resource[1], scope[0], scope[1], start, fieldEnd);
        } else if (depth === 3 && field === 1) span.traceId = idFromRange(body, start, fieldEnd, 16);
        else if (depth === 3 && field === 2) span.spanId = idFromRange(body, start, fieldEnd, 8);
        else if (depth === 3 && field === 4) span.parentSpanId = idFromRange(body, start, fieldEnd, 8);
        pos = fieldEnd;
      }
    }
    if (depth === 3) spans.push({ traceId: span.traceId ?? '', spanId: span.spanId ?? '', parentSpanId: span.parentSpanId, start: span.start ?? '0', end: span.end ?? '0' });
  };
  message(body.length, 0);
  return { layout: Float64Array.from(ranges), spans };
}

const realIndex = SpanIndexer.prototype.index;
let template: IndexFields[] | undefined;
/** The records are cut into reused memory, as SpanIndexer does for what its worker indexed. */
const arenas = new RecordArenaPool();

SpanIndexer.prototype.index = function ceilingIndex(this: SpanIndexer, body: Uint8Array, format: ExportFormat = 'protobuf'): IndexedTraces | Promise<IndexedTraces> {
  if (!template || format !== 'protobuf') {
    return Promise.resolve(realIndex.call(this, body, format)).then((indexed) => {
      template ??= indexed.spans.map((s) => s.fields);
      return indexed;
    });
  }
  const { layout, spans } = walk(body);
  const known = template;
  const fields = spans.map((s, i): IndexFields => ({ ...known[i % known.length], traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, start: s.start, end: s.end }));
  let arena: RecordArena | undefined;
  const lines = recordLinesOf(body, layout, (size) => (arena = arenas.take(size))?.bytes ?? Buffer.allocUnsafe(size));
  return { spans: indexedSpans(fields, lines, []), rejected: 0, errors: [], arena };
};
