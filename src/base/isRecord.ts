// Unknown JSON (a file another window wrote, a command's argument) checked before its fields are read.

/** An object whose fields can be read (any object but null; arrays too, whose named fields are absent). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
