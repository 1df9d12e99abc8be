// The per-segment index files (`NNNNNN.idx`): one entry per record, a compact cache of the span's
// SpanMeta and where its record is, so startup never reads the segments themselves. Entries are parsed
// as untrusted input: a bad one is reported (the file is then rebuilt from its segment), never thrown.
//
// An entry is binary, little-endian:
//   head: `0x1e 0x02 | tail length u32 | seq f64 | offset f64 | length f64`
//   tail: `flags u8 | input tokens f64 | output tokens f64 | cost f64 | 11 strings`, each string
//         `UTF-8 length u32 | UTF-8`: trace id, span id, parent span id, name, start, end, service,
//         search text, request model, response model, operation (empty = absent)
// and a newline. The tail is what the store's writer encodes from a span's ref (a batch at a time);
// the head is what the segment log adds when it knows where the record went. Binary because encoding
// the JSON form cost as much as a fifth of ingest's time per export (bench/ingest.ts), and it is
// faster to read at startup.
// Stores written before hold JSON lines `[seq,offset,length,traceId,…]` (decodeIndexLine); a file may
// hold both, since appends continue an older file.
import type { ScratchBuffer } from '../base/scratchBuffer';
import type { LlmOperation, StatusCode } from '../protocol/model';
import type { RecordLocation } from './recordFormat';
import { intern, NO_TEXT, normalizeNano, searchTextBytes, sharedIfEmpty, type LlmMeta, type SpanMeta, type SpanShape } from './spanMeta';

export interface IndexEntry extends RecordLocation {
  meta: SpanMeta;
}

/** A span's fields as an index entry's tail has them: all of its SpanMeta but the seq. */
export type IndexTailFields = Omit<SpanMeta, 'traceId' | 'seq'>;

const STATUS_CODES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];

// ── flags: status, and which of llm and shape there are, in one byte ───────────────────────────────

const STATUS_MASK = 3;
const FLAG_LLM = 4;
const FLAG_MODEL_CALL = 8;
const FLAG_SHAPE = 16;
const FLAG_DB = 32;
const FLAG_SOURCE = 64;
const FLAG_EXCEPTION = 128;

/** The status, llm presence and shape booleans of a span in one byte (index entries, the worker's field columns). */
export function metaFlags(m: Pick<SpanMeta, 'status' | 'llm' | 'shape'>): number {
  let bits = STATUS_CODES.indexOf(m.status);
  if (m.llm) bits |= FLAG_LLM | (m.llm.modelCall ? FLAG_MODEL_CALL : 0);
  const shape = m.shape;
  if (shape) bits |= FLAG_SHAPE | (shape.db ? FLAG_DB : 0) | (shape.source ? FLAG_SOURCE : 0) | (shape.exception ? FLAG_EXCEPTION : 0);
  return bits;
}

/** Undefined for a status that is not one (damaged bytes). */
export function statusOfFlags(bits: number): StatusCode | undefined {
  return STATUS_CODES[bits & STATUS_MASK];
}

export function llmOfFlags(bits: number, models: { requestModel?: string; responseModel?: string }, numbers: readonly number[]): LlmMeta | undefined {
  if (!(bits & FLAG_LLM)) return undefined;
  const llm: LlmMeta = {
    modelCall: (bits & FLAG_MODEL_CALL) !== 0,
    requestModel: models.requestModel,
    responseModel: models.responseModel,
    inputTokens: finite(numbers[0]),
    outputTokens: finite(numbers[1]),
    costUsd: finite(numbers[2]),
  };
  return sharedIfEmpty(llm);
}

export function shapeOfFlags(bits: number, operation: LlmOperation | undefined): SpanShape | undefined {
  if (!(bits & FLAG_SHAPE)) return undefined;
  return { operation, db: (bits & FLAG_DB) !== 0, source: (bits & FLAG_SOURCE) !== 0, exception: (bits & FLAG_EXCEPTION) !== 0 };
}

