// Typed, never-throwing readers for span attributes and for JSON decoded from them.
// Attributes arrive as OTLP AnyValues flattened to JSON (src/otlp): a structured attribute may be a
// decoded array/object or a JSON string, and an int64 may be a number or a decimal string
// (OTLP/JSON encodes intValue as a string). Every reader accepts all of these.
import type { JsonValue } from '../protocol/model';

export type JsonObject = { [key: string]: JsonValue };
/** A flat record of JSON values: span attributes, or one row gathered by `collectIndexed`. */
export type FlatRecord = Readonly<Record<string, JsonValue>>;

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or undefined. Empty strings are how several instrumentations say "absent". */
export function asString(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function asNumber(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** `n` unless it is negative: a reported cost below zero is a recorder's bug, not a refund. */
export function nonNegative(n: number | undefined): number | undefined {
  return n !== undefined && n >= 0 ? n : undefined;
}

export function asBoolean(value: JsonValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** A string array from an array attribute, a JSON-encoded array, or a single string. */
export function asStringArray(value: JsonValue | undefined): string[] | undefined {
  let v = value;
  if (typeof v === 'string') {
    if (v.charCodeAt(0) !== 0x5b /* [ */) return v === '' ? undefined : [v];
    const parsed = parseJson(v);
    if (!parsed.ok) return [v];
    v = parsed.value;
  }
  if (!Array.isArray(v)) return undefined;
  const out: string[] = [];
  for (const item of v) {
    if (typeof item === 'string') out.push(item);
    else if (typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
  }
  return out;
}

/** The value as display text: strings unchanged, everything else as compact JSON. */
export function textOf(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** textOf for a value a recorder may leave out or empty (a content tag of Haystack's or Genkit's): nothing then, not an empty text. */
export function presentText(value: JsonValue | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : textOf(value);
}

export type JsonParse = { ok: true; value: JsonValue } | { ok: false; raw: string };

/** `JSON.parse` that reports failure instead of throwing (instrumentations truncate long JSON). */
export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return { ok: false, raw: text };
  }
}

/**
 * A JSON-or-string attribute value: decoded arrays/objects pass through, strings that look like a
 * JSON object or array are parsed once, other strings are returned as themselves.
 * Returns undefined for a missing value; `ok: false` carries the raw text of malformed JSON.
 */
export function readJson(value: JsonValue | undefined): JsonParse | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return { ok: true, value };
  const first = firstNonSpace(value);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return { ok: true, value };
  return parseJson(value);
}

/**
 * Display text of an attribute that holds JSON-serialized data (Langfuse and Traceloop serialize every
 * input/output with JSON.stringify): a JSON string literal is unquoted, anything else is kept verbatim.
 */
export function serializedText(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return textOf(value);
  if (value.length >= 2 && value.charCodeAt(0) === 0x22 /* " */) {
    const parsed = parseJson(value);
    if (parsed.ok && typeof parsed.value === 'string') return parsed.value;
  }
  return value;
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return c;
  }
  return -1;
}

/**
 * Gathers `prefix.N.rest` keys into rows ordered by N, each row mapping `rest` to the value.
 * One pass over the keys; the caller passes `keys` when it already has them (the dispatcher does).
 * Indexes may be sparse (an instrumentation skipped a message): rows keep their relative order.
 */
export function collectIndexed(
  source: FlatRecord,
  prefix: string,
  keys: readonly string[] = Object.keys(source),
): Record<string, JsonValue>[] {
  // Integer-like keys of a plain object enumerate in ascending numeric order: no sort needed.
  let byIndex: Record<number, Record<string, JsonValue>> | undefined;
  const start = prefix.length;
  for (const key of keys) {
    if (key.length <= start || !key.startsWith(prefix)) continue;
    let index = 0;
    let i = start;
    for (; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      index = index * 10 + (c - 0x30);
    }
    // Need at least one digit followed by '.' and a non-empty rest.
    if (i === start || key.charCodeAt(i) !== 0x2e || i + 1 >= key.length) continue;
    // Null-prototype rows: a key ending in `__proto__` must stay a plain entry.
    byIndex ??= Object.create(null) as Record<number, Record<string, JsonValue>>;
    const row = (byIndex[index] ??= Object.create(null) as Record<string, JsonValue>);
    row[key.slice(i + 1)] = source[key];
  }
  return byIndex ? Object.values(byIndex) : [];
}

/** One output field and the attributes that may hold it, most preferred first. */
export type NumberFieldSource<K extends string> = readonly [field: K, ...attributes: string[]];

/**
 * Reads numeric fields (token counts, sampling params) from a table of attribute names: each field
 * takes the first of its attributes that holds a number. Undefined when none is present.
 */
export function readNumberFields<K extends string>(
  source: FlatRecord,
  table: readonly NumberFieldSource<K>[],
): Partial<Record<K, number>> | undefined {
  let out: Partial<Record<K, number>> | undefined;
  // Index loops: `[field, ...attributes]` destructuring allocated an array per row on every span.
  for (let r = 0; r < table.length; r++) {
    const row = table[r];
    for (let i = 1; i < row.length; i++) {
      const n = asNumber(source[row[i]]);
      if (n !== undefined) {
        (out ??= {} as Partial<Record<K, number>>)[row[0]] = n;
        break;
      }
    }
  }
  return out;
}
