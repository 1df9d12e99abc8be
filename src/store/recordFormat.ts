// The segment records: the source of truth, a whole span plus its version number (the index entries
// that cache their meta are indexFormat.ts). Parsed as untrusted input: a bad record is reported, not thrown.
import type { RawLogRecord } from '../otlp/types';
import type { Span } from '../protocol/model';
import { metaFromSpan, type SpanMeta } from './spanMeta';

/** Where one record's line sits in a segment (offset and byte length, newline excluded). */
export interface RecordLocation {
  segment: number;
  offset: number;
  length: number;
}

/**
 * A record holds one version of a span in one of two forms:
 * - binary, for spans received as OTLP (JSON transcoded to protobuf first): the span's bytes as
 *   received (the span alone, see splitTraces.ts) and the GenAI log records that belong to it. Normalization runs when the span is
 *   read, so ingest never serializes what it received (and stores each prompt once). Layout, little-endian:
 *   `0x1e 0x01 | seq f64 | otlp length u32 | logs length u32 | otlp bytes | logs as JSON (UTF-8)`;
 * - a JSON line `{"seq":N,"span":{…}}`: a span already in contract form (made in the process: the
 *   sample trace, agents' event spans; OTLP/JSON in stores written before it was stored as protobuf).
 * Each record is followed by a newline in the segment. JSON lines never start with 0x1e, so a segment
 * can hold both, and a segment alone can rebuild the index (recordLength frames them).
 * Stores written before the binary form hold `{"seq":N,"otlp":"<base64>","logs":[…]}` lines; they are
 * still read.
 */
export type StoredRecord =
  | { seq: number; span: Span }
  | { seq: number; otlp: Buffer; logs: RawLogRecord[] };

export function encodeRecord(seq: number, span: Span): string {
  return `{"seq":${seq},"span":${JSON.stringify(span)}}`;
}

/**
 * A record as the segment log takes it: its bytes, followed by its newline in memory of its own
 * (SegmentLog.append writes the two together). Every record handed to the log is made by the encoders
 * here or by this function.
 */
export function lineWithNewline(record: string | Uint8Array): Buffer {
  if (typeof record === 'string') {
    const bytes = Buffer.from(`${record}\n`, 'utf8');
    return bytes.subarray(0, bytes.length - 1);
  }
  const bytes = Buffer.allocUnsafe(record.byteLength + 1);
  bytes.set(record, 0);
  bytes[record.byteLength] = 0x0a;
  return bytes.subarray(0, record.byteLength);
}

/** ASCII "record separator", then the format version. */
const BINARY_MARK = 0x1e;
const BINARY_VERSION = 0x01;
const SEQ_AT = 2;
const OTLP_LENGTH_AT = 10;
const LOGS_LENGTH_AT = 14;
const BINARY_HEADER = 18;

/** One span as received, for encodeOtlpRecords. */
export interface OtlpRecordItem {
  otlp: Uint8Array;
  logs?: readonly RawLogRecord[];
}

export function encodeOtlpRecord(seq: number, otlp: Uint8Array, logs: readonly RawLogRecord[]): Buffer {
  const [line] = encodeOtlpRecords([{ otlp, logs }]);
  fillSeq(line, seq);
  return line;
}

/**
 * Binary records without their seq (fillSeq): they are encoded before the store gives the span its seq
 * (on the ingest worker, see indexTraces.ts). Views into one buffer, one allocation per batch instead
 * of one per span (each would be an off-heap buffer of its own for the GC to track). Each is followed
 * by its newline in that buffer, so a batch reaches the segment file in one write without being copied
 * again (SegmentLog.append).
 */
export function encodeOtlpRecords(items: readonly OtlpRecordItem[]): Buffer[] {
  const logs = items.map((item) => (item.logs && item.logs.length > 0 ? Buffer.from(JSON.stringify(item.logs), 'utf8') : EMPTY));
  let total = 0;
  items.forEach((item, i) => (total += BINARY_HEADER + item.otlp.byteLength + logs[i].length + 1));
  const buffer = Buffer.allocUnsafe(total);
  const lines: Buffer[] = new Array(items.length);
  let at = 0;
  items.forEach((item, i) => {
    const start = at;
    writeHeader(buffer, at, item.otlp.byteLength, logs[i].length);
    at += BINARY_HEADER;
    buffer.set(item.otlp, at);
    at += item.otlp.byteLength;
    at += logs[i].copy(buffer, at);
    lines[i] = buffer.subarray(start, at);
    buffer[at++] = 0x0a;
  });
  return lines;
}

const EMPTY = Buffer.alloc(0);

/** A binary record's header at `at`, its seq slot still 0 (fillSeq writes it). */
function writeHeader(buffer: Buffer, at: number, otlpLength: number, logsLength: number): void {
  buffer[at] = BINARY_MARK;
  buffer[at + 1] = BINARY_VERSION;
  buffer.writeDoubleLE(0, at + SEQ_AT);
  buffer.writeUInt32LE(otlpLength, at + OTLP_LENGTH_AT);
  buffer.writeUInt32LE(logsLength, at + LOGS_LENGTH_AT);
}

/** The room encodeOtlpRecordsInPlace needs around each span's bytes: its header before, its newline after. */
export const OTLP_RECORD_ROOM = { head: BINARY_HEADER, tail: 1 } as const;

/**
 * encodeOtlpRecords (no log records) without copying the span bytes: each `otlp` must have
 * OTLP_RECORD_ROOM free around it in its buffer (splitTracesProtobuf(body, OTLP_RECORD_ROOM) leaves
 * it), where the header and the newline are written. Spans given back to back, as the split gives
 * them, come out as records back to back: one buffer to write.
 */