const finite = (value: number | undefined): number | undefined => (value !== undefined && Number.isFinite(value) ? value : undefined);

const OPERATIONS: ReadonlySet<string> = new Set<LlmOperation>([
  'chat', 'text_completion', 'embeddings', 'responses', 'generate_content', 'tool', 'agent', 'retrieval', 'rerank', 'workflow', 'other',
]);

// ── binary entries ─────────────────────────────────────────────────────────────────────────────────

const MARK = 0x1e;
const VERSION = 0x02;
const TAIL_LENGTH_AT = 2;
const SEQ_AT = 6;
const OFFSET_AT = 14;
const LENGTH_AT = 22;
/** Bytes of an entry's head (see the file comment). */
export const INDEX_HEAD_BYTES = 30;
const STRINGS = 11;
/** Which of them is the search text (UTF-8 in the index too, see SpanMeta.text). */
const TEXT_STRING = 7;
/** Flags and three numbers. */
const TAIL_FIXED = 1 + 3 * 8;

/**
 * The tail of each span's entry, as views into one buffer, each followed by a newline there: one
 * allocation per batch, or none with `scratch` (the views are then valid until its next use).
 */
export function encodeIndexTails(items: readonly { traceId: string; fields: IndexTailFields }[], scratch?: ScratchBuffer): Buffer[] {
  let capacity = 0;
  for (const { traceId, fields: m } of items) {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; the search text is UTF-8 already.
    const chars = traceId.length + m.spanId.length + (m.parentSpanId?.length ?? 0) + m.name.length + m.start.length + m.end.length +
      (m.service?.length ?? 0) + (m.llm?.requestModel?.length ?? 0) + (m.llm?.responseModel?.length ?? 0) + (m.shape?.operation?.length ?? 0);
    capacity += TAIL_FIXED + STRINGS * 4 + chars * 3 + m.text.length + 1;
  }
  const buf = scratch ? scratch.take(capacity) : Buffer.allocUnsafe(capacity);
  const tails: Buffer[] = new Array(items.length);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const { traceId, fields: m } = items[i];
    const start = at;
    buf[at] = metaFlags(m);
    buf.writeDoubleLE(m.llm?.inputTokens ?? NaN, at + 1);
    buf.writeDoubleLE(m.llm?.outputTokens ?? NaN, at + 9);
    buf.writeDoubleLE(m.llm?.costUsd ?? NaN, at + 17);
    at += TAIL_FIXED;
    at = writeString(buf, at, traceId);
    at = writeString(buf, at, m.spanId);
    at = writeString(buf, at, m.parentSpanId);
    at = writeString(buf, at, m.name);
    at = writeString(buf, at, m.start);
    at = writeString(buf, at, m.end);
    at = writeString(buf, at, m.service);
    buf.writeUInt32LE(m.text.length, at);
    buf.set(m.text, at + 4);
    at += 4 + m.text.length;
    at = writeString(buf, at, m.llm?.requestModel);
    at = writeString(buf, at, m.llm?.responseModel);
    at = writeString(buf, at, m.shape?.operation);
    tails[i] = buf.subarray(start, at);
    buf[at++] = 0x0a;
  }
  return tails;
}

/** Buffer's own utf8Write: Buffer#write checks and normalizes its arguments on every call (per string here). */
type Utf8Writer = Buffer & { utf8Write(value: string, offset: number): number };

/** Strings up to this length are copied in JavaScript while they are ASCII (see writeString). */
const SHORT_STRING = 32;

function writeString(buf: Buffer, at: number, value: string | undefined): number {
  const length = value ? (value.length <= SHORT_STRING && writeAscii(buf, at + 4, value) ? value.length : (buf as Utf8Writer).utf8Write(value, at + 4)) : 0;
  buf.writeUInt32LE(length, at);
  return at + 4 + length;
}

