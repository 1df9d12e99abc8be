// Decoding the short UTF-8 strings of OTLP protobuf (keys, names, small values) cheaply: they are most
// of the strings of a span, and most of them repeat from span to span.

/**
 * UTF-8 text of buf[start, end): Buffer's own utf8Slice, as protobufjs uses it. Buffer#toString checks
 * and dispatches its arguments on every call, which costs more than decoding a short attribute key.
 */
export function utf8Range(buf: Buffer, start: number, end: number): string {
  return (buf as Buffer & { utf8Slice(start: number, end: number): string }).utf8Slice(start, end);
}

/**
 * Attribute keys repeat on every span of every export (a few dozen distinct ones per app), and so do
 * many short values (operation, provider and model names, span names). Each such string is decoded
 * once and found again by its bytes, which also hands V8 the same (internalized) string for every
 * property set with it and spares the young-generation GC a copy per span.
 *
 * Direct-mapped: a slot per cheap hash of the length and three bytes, and a string that stays in its
 * slot until another one lands there. Only ASCII strings are kept, so a hit is checked against the
 * bytes character by character, without a copy of them: a string decoded from as many bytes as it
 * has characters, each equal to its byte, is those bytes (a non-ASCII character takes two or more
 * bytes, and an invalid byte decodes to U+FFFD, which equals no byte).
 */
export class ShortStrings {
  /** Longer strings are mostly unique (ids, URLs, text): decoded each time. */
  static readonly MAX_BYTES = 64;
  private static readonly SLOT_BITS = 12;
  private readonly slots: (string | undefined)[] = new Array(1 << ShortStrings.SLOT_BITS).fill(undefined);

  text(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > ShortStrings.MAX_BYTES) return utf8Range(buf, start, end);
    const hash =
      Math.imul(length, 0x9e3779b1) ^
      Math.imul(buf[start], 0x85ebca6b) ^
      Math.imul(buf[start + (length >> 1)], 0x27d4eb2f) ^
      Math.imul(buf[end - 1], 0xc2b2ae35);
    const slot = hash >>> (32 - ShortStrings.SLOT_BITS);
    const known = this.slots[slot];
    if (known !== undefined && known.length === length && sameAscii(known, buf, start)) return known;
    const text = utf8Range(buf, start, end);
    if (text.length === length) this.slots[slot] = text;
    return text;
  }
}

function sameAscii(known: string, buf: Buffer, start: number): boolean {
  for (let i = 0; i < known.length; i++) if (known.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}
