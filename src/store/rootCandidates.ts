// The spans of a trace whose parent is absent, with the earliest one at hand. While a trace streams in,
// children end (and arrive) before their parents, so this set can hold most of the trace and loses its
// earliest member every time a parent arrives; a min-heap with lazy deletion keeps each of those steps
// O(log n) instead of a rescan of the set (which made such a trace O(n²)). Most traces have exactly one
// candidate, so the set and heap are only allocated once a second one shows up.
import { compareNano } from './spanMeta';

export interface RootCandidate {
  spanId: string;
  start: string;
}

interface HeapEntry<T extends RootCandidate> {
  start: string;
  ref: T;
}

/** Earlier start first; equal starts by span id so the choice is stable across re-sent spans. */
function before<T extends RootCandidate>(a: HeapEntry<T>, b: HeapEntry<T>): boolean {
  const byStart = compareNano(a.start, b.start);
  return byStart < 0 || (byStart === 0 && a.ref.spanId < b.ref.spanId);
}

// Shared by every instance until it needs a heap of its own (only written after `this.heap = []`).
const EMPTY: never[] = [];

export class RootCandidates<T extends RootCandidate> {
  private only: T | undefined;
  private members: Set<T> | undefined;
  private heap: HeapEntry<T>[] = EMPTY;

  has(ref: T): boolean {
    return this.members ? this.members.has(ref) : this.only === ref;
  }

  add(ref: T): void {
    if (!this.members) {
      if (this.only === undefined || this.only === ref) {
        this.only = ref;
        return;
      }
      const first = this.only;
      this.only = undefined;
      this.members = new Set([first]);
      this.heap = [];
      this.push({ start: first.start, ref: first });
    }
    this.members.add(ref);
    this.push({ start: ref.start, ref });
  }

  delete(ref: T): void {
    if (!this.members) {
      if (this.only === ref) this.only = undefined;
      return;
    }
    this.members.delete(ref);
    if (this.members.size <= 1) {
      // The usual end of a streamed trace: its root arrived last. Back to one field, so the index
      // does not keep a set and a heap of stale entries for each of its (many) finished traces.
      const [last] = this.members;
      this.clear();
      this.only = last;
      return;
    }
    // Stale entries only leave the heap when they reach the top; rebuild before they pile up.
    if (this.heap.length > 64 && this.heap.length > 2 * this.members.size) this.rebuild();
  }

  /** A member's start time changed (re-sent span): its old heap entry becomes stale. */
  startChanged(ref: T): void {
    if (this.members?.has(ref)) this.push({ start: ref.start, ref });
  }

  earliest(): T | undefined {
    if (!this.members) return this.only;
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (this.members.has(top.ref) && top.start === top.ref.start) return top.ref;
      this.pop();
    }
    return undefined;
  }

  clear(): void {
    this.only = undefined;
    this.members = undefined;
    this.heap = EMPTY;
  }

  private rebuild(): void {
    this.heap = [];
    for (const ref of this.members ?? []) this.push({ start: ref.start, ref });
  }

  private push(entry: HeapEntry<T>): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as HeapEntry<T>;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
