// The root candidates of a trace: whatever order spans arrive, leave and change in, the earliest one
// is the one a full scan of the set would pick.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RootCandidates } from '../../../src/store/rootCandidates';
import { compareNano } from '../../../src/store/spanMeta';

interface Ref {
  spanId: string;
  start: string;
}

function scanEarliest(members: Set<Ref>): Ref | undefined {
  let best: Ref | undefined;
  for (const ref of members) {
    const byStart = best ? compareNano(ref.start, best.start) : -1;
    if (!best || byStart < 0 || (byStart === 0 && ref.spanId < best.spanId)) best = ref;
  }
  return best;
}

/** A small deterministic generator, so a failure replays the same steps. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test('the earliest candidate matches a full scan through adds, deletes and start changes', () => {
  const next = random(7);
  for (let run = 0; run < 200; run++) {
    const candidates = new RootCandidates<Ref>();
    const members = new Set<Ref>();
    const refs: Ref[] = Array.from({ length: 1 + Math.floor(next() * 120) }, (_, i) => ({
      spanId: `span${i}`,
      start: String(1_700_000_000_000_000_000n + BigInt(Math.floor(next() * 50))),
    }));
    for (let step = 0; step < 400; step++) {
      const ref = refs[Math.floor(next() * refs.length)];
      const action = next();
      if (action < 0.45) {
        candidates.add(ref);
        members.add(ref);
      } else if (action < 0.9) {
        candidates.delete(ref);
        members.delete(ref);
      } else {
        ref.start = String(1_700_000_000_000_000_000n + BigInt(Math.floor(next() * 50)));
        candidates.startChanged(ref);
      }
      assert.equal(candidates.earliest(), scanEarliest(members), `run ${run}, step ${step}`);
      for (const r of refs) assert.equal(candidates.has(r), members.has(r));
    }
  }
});

test('a trace whose root arrives last is back to its one candidate', () => {
  // Children end first: each arrives as a candidate and leaves when its parent arrives.
  const candidates = new RootCandidates<Ref>();
  const spans = Array.from({ length: 100 }, (_, i) => ({ spanId: `s${i}`, start: String(1000 + i) }));
  for (let i = spans.length - 1; i >= 0; i--) {
    candidates.add(spans[i]);
    if (i + 1 < spans.length) candidates.delete(spans[i + 1]);
  }
  assert.equal(candidates.earliest(), spans[0]);
  // No heap of stale entries stays behind for a finished trace (the index holds thousands of them).
  assert.equal((candidates as unknown as { members?: Set<Ref> }).members, undefined);
  candidates.delete(spans[0]);
  assert.equal(candidates.earliest(), undefined);
});