export function encodeOtlpRecordsInPlace(spans: readonly Uint8Array[]): Buffer[] {
  return spans.map((otlp) => {
    const start = otlp.byteOffset - BINARY_HEADER;
    if (start < 0 || otlp.byteOffset + otlp.byteLength + 1 > otlp.buffer.byteLength) throw new Error('Spanlight store: no room around a span to encode its record in place');
    const line = Buffer.from(otlp.buffer, start, BINARY_HEADER + otlp.byteLength);
    writeHeader(line, 0, otlp.byteLength, 0);
    new Uint8Array(otlp.buffer, otlp.byteOffset + otlp.byteLength, 1)[0] = 0x0a;
    return line;
  });
}

/** Writes the store's seq into a record from encodeOtlpRecords (in place). */
export function fillSeq(line: Buffer, seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`Spanlight store: seq ${seq} does not fit a record`);
  line.writeDoubleLE(seq, SEQ_AT);
}

/**
 * The length of the record starting at `at` (its newline excluded): a binary record's from its header,
 * a JSON line's up to its newline. -1 when `buf` ends before the record does (a torn write).
 */
export function recordLength(buf: Buffer, at: number): number {
  if (buf[at] === BINARY_MARK) {
    // A header cut short is a torn write too (its bytes could hold a newline, so never read it as a line).
    if (at + BINARY_HEADER > buf.length) return -1;
    const length = BINARY_HEADER + buf.readUInt32LE(at + OTLP_LENGTH_AT) + buf.readUInt32LE(at + LOGS_LENGTH_AT);
    // A header that does not end at a newline is damage, not a record: read it as a line (unreadable).
    if (at + length < buf.length && buf[at + length] === 0x0a) return length;
    if (at + length >= buf.length) return -1;
  }
  const nl = buf.indexOf(0x0a, at);
  return nl < 0 ? -1 : nl - at;
}

/** The record as stored; undefined for a damaged one. */
export function decodeRecordLine(line: Buffer): StoredRecord | undefined {
  if (line[0] === BINARY_MARK) {
    const body = binaryBody(line);
    return body && { seq: line.readDoubleLE(SEQ_AT), ...body };
  }
  const comma = base64SeqEnd(line);
  if (comma < 0) return decodeRecord(line.toString('utf8'));
  const seqText = line.toString('latin1', SEQ_HEAD.length, comma).trim();
  if (!/^\d+$/.test(seqText)) return undefined;
  const body = base64Body(line, comma);
  return body && { seq: Number(seqText), ...body };
}

/** The span bytes of an OTLP record, with its seq filled in or not yet. */
export function otlpOfRecordLine(line: Buffer): Buffer | undefined {
  return line[0] === BINARY_MARK ? binaryBody(line)?.otlp : undefined;
}

function binaryBody(line: Buffer): { otlp: Buffer; logs: RawLogRecord[] } | undefined {
  if (line.length < BINARY_HEADER || line[1] !== BINARY_VERSION) return undefined;
  const otlpLength = line.readUInt32LE(OTLP_LENGTH_AT);
  const logsLength = line.readUInt32LE(LOGS_LENGTH_AT);
  const seq = line.readDoubleLE(SEQ_AT);
  if (BINARY_HEADER + otlpLength + logsLength !== line.length || !Number.isSafeInteger(seq) || seq < 0) return undefined;
  // A view: readers decode it at once (a record stored again is copied by encodeOtlpRecords).
  const otlp = line.subarray(BINARY_HEADER, BINARY_HEADER + otlpLength);
  if (logsLength === 0) return { otlp, logs: [] };
  try {
    const logs: unknown = JSON.parse(line.toString('utf8', BINARY_HEADER + otlpLength));
    return Array.isArray(logs) ? { otlp, logs: logs as RawLogRecord[] } : undefined;
  } catch {
    return undefined;
  }
}

const SEQ_HEAD = Buffer.from('{"seq":', 'latin1');
const OTLP_FIELD = Buffer.from(',"otlp":"', 'latin1');
const LOGS_FIELD = '","logs":';

/** A record of the base64 form stores wrote before the binary one: its span's text is not in its bytes as such. */
export function isBase64Record(line: Buffer): boolean {
  return base64SeqEnd(line) >= 0;
}

/** Where the seq of a base64 OTLP line (the previous form) ends, or -1 for other lines. */
function base64SeqEnd(line: Buffer): number {
  const comma = line.indexOf(0x2c /* , */, SEQ_HEAD.length);
  const isOtlp =
    line.subarray(0, SEQ_HEAD.length).equals(SEQ_HEAD) &&
    comma > SEQ_HEAD.length &&
    comma <= SEQ_HEAD.length + 24 &&
    line.subarray(comma, comma + OTLP_FIELD.length).equals(OTLP_FIELD);
  return isOtlp ? comma : -1;
}

/** Taken apart by position: no UTF-8 decoding and no JSON parse of the base64. */
function base64Body(line: Buffer, comma: number): { otlp: Buffer; logs: RawLogRecord[] } | undefined {
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

/** Rebuilds a record's meta from its segment line (recovery path, when the index entry is missing). */
export function metaFromRecordLine(line: Buffer, read: RecordReader): SpanMeta | undefined {
  const record = decodeRecordLine(line);
  const span = record && read(record);
  return record && span ? metaFromSpan(span, record.seq, Infinity) : undefined;
}