/**
 * Writes a short ASCII string byte by byte; false (with bytes written that the caller overwrites) at
 * the first other character. Most strings of an entry are ids, times and names of 8–19 ASCII
 * characters, and a call into C++ per string cost more than the copy.
 */
function writeAscii(buf: Buffer, at: number, value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) return false;
    buf[at + i] = code;
  }
  return true;
}

/** An entry's head, in front of its tail (which is `tailLength` bytes). */
export function writeIndexHead(buf: Buffer, at: number, location: { seq: number; offset: number; length: number }, tailLength: number): void {
  buf[at] = MARK;
  buf[at + 1] = VERSION;
  buf.writeUInt32LE(tailLength, at + TAIL_LENGTH_AT);
  buf.writeDoubleLE(location.seq, at + SEQ_AT);
  buf.writeDoubleLE(location.offset, at + OFFSET_AT);
  buf.writeDoubleLE(location.length, at + LENGTH_AT);
}

/** Whole entries (head, tail, newline) for `entries`, back to back: an index file's content. */
export function encodeIndexEntries(entries: readonly IndexEntry[]): Buffer {
  const tails = encodeIndexTails(entries.map((e) => ({ traceId: e.meta.traceId, fields: e.meta })));
  return joinEntries(entries.map((e, i) => ({ seq: e.meta.seq, offset: e.offset, length: e.length, tail: tails[i] })));
}

/**
 * Heads and tails into one buffer, each entry followed by its newline (what SegmentLog appends); with
 * `scratch`, its buffer (valid until its next use).
 */
export function joinEntries(items: readonly { seq: number; offset: number; length: number; tail: Uint8Array }[], scratch?: ScratchBuffer): Buffer {
  let total = 0;
  for (const item of items) total += INDEX_HEAD_BYTES + item.tail.length + 1;
  const out = scratch ? scratch.take(total) : Buffer.allocUnsafe(total);
  let at = 0;
  for (const item of items) {
    writeIndexHead(out, at, item, item.tail.length);
    out.set(item.tail, at + INDEX_HEAD_BYTES);
    at += INDEX_HEAD_BYTES + item.tail.length;
    out[at++] = 0x0a;
  }
  return out;
}

/**
 * Every entry of an index file, binary or JSON, in file order. `clean` is false when something was
 * skipped or cut off (the caller rebuilds what is missing from the segment and rewrites the file).
 * A damaged binary entry ends the read: without a trustworthy length there is no next entry to find.
 */
export function decodeIndexFile(buf: Buffer, segment: number): { entries: IndexEntry[]; clean: boolean } {
  const entries: IndexEntry[] = [];
  let clean = true;
  let at = 0;
  while (at < buf.length) {
    if (buf[at] === MARK) {
      const end = at + INDEX_HEAD_BYTES + (at + INDEX_HEAD_BYTES <= buf.length ? buf.readUInt32LE(at + TAIL_LENGTH_AT) : 0);
      const entry = end < buf.length && buf[end] === 0x0a ? decodeBinaryEntry(buf, at, end, segment) : undefined;
      if (!entry) return { entries, clean: false };
      entries.push(entry);
      at = end + 1;
      continue;
    }
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) return { entries, clean: false }; // A torn last line.
    const entry = decodeIndexLine(buf.toString('utf8', at, nl), segment);
    if (entry) entries.push(entry);
    else clean = false;
    at = nl + 1;
  }
  return { entries, clean };
}

