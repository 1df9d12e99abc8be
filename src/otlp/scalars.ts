// Scalar conversions shared by the protobuf and JSON decoders: ids, 64-bit integers, times, enums.
import type { SpanKind, StatusCode } from '../protocol/model';

/** protobufjs represents 64-bit fields as `Long` when the `long` package is present, else as numbers. */
export interface PbLong {
  low: number;
  high: number;
  unsigned: boolean;
  toString(radix?: number): string;
}
export type PbInt64 = number | PbLong;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of an id's bytes (see bytesToHexRange). */
export function bytesToHex(bytes: Uint8Array): string {
  return bytesToHexRange(bytes, 0, bytes.length);
}

/**
 * bytesToHex of bytes[start, end), without a subarray. A lookup table for plain Uint8Arrays (protobufjs
 * may hand those out); Buffers, which the hot path has, use their own hexSlice.
 */
export function bytesToHexRange(bytes: Uint8Array, start: number, end: number): string {
  // Buffer's own hexSlice: one flat string, where concatenation made a rope of one piece per byte
  // (an id is hashed as a Map key right after, which first flattens it).
  if (bytes instanceof Buffer) return (bytes as Buffer & { hexSlice(start: number, end: number): string }).hexSlice(start, end);
  let out = '';
  for (let i = start; i < end; i++) out += HEX[bytes[i]];
  return out;
}

function isAllZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * A trace (16 bytes) or span (8 bytes) id as hex, or undefined when invalid.
 * W3C Trace Context / OTLP: an all-zero id or one of another length is invalid.
 */
export function idFromBytes(bytes: Uint8Array | null | undefined, length: 8 | 16): string | undefined {
  return bytes ? idFromRange(bytes, 0, bytes.length, length) : undefined;
}

/** idFromBytes of bytes[start, end), without a subarray (the ingest walk reads ids in place). */
export function idFromRange(bytes: Uint8Array, start: number, end: number, length: 8 | 16): string | undefined {
  if (end - start !== length || isAllZero(bytes, start, end)) return undefined;
  return bytesToHexRange(bytes, start, end);
}

const HEX_ID = /^[0-9a-fA-F]+$/;
const ZERO_ID = /^0+$/;

/**
 * OTLP/JSON ids are hex strings (spec: "traceId and spanId … MUST be represented as case-insensitive
 * hex-encoded strings"), but senders using the canonical protobuf JSON mapping send base64: accept both,
 * telling them apart by length (hex 32/16 chars, base64 24/12 chars with padding, 22/11 without). Only
 * base64 that is what those senders write: Node's decoder reads any string, and a malformed id (11
 * letters, say) must be rejected, not stored under an id its sender never had.
 */
export function idFromJson(value: unknown, length: 8 | 16): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.length === length * 2 && HEX_ID.test(value)) {
    return ZERO_ID.test(value) ? undefined : value.toLowerCase();
  }
  if (value.length <= 24) {
    const bytes = Buffer.from(value, 'base64');
    if (bytes.length === length && isCanonicalBase64(value, bytes)) return idFromBytes(bytes, length);
  }
  return undefined;
}

/** `text` is how base64 writes `bytes`: standard with or without its padding, or URL-safe (protobuf's JSON mapping reads both). */
function isCanonicalBase64(text: string, bytes: Buffer): boolean {
  const standard = bytes.toString('base64');
  return text === standard || text === standard.replace(/=+$/, '') || text === bytes.toString('base64url');
}

const TWO_POW_32 = 4294967296;

/** An unsigned fixed64 (nanosecond time) as an exact decimal string. */
export function uint64ToDecimal(value: PbInt64 | null | undefined): string {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'number') return value > 0 ? BigInt(Math.trunc(value)).toString() : '0';
  return uint64PartsToDecimal(value.high >>> 0, value.low >>> 0);
}

