// Free memory slots by size class (powers of two), for buffers reused from one request to the next
// (src/ingest/sharedBodyPool.ts, src/ingest/recordArenas.ts): a slot fits every size of its class,
// and at most `maxFreeBytes` of free slots are kept.
export class SlotPool<T extends { readonly byteLength: number }> {
  /** Free slots by size class (log2 of their size). */
  private readonly free = new Map<number, T[]>();
  private freeBytes = 0;

  constructor(
    private readonly create: (bytes: number) => T,
    private readonly maxFreeBytes: number,
  ) {}

  /** A free slot of `size` rounded up to a power of two, or a new one. */
  take(size: number): T {
    const sizeClass = Math.ceil(Math.log2(Math.max(1, size)));
    const slot = this.free.get(sizeClass)?.pop();
    if (!slot) return this.create(2 ** sizeClass);
    this.freeBytes -= slot.byteLength;
    return slot;
  }

  /** A slot from take() that nothing uses any more; dropped when the pool holds enough free ones. */
  giveBack(slot: T): void {
    if (this.freeBytes + slot.byteLength > this.maxFreeBytes) return;
    const sizeClass = Math.log2(slot.byteLength);
    let slots = this.free.get(sizeClass);
    if (!slots) this.free.set(sizeClass, (slots = []));
    slots.push(slot);
    this.freeBytes += slot.byteLength;
  }
}
