// Memory for the store records of big exports, reused once the store has written them.
//
// Each 512-span export's records are cut out of its body into one ~1.3 MB buffer, which the store
// holds until its writer has appended them (~10 ms later). A fresh buffer per export is memory outside
// the JS heap that dies soon after; on V8 13 (VS Code's Electron, Node 24) every 64 MB of it starts a
// full mark of the main isolate's heap, the whole trace index (see sharedBodyPool.ts). Measured with
// bench/ingest.ts on Node 24: 7 mark-compacts and 1.06 s of marking per run with fresh buffers, 4 and
// 0.31 s with reused ones.
//
// An arena goes back to the pool only when it is sealed (the pipeline has handed all its lines to the
// store) and every line the store enqueued has been retired by its writer (written, or dropped as
// superseded or deleted). One that is never sealed is simply not reused: its memory is collected as
// any buffer's would be. The store copies a line it reads before it is written (TraceStore.readRecords).
import { SlotPool } from '../base/slotPool';
import type { LineOwner } from '../store/storeWriter';

/** Exports whose records need less than this get a buffer of their own (they are few and small). */
const MIN_ARENA_BYTES = 64 * 1024;
const MAX_ARENA_BYTES = 16 * 1024 * 1024;
/** Free arenas kept for reuse, in bytes: the exports a writer delay holds, with room for bursts. */
const MAX_POOLED_BYTES = 32 * 1024 * 1024;

export class RecordArena implements LineOwner {
  private held = 0;
  private retired = 0;
  private sealed = false;
  private done = false;

  constructor(
    /** Exactly the size asked for; the slot may be larger. */
    readonly bytes: Buffer,
    private readonly onFree: () => void,
  ) {}

  hold(): void {
    this.held++;
  }

  retire(): void {
    this.retired++;
    this.freeIfDone();
  }

  /** No more of its lines will reach the store. */
  seal(): void {
    this.sealed = true;
    this.freeIfDone();
  }

  private freeIfDone(): void {
    if (this.done || !this.sealed || this.retired < this.held) return;
    this.done = true;
    this.onFree();
  }
}

export class RecordArenaPool {
  private readonly slots = new SlotPool((bytes) => Buffer.allocUnsafeSlow(bytes), MAX_POOLED_BYTES);

  /** An arena of `size` bytes, or undefined when the size is not worth pooling. */
  take(size: number): RecordArena | undefined {
    if (size < MIN_ARENA_BYTES || size > MAX_ARENA_BYTES) return undefined;
    const slot = this.slots.take(size);
    return new RecordArena(slot.subarray(0, size), () => this.slots.giveBack(slot));
  }
}
