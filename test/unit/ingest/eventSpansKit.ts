// What the agent-event tests (claudeCodeEvents, codexEvents, geminiCliEvents) feed their modules junk
// with, and what every span those modules make must be.
import assert from 'node:assert/strict';
import { normalizeSpan } from '../../../src/ingest/normalizeSpan';
import type { PromptSpans } from '../../../src/ingest/eventSpans';
import type { JsonValue } from '../../../src/protocol/model';

/** Values of every wrong type an attribute may hold. */
export const JUNK: readonly (JsonValue | undefined)[] = [undefined, null, '', 'x', '12', -5, 1e300, Number.NaN, true, [], { a: 1 }, '9'.repeat(40)];

/** A deterministic `random(n)` in [0, n). */
export function seededRandom(seed: number): (n: number) => number {
  let state = seed;
  return (n) => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % n);
}

/** Decimal times in order, each child under its turn's root, and every span normalizes. */
export function assertWellFormed(groups: readonly PromptSpans[]): void {
  for (const { root, children } of groups) {
    for (const s of [root, ...children]) {
      assert.match(s.startTimeUnixNano, /^\d+$/);
      assert.ok(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano));
      assert.ok(normalizeSpan(s, []));
    }
    for (const child of children) assert.equal(child.parentSpanId, root.spanId);
  }
}
