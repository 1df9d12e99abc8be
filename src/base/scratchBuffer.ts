// One buffer reused for bytes that are used up before the next use: the store's index entries, encoded
// and written once per batch by a loop that runs one batch at a time.
//
// Why not a fresh buffer per batch: that memory lies outside the JS heap, and on V8 13 (VS Code's
// Electron, Node 24) every 64 MB of it that has not been collected yet starts a full mark of the heap,
// which in the extension host holds the whole trace index (see src/ingest/sharedBodyPool.ts).
export class ScratchBuffer {
  private buf: Buffer = Buffer.alloc(0);

  /**
   * `size` bytes, valid until the next call: whatever the previous call returned, and every view into
   * it, is overwritten from then on. Grows (to at least twice its size) and never shrinks.
   */
  take(size: number): Buffer {
    if (this.buf.length < size) this.buf = Buffer.allocUnsafeSlow(Math.max(size, this.buf.length * 2));
    return this.buf.subarray(0, size);
  }
}
