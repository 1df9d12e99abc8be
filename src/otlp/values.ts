// OTLP AnyValue → JSON, from protobufjs messages and from OTLP/JSON objects.
// Recursion is bounded by ANY_VALUE_DEPTH_LIMIT, so a hostile payload (100k nested kvlists) costs
// one marker string instead of a stack overflow; JSON.parse itself is iterative in V8.
import type { Attributes, JsonValue } from '../protocol/model';
import { int64FromJson, int64ToJson, type PbInt64 } from './scalars';

/** Nesting levels of arrays/kvlists kept per attribute value; deeper values become DEPTH_LIMIT_MARKER. */
export const ANY_VALUE_DEPTH_LIMIT = 32;
export const DEPTH_LIMIT_MARKER = '[depth limit]';

/** The protobufjs-decoded shapes we read (fields absent from the wire fall back to prototype defaults). */
export interface PbAnyValue {
  /** A Uint8Array when decoded with the split schema (otlpSchema.ts), which defers UTF-8 decoding. */
  stringValue?: string | Uint8Array;
  boolValue?: boolean;
  intValue?: PbInt64;
  doubleValue?: number;
  arrayValue?: { values: PbAnyValue[] } | null;
  kvlistValue?: { values: PbKeyValue[] } | null;
  bytesValue?: Uint8Array;
}
export interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Assigns without letting a wire key named `__proto__` replace the object's prototype.
 * Plain objects (not Object.create(null)) so consumers can compare them with ordinary literals.
 */
export function setKey(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** JSON has no NaN/Infinity: keep them readable as strings rather than letting them become null. */
function finiteOrString(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

export function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

export function anyValueFromPb(v: PbAnyValue | null | undefined, depth = 0): JsonValue {
  if (!v) return null;
  // protobufjs puts oneof defaults ('' / false / 0) on the prototype, so presence is an own property.
  if (hasOwn.call(v, 'stringValue')) {
    const s = v.stringValue ?? '';
    return typeof s === 'string' ? s : utf8(s);
  }
  if (hasOwn.call(v, 'intValue')) return int64ToJson(v.intValue ?? 0);
  if (hasOwn.call(v, 'boolValue')) return v.boolValue === true;
  if (hasOwn.call(v, 'doubleValue')) return finiteOrString(v.doubleValue ?? 0);
  if (v.kvlistValue) {
    if (depth >= ANY_VALUE_DEPTH_LIMIT) return DEPTH_LIMIT_MARKER;
    return attributesFromPb(v.kvlistValue.values, depth + 1);
  }
  if (v.arrayValue) {
    if (depth >= ANY_VALUE_DEPTH_LIMIT) return DEPTH_LIMIT_MARKER;
    const values = v.arrayValue.values;
    const out: JsonValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = anyValueFromPb(values[i], depth + 1);
    return out;
  }
  if (hasOwn.call(v, 'bytesValue') && v.bytesValue) return Buffer.from(v.bytesValue).toString('base64');
  // Spec: an AnyValue with no field set is an empty value.
  return null;
}

export function attributesFromPb(list: readonly PbKeyValue[] | null | undefined, depth = 0): Attributes {
  const out: Attributes = {};
  if (!list) return out;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i];
    setKey(out, kv.key, anyValueFromPb(kv.value, depth));
  }
  return out;
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** OTLP/JSON field: lowerCamelCase per the spec, but protobuf JSON parsers also accept the proto name. */
export function field(obj: Record<string, unknown>, camel: string, snake: string): unknown {
  const v = obj[camel];
  return v !== undefined ? v : obj[snake];
}

export function anyValueFromJson(raw: unknown, depth = 0): JsonValue {
  const v = asRecord(raw);
  if (!v) return null;
  const s = field(v, 'stringValue', 'string_value');
  if (s !== undefined) return typeof s === 'string' ? s : s === null ? null : String(s);
  const i = field(v, 'intValue', 'int_value');
  if (i !== undefined) return int64FromJson(i) ?? null;
  const b = field(v, 'boolValue', 'bool_value');
  if (b !== undefined) return b === true || b === 'true';
  const d = field(v, 'doubleValue', 'double_value');
  if (d !== undefined) return doubleFromJson(d);
  const kv = field(v, 'kvlistValue', 'kvlist_value');
  if (kv !== undefined) {
    if (depth >= ANY_VALUE_DEPTH_LIMIT) return DEPTH_LIMIT_MARKER;
    return attributesFromJson(asRecord(kv)?.values, depth + 1);
  }
  const arr = field(v, 'arrayValue', 'array_value');
  if (arr !== undefined) {
    if (depth >= ANY_VALUE_DEPTH_LIMIT) return DEPTH_LIMIT_MARKER;
    const values = asRecord(arr)?.values;
    if (!Array.isArray(values)) return [];
    const out: JsonValue[] = new Array(values.length);
    for (let k = 0; k < values.length; k++) out[k] = anyValueFromJson(values[k], depth + 1);
    return out;
  }
  const bytes = field(v, 'bytesValue', 'bytes_value');
  // Bytes are base64 in OTLP/JSON already; keep them as sent.
  if (typeof bytes === 'string') return bytes;
  return null;
}

/** Protobuf JSON mapping: doubles may be numbers or strings, including "NaN" and "Infinity". */
export function doubleFromJson(value: unknown): number | string | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    return Number.isNaN(n) && value !== 'NaN' ? null : finiteOrString(n);
  }
  return null;
}

export function attributesFromJson(list: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (let i = 0; i < list.length; i++) {
    const kv = asRecord(list[i]);
    if (!kv || typeof kv.key !== 'string') continue;
    setKey(out, kv.key, anyValueFromJson(kv.value, depth));
  }
  return out;
}