/** The entry in [from, to) (its newline at `to`). */
function decodeBinaryEntry(buf: Buffer, from: number, to: number, segment: number): IndexEntry | undefined {
  if (buf[from + 1] !== VERSION) return undefined;
  const seq = buf.readDoubleLE(from + SEQ_AT);
  const offset = buf.readDoubleLE(from + OFFSET_AT);
  const length = buf.readDoubleLE(from + LENGTH_AT);
  if (!isCount(seq) || !isCount(offset) || !isCount(length)) return undefined;
  let at = from + INDEX_HEAD_BYTES;
  if (at + TAIL_FIXED > to) return undefined;
  const bits = buf[at];
  const numbers = [buf.readDoubleLE(at + 1), buf.readDoubleLE(at + 9), buf.readDoubleLE(at + 17)];
  at += TAIL_FIXED;
  const strings: string[] = new Array(STRINGS);
  let text = NO_TEXT;
  for (let i = 0; i < STRINGS; i++) {
    if (at + 4 > to) return undefined;
    const stringEnd = at + 4 + buf.readUInt32LE(at);
    if (stringEnd > to) return undefined;
    // The search text stays bytes: its own copy, so that the index does not keep the whole file's buffer.
    if (i === TEXT_STRING) text = stringEnd > at + 4 ? Buffer.from(buf.subarray(at + 4, stringEnd)) : NO_TEXT;
    else strings[i] = buf.toString('utf8', at + 4, stringEnd);
    at = stringEnd;
  }
  const [traceId, spanId, parentSpanId, name, start, end, service, , requestModel, responseModel, operation] = strings;
  const status = statusOfFlags(bits);
  if (at !== to || status === undefined || (operation !== '' && !OPERATIONS.has(operation)) || !isNano(start) || !isNano(end)) return undefined;
  const models = { requestModel: intern(requestModel || undefined), responseModel: intern(responseModel || undefined) };
  return {
    segment,
    offset,
    length,
    meta: {
      seq,
      traceId,
      spanId,
      parentSpanId: parentSpanId || undefined,
      name,
      start,
      end,
      status,
      service: intern(service || undefined),
      llm: llmOfFlags(bits, models, numbers),
      text,
      shape: shapeOfFlags(bits, (operation || undefined) as LlmOperation | undefined),
    },
  };
}

const isCount = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;

/**
 * A time as the index writes it (normalizeNano). Nothing detects damage inside an entry; a time that
 * is not one would break every summary of its trace (durations are computed from them), so the entry
 * counts as damaged and its record is read again from the segment, the source of truth.
 */
const isNano = (v: unknown): v is string => typeof v === 'string' && normalizeNano(v) === v;

// ── JSON lines (stores written before the binary form) ─────────────────────────────────────────────

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function decodeLlm(value: unknown): LlmMeta | undefined | null {
  if (value === 0) return undefined;
  if (!Array.isArray(value) || value.length !== 6) return null;
  return sharedIfEmpty({
    modelCall: value[0] === 1,
    requestModel: intern(optStr(value[1])),
    responseModel: intern(optStr(value[2])),
    inputTokens: optNum(value[3]),
    outputTokens: optNum(value[4]),
    costUsd: optNum(value[5]),
  });
}

/** Undefined: no shape (a line written before shapes were indexed); null: malformed. */
function decodeShape(value: unknown): SpanShape | undefined | null {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length !== 2 || !isInt(value[1])) return null;
  const [operation, flags] = value as [unknown, number];
  if (operation !== 0 && !(typeof operation === 'string' && OPERATIONS.has(operation))) return null;
  // The JSON form's flags are the binary form's db, source and exception bits, shifted down.
  const bits = FLAG_SHAPE | (flags & 1 ? FLAG_DB : 0) | (flags & 2 ? FLAG_SOURCE : 0) | (flags & 4 ? FLAG_EXCEPTION : 0);
  return shapeOfFlags(bits, operation === 0 ? undefined : (operation as LlmOperation));
}

/**
 * A JSON index line, `[seq,offset,length,traceId,spanId,parent|0,name,start,end,status,service|0,text,
 * llm|0(,shape)]`; undefined for anything that is not a well-formed one (torn write, foreign data).
 */
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
  if (!isStr(name) || !isNano(start) || !isNano(end) || !isStr(text) || !isInt(status) || status > 2) return undefined;
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
      text: searchTextBytes(text),
      shape,
    },
  };
}
