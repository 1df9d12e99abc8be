// The two on-disk line formats. Segment lines are the source of truth (a whole span plus its version
// number); index lines are a compact cache of the span's SpanMeta and location so startup never has to
// read the segments themselves. Both are parsed as untrusted input: a bad line is reported, not thrown.
import type { RawLogRecord } from '../otlp/types';
import type { LlmOperation, Span, StatusCode } from '../protocol/model';
import { intern, metaFromSpan, SEARCH_CHARS_PER_SPAN, type LlmMeta, type SpanMeta, type SpanShape } from './spanMeta';

/** Where one record's line sits in a segment (offset and byte length, newline excluded). */
export interface RecordLocation {
  segment: number;
  offset: number;
  length: number;
}

export interface IndexEntry extends RecordLocation {
  meta: SpanMeta;
}

/**
 * A record line holds one version of a span in one of two forms:
 * - `{"seq":N,"otlp":"<base64>","logs":[…]}`: the span's OTLP protobuf bytes as received (the span
 *   alone, see splitTraces.ts) and the GenAI log records that belong to it. Normalization runs when the
 *   span is read, so ingest never serializes what it received (and stores each prompt once);
 * - `{"seq":N,"span":{…}}`: a span already in contract form (OTLP/JSON input, the sample trace).
 * The seq travels with the record so a segment alone can rebuild the index.
 */
export type StoredRecord =
  | { seq: number; span: Span }
  | { seq: number; otlp: Buffer; logs: RawLogRecord[] };

export function encodeRecord(seq: number, span: Span): string {
  return `{"seq":${seq},"span":${JSON.stringify(span)}}`;
}

/**
 * Characters reserved for the seq in OTLP record lines: the line is encoded before the store gives the
 * span its seq (on the ingest worker, see indexTraces.ts), so the seq is written into a slot of spaces
 * later (fillSeq). JSON allows the padding: `{"seq":42              ,"otlp":…}`.
 */
const SEQ_SLOT = 16;
const SEQ_PADDING = ' '.repeat(SEQ_SLOT);
const MAX_SEQ = 10 ** SEQ_SLOT - 1;

/** One span as received, for encodeOtlpRecords. */
export interface OtlpRecordItem {
  otlp: Uint8Array;
  logs?: readonly RawLogRecord[];
}

/** Base64 keeps the line free of newlines (the segment's framing) and of JSON escaping. */
export function encodeOtlpRecord(seq: number, otlp: Uint8Array, logs: readonly RawLogRecord[]): Buffer {
  const [line] = encodeOtlpRecords([{ otlp, logs }]);
  fillSeq(line, seq);
  return line;
}

/**
 * Record lines with empty seq slots (fillSeq), as views into one buffer: one allocation per batch
 * instead of one per span (each would be an off-heap buffer of its own for the GC to track). Each
 * line is followed by its newline in that buffer, so a batch reaches the segment file in one write
 * without being copied again (SegmentLog.append).
 */
export function encodeOtlpRecords(items: readonly OtlpRecordItem[]): Buffer[] {
  const parts = items.map((item) => {
    const { otlp, logs } = item;
    return {
      base64: Buffer.from(otlp.buffer, otlp.byteOffset, otlp.byteLength).toString('base64'),
      tail: logs && logs.length > 0 ? `","logs":${JSON.stringify(logs)}}` : '"}',
    };
  });
  const head = `{"seq":${SEQ_PADDING},"otlp":"`;
  let total = 0;
  for (const p of parts) total += head.length + p.base64.length + Buffer.byteLength(p.tail) + 1;
  const buffer = Buffer.allocUnsafe(total);
  const lines: Buffer[] = new Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    const start = at;
    // The head and base64 are ASCII: copied as latin1, without a UTF-8 encoding pass.
    at += buffer.write(head, at, 'latin1');
    at += buffer.write(p.base64, at, 'latin1');
    at += buffer.write(p.tail, at, 'utf8');
    lines[i] = buffer.subarray(start, at);
    buffer[at++] = 0x0a;
  });
  return lines;
}

/** Writes the store's seq into a line from encodeOtlpRecords (in place). */
export function fillSeq(line: Buffer, seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > MAX_SEQ) throw new Error(`Spanlight store: seq ${seq} does not fit a record`);
  line.write(String(seq).padEnd(SEQ_SLOT, ' '), SEQ_HEAD.length, 'latin1');
}

const SEQ_HEAD = Buffer.from('{"seq":', 'latin1');
const OTLP_FIELD = Buffer.from(',"otlp":"', 'latin1');
const LOGS_FIELD = '","logs":';

/**
 * decodeRecord for a line as stored. OTLP records (every span on the hot path) are taken apart by
 * position, the way encodeOtlpRecords writes them: no UTF-8 decoding and no JSON parse of their
 * base64 (only of their log records, when they have some). Anything else goes through JSON.parse.
 */
