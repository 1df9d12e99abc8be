// Buffers for big OTLP protobuf request bodies, reused from one export to the next and shared with the
// index worker instead of copied to it.
//
// Why: a fresh 1 MB buffer per export for the body and a second one for the worker's copy are garbage
// outside the JS heap (ArrayBuffer memory). V8 11 (Node 20) collects it in young-generation GCs; the V8
// 13 of current Electron (VS Code's extension host) and Node 24 starts a full mark of the heap each
// time such memory has grown by 64 MB, and the main isolate's heap is the whole trace index. Measured on
// Node 24 (bench/ingest.ts, 2 cores): 13 mark-compacts and 2.1 s of marking over a run, against 3 and
// 0.2 s when V8 counts that memory with the rest of the heap. A SharedArrayBuffer reused for every
// body is allocated once, and a worker reads it in place: no copy, no garbage on either thread.
//
// A lease is the caller's until it releases it: the bytes must not be read after that (the next
// export is written over them). Leases are by size class (powers of two), so a slot fits every body
// of its class; the pool keeps at most MAX_POOLED_BYTES of free slots.

import { SlotPool } from '../base/slotPool';
import type { BodyLease } from '../receiver/sink';

/** Bodies smaller than this are not worth a slot (they are also indexed inline, see SpanIndexer). */
export const MIN_LEASE_BYTES = 64 * 1024;
/** The largest body a slot is made for; bigger ones (rare: the body limit is 16 MiB) get no lease. */
export const MAX_LEASE_BYTES = 16 * 1024 * 1024;
/** Free slots kept for reuse, in bytes: a few exports in flight at the SDKs' 1 MB batches. */
export const MAX_POOLED_BYTES = 32 * 1024 * 1024;

/**
 * Node always has SharedArrayBuffer; an embedder could withhold it (browsers do without cross-origin
 * isolation). Without it there are no leases, and bodies are read and copied as before.
 */
const SHARED_MEMORY = typeof SharedArrayBuffer === 'function';

/** Whether `bytes` is a lease's memory, which a worker can read in place (see SpanIndexer.index). */
export function isShared(bytes: Uint8Array): boolean {
  return SHARED_MEMORY && bytes.buffer instanceof SharedArrayBuffer;
}

export class SharedBodyPool {
  private readonly slots = new SlotPool((bytes) => new SharedArrayBuffer(bytes), MAX_POOLED_BYTES);

  /** A slot for a body of `size` bytes, or undefined when it is too small or too big for one. */
  lease(size: number): BodyLease | undefined {
    if (!SHARED_MEMORY || !Number.isSafeInteger(size) || size < MIN_LEASE_BYTES || size > MAX_LEASE_BYTES) return undefined;
    const slot = this.slots.take(size);
    let released = false;
    return {
      bytes: new Uint8Array(slot, 0, size),
      release: () => {
        if (released) return;
        released = true;
        this.slots.giveBack(slot);
      },
    };
  }
}