/** An unsigned 64-bit value given as its high and low 32 bits, as an exact decimal string. */
export function uint64PartsToDecimal(hi: number, lo: number): string {
  // Below 2^53 a double is exact and String() is much cheaper than BigInt; current epoch nanos are above it.
  if (hi < 0x200000) return String(hi * TWO_POW_32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Nanoseconds between two unsigned fixed64 values, as milliseconds (a double is plenty for a duration). */
export function durationMsFromLongs(start: PbInt64 | null | undefined, end: PbInt64 | null | undefined): number {
  const s = splitUint64(start);
  const e = splitUint64(end);
  if (s === undefined || e === undefined) return 0;
  return durationMsFromParts(s[0], s[1], e[0], e[1]);
}

/** durationMsFromLongs from the 32-bit halves of both times. */
export function durationMsFromParts(startHi: number, startLo: number, endHi: number, endLo: number): number {
  // An unset start (0) would make a span's duration its end's time since 1970, as OTLP/JSON's decoder
  // does not (durationMsFromDecimals): a span without a start took no known time.
  if (startHi === 0 && startLo === 0) return 0;
  const nanos = (endHi - startHi) * TWO_POW_32 + (endLo - startLo);
  // An unset end (0) or a skewed clock would give a negative duration; views expect >= 0.
  return nanos > 0 ? nanos / 1e6 : 0;
}

function splitUint64(value: PbInt64 | null | undefined): [number, number] | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return [Math.floor(value / TWO_POW_32), value % TWO_POW_32];
  return [value.high >>> 0, value.low >>> 0];
}

/** Milliseconds between two decimal nanosecond strings. */
export function durationMsFromDecimals(start: string, end: string): number {
  if (start === '0' || end === '0') return 0;
  const nanos = Number(BigInt(end) - BigInt(start));
  return nanos > 0 ? nanos / 1e6 : 0;
}

const DECIMAL = /^\d{1,20}$/;
const MAX_UINT64 = 18446744073709551615n;

/** OTLP/JSON encodes fixed64 as a decimal string, but some senders use a number: accept both. */
export function timeFromJson(value: unknown): string {
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) return '0';
    const n = BigInt(value);
    return n <= MAX_UINT64 ? n.toString() : '0';
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Beyond 64 bits, as its string form is: no time (a fixed64 cannot hold it, so protobuf never has it).
    const n = BigInt(Math.trunc(value));
    return n <= MAX_UINT64 ? n.toString() : '0';
  }
  return '0';
}

/** A signed int64 as a JSON number when exactly representable, else its decimal string. */
export function int64ToJson(value: PbInt64): number | string {
  if (typeof value === 'number') return value;
  const n = (value.unsigned ? value.high >>> 0 : value.high) * TWO_POW_32 + (value.low >>> 0);
  // Rounding is monotonic, so an unsafe exact value can never round back into the safe range.
  return Number.isSafeInteger(n) ? n : value.toString(10);
}

const INT_STRING = /^-?\d{1,20}$/;

/** OTLP/JSON int64: "MAY be a number or a string" (protobuf JSON mapping). */
export function int64FromJson(value: unknown): number | string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // Beyond 2^53 as the string form of such a value is (and as protobuf's int64 reads): exact text.
    const n = Math.trunc(value);
    return Number.isSafeInteger(n) ? n : BigInt(n).toString();
  }
  if (typeof value === 'string' && INT_STRING.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : BigInt(value).toString();
  }
  return undefined;
}

/** By their protobuf enum numbers. */
export const SPAN_KINDS: readonly SpanKind[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
export const STATUS_CODES: readonly StatusCode[] = ['UNSET', 'OK', 'ERROR'];

export function spanKindFromNumber(value: number): SpanKind {
  return SPAN_KINDS[value] ?? 'UNSPECIFIED';
}

export function statusCodeFromNumber(value: number): StatusCode {
  return STATUS_CODES[value] ?? 'UNSET';
}

/** OTLP/JSON enums MUST be integers, but the protobuf JSON mapping also allows names: accept both. */
export function spanKindFromJson(value: unknown): SpanKind {
  if (typeof value === 'number') return spanKindFromNumber(value);
  if (typeof value === 'string') {
    const name = value.startsWith('SPAN_KIND_') ? value.slice('SPAN_KIND_'.length) : value.toUpperCase();
    return (SPAN_KINDS as readonly string[]).includes(name) ? (name as SpanKind) : 'UNSPECIFIED';
  }
  return 'UNSPECIFIED';
}

export function statusCodeFromJson(value: unknown): StatusCode {
  if (typeof value === 'number') return statusCodeFromNumber(value);
  if (typeof value === 'string') {
    const name = value.startsWith('STATUS_CODE_') ? value.slice('STATUS_CODE_'.length) : value.toUpperCase();
    return (STATUS_CODES as readonly string[]).includes(name) ? (name as StatusCode) : 'UNSET';
  }
  return 'UNSET';
}

const SEVERITY_NAMES = ['UNSPECIFIED', 'TRACE', 'TRACE2', 'TRACE3', 'TRACE4', 'DEBUG', 'DEBUG2', 'DEBUG3', 'DEBUG4',
  'INFO', 'INFO2', 'INFO3', 'INFO4', 'WARN', 'WARN2', 'WARN3', 'WARN4', 'ERROR', 'ERROR2', 'ERROR3', 'ERROR4',
  'FATAL', 'FATAL2', 'FATAL3', 'FATAL4'];

export function severityFromJson(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const index = SEVERITY_NAMES.indexOf(value.replace(/^SEVERITY_NUMBER_/, ''));
    return index >= 0 ? index : 0;
  }
  return 0;
}