export function decodeRecordLine(line: Buffer): StoredRecord | undefined {
  const comma = otlpSeqEnd(line);
  if (comma < 0) return decodeRecord(line.toString('utf8'));
  const seqText = line.toString('latin1', SEQ_HEAD.length, comma).trim();
  if (!/^\d+$/.test(seqText)) return undefined;
  const body = otlpRecordBody(line, comma);
  return body && { seq: Number(seqText), ...body };
}

/** The span bytes of an OTLP record line, with its seq slot filled or still empty (encodeOtlpRecords). */
export function otlpOfRecordLine(line: Buffer): Buffer | undefined {
  const comma = otlpSeqEnd(line);
  return comma < 0 ? undefined : otlpRecordBody(line, comma)?.otlp;
}

/** Where the seq of an OTLP record line ends (the comma before `"otlp"`), or -1 for other lines. */
function otlpSeqEnd(line: Buffer): number {
  const comma = line.indexOf(0x2c /* , */, SEQ_HEAD.length);
  const isOtlp =
    line.subarray(0, SEQ_HEAD.length).equals(SEQ_HEAD) &&
    comma > SEQ_HEAD.length &&
    comma <= SEQ_HEAD.length + 24 &&
    line.subarray(comma, comma + OTLP_FIELD.length).equals(OTLP_FIELD);
  return isOtlp ? comma : -1;
}

function otlpRecordBody(line: Buffer, comma: number): { otlp: Buffer; logs: RawLogRecord[] } | undefined {
  const start = comma + OTLP_FIELD.length;
  const end = line.indexOf(0x22 /* " */, start);
  if (end < 0) return undefined;
  const otlp = Buffer.from(line.toString('latin1', start, end), 'base64');
  const rest = line.toString('utf8', end);
  if (rest === '"}') return { otlp, logs: [] };
  if (!rest.startsWith(LOGS_FIELD) || !rest.endsWith('}')) return undefined;
  try {
    const logs: unknown = JSON.parse(rest.slice(LOGS_FIELD.length, -1));
    return Array.isArray(logs) ? { otlp, logs: logs as RawLogRecord[] } : undefined;
  } catch {
    return undefined;
  }
}

export function decodeRecord(line: string): StoredRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { seq, span, otlp, logs } = parsed as { seq?: unknown; span?: unknown; otlp?: unknown; logs?: unknown };
  if (typeof seq !== 'number') return undefined;
  if (typeof otlp === 'string') {
    if (logs !== undefined && !Array.isArray(logs)) return undefined;
    return { seq, otlp: Buffer.from(otlp, 'base64'), logs: (logs ?? []) as RawLogRecord[] };
  }
  if (typeof span !== 'object' || span === null) return undefined;
  const candidate = span as Partial<Span>;
  if (typeof candidate.traceId !== 'string' || typeof candidate.spanId !== 'string') return undefined;
  return { seq, span: span as Span };
}

/** How the store turns a record back into the contract's Span (undefined: the record is damaged). */
export type RecordReader = (record: StoredRecord) => Span | undefined;

/** Rebuilds a record's meta from its segment line (recovery path, when the index line is missing). */
export function metaFromRecordLine(line: Buffer, read: RecordReader): SpanMeta | undefined {
  const record = decodeRecordLine(line);
  const span = record && read(record);
  return record && span ? metaFromSpan(span, record.seq, SEARCH_CHARS_PER_SPAN) : undefined;
}

const STATUS_CODES: StatusCode[] = ['UNSET', 'OK', 'ERROR'];


/**
 * Positional JSON array: about half the size of an object with keys, and faster to parse at startup.
 * Written by hand (one per stored span, on the ingest hot path): ids and nanosecond times are hex and
 * digits, so only the free-text fields go through JSON.stringify.
 */
export function encodeIndexLine(entry: IndexEntry): string {
  return encodeIndexFields(entry.meta.traceId, entry.meta, entry.offset, entry.length);
}

/** encodeIndexLine from the parts (the writer has the trace id apart from the span's fields). */
export function encodeIndexFields(traceId: string, m: Omit<SpanMeta, 'traceId'>, offset: number, length: number): string {
  return indexLineHead(m.seq, offset, length) + encodeIndexTail(traceId, m);
}

/** The start of an index line: what only the store knows (the seq) and the segment log (where). */
export function indexLineHead(seq: number, offset: number, length: number): string {
  return `[${seq},${offset},${length},`;
}

/**
 * The rest of an index line: the span's fields, which the ingest worker encodes before the store has
 * given the span a seq and a place (the segment log writes head + tail, see SegmentLog.append).
 */
export function encodeIndexTail(traceId: string, m: Omit<SpanMeta, 'traceId' | 'seq'>): string {
  const llm = m.llm
    ? `[${m.llm.modelCall ? 1 : 0},${optJson(m.llm.requestModel)},${optJson(m.llm.responseModel)},${num(m.llm.inputTokens)},${num(m.llm.outputTokens)},${num(m.llm.costUsd)}]`
    : '0';
  const parent = m.parentSpanId === undefined ? '0' : idJson(m.parentSpanId);
  return (
    `${idJson(traceId)},${idJson(m.spanId)},${parent},${JSON.stringify(m.name)},` +
    `"${m.start}","${m.end}",${STATUS_CODES.indexOf(m.status)},${optJson(m.service)},${JSON.stringify(m.text)},${llm}${shapeJson(m.shape)}]`
  );
}

/** encodeIndexTail of each span as UTF-8, as views into one buffer (see encodeOtlpRecords). */
export function encodeIndexTails(items: readonly { traceId: string; fields: Omit<SpanMeta, 'traceId' | 'seq'> }[]): Buffer[] {
  const texts = items.map((item) => encodeIndexTail(item.traceId, item.fields));
  let total = 0;
  for (const text of texts) total += Buffer.byteLength(text);
  const buffer = Buffer.allocUnsafe(total);
  let at = 0;
  return texts.map((text) => {
    const start = at;
    at += buffer.write(text, at, 'utf8');
    return buffer.subarray(start, at);
  });
}

/** `,[operation|0, flags]` (flags: 1 db, 2 source, 4 exception), or nothing when the shape is unknown. */
function shapeJson(shape: SpanShape | undefined): string {
  if (!shape) return '';
  const flags = (shape.db ? 1 : 0) | (shape.source ? 2 : 0) | (shape.exception ? 4 : 0);
  return `,[${optJson(shape.operation)},${flags}]`;
}

const OPERATIONS: ReadonlySet<string> = new Set<LlmOperation>([
  'chat', 'text_completion', 'embeddings', 'responses', 'generate_content', 'tool', 'agent', 'retrieval', 'rerank', 'workflow', 'other',
]);

/** Undefined: no shape (an older line); null: malformed. */
function decodeShape(value: unknown): SpanShape | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== 2 || !isInt(value[1])) return null;
  const [operation, flags] = value as [unknown, number];
  if (operation !== 0 && !(typeof operation === 'string' && OPERATIONS.has(operation))) return null;
  return {
    operation: operation === 0 ? undefined : (operation as LlmOperation),
    db: (flags & 1) !== 0,
    source: (flags & 2) !== 0,
    exception: (flags & 4) !== 0,
  };
}

const PLAIN_ID = /^[0-9a-f]*$/;
/** Ids from the protobuf decoder are hex; a JSON sender's ids may be anything and are escaped. */
const idJson = (id: string): string => (PLAIN_ID.test(id) ? `"${id}"` : JSON.stringify(id));
const optJson = (value: string | undefined): string => (value === undefined ? '0' : JSON.stringify(value));
/** JSON has no NaN/Infinity; the decoder reads anything non-finite as absent. */
const num = (value: number | undefined): string => (value !== undefined && Number.isFinite(value) ? String(value) : 'null');

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function decodeLlm(value: unknown): LlmMeta | undefined | null {
  if (value === 0) return undefined;
  if (!Array.isArray(value) || value.length !== 6) return null;
  return {
    modelCall: value[0] === 1,
    requestModel: intern(optStr(value[1])),
    responseModel: intern(optStr(value[2])),
    inputTokens: optNum(value[3]),
    outputTokens: optNum(value[4]),
    costUsd: optNum(value[5]),
  };
}

/** Undefined for anything that is not a well-formed index line (torn write, foreign data). */
export function decodeIndexLine(line: string, segment: number): IndexEntry | undefined {
  let t: unknown;
  try {
    t = JSON.parse(line);
  } catch {
    return undefined;
  }
  // 13 fields before the span's shape was indexed, 14 since.
  if (!Array.isArray(t) || (t.length !== 13 && t.length !== 14)) return undefined;
  const [seq, offset, length, traceId, spanId, parent, name, start, end, status, service, text, llmValue, shapeValue] = t;
  if (!isInt(seq) || !isInt(offset) || !isInt(length) || !isStr(traceId) || !isStr(spanId)) return undefined;
  if (!isStr(name) || !isStr(start) || !isStr(end) || !isStr(text) || !isInt(status) || status > 2) return undefined;
  const llm = decodeLlm(llmValue);
  const shape = decodeShape(shapeValue);
  if (llm === null || shape === null) return undefined;
  return {
    segment,
    offset,
    length,
    meta: {
      seq,
      traceId,
      spanId,
      parentSpanId: optStr(parent),
      name,
      start,
      end,
      status: STATUS_CODES[status],
      service: intern(optStr(service)),
      llm,
      text,
      shape,
    },
  };
}
