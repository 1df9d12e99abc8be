// Free memory slots by size class (powers of two), for buffers reused from one request to the next
// (src/ingest/sharedBodyPool.ts, src/ingest/recordArenas.ts): a slot fits every size of its class,
// at most `maxFreeBytes` of free slots are kept, and none once the pool has been idle for `idleMs`:
// the memory a burst of exports needed goes back when the app stops sending (in VS Code, the
// extension host is shared with every other extension).
export class SlotPool<T extends { readonly byteLength: number }> {
  /** Free slots by size class (log2 of their size). */
  private readonly free = new Map<number, T[]>();
  private freeBytes = 0;
  private lastUse = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly create: (bytes: number) => T,
    private readonly maxFreeBytes: number,
    private readonly idleMs = 30_000,
  ) {}

  /** A free slot of `size` rounded up to a power of two, or a new one. */
  take(size: number): T {
    this.lastUse = Date.now();
    const sizeClass = Math.ceil(Math.log2(Math.max(1, size)));
    const slot = this.free.get(sizeClass)?.pop();
    if (!slot) return this.create(2 ** sizeClass);
    this.freeBytes -= slot.byteLength;
    return slot;
  }

  /** A slot from take() that nothing uses any more; dropped when the pool holds enough free ones. */
  giveBack(slot: T): void {
    this.lastUse = Date.now();
    if (this.freeBytes + slot.byteLength > this.maxFreeBytes) return;
    const sizeClass = Math.log2(slot.byteLength);
    let slots = this.free.get(sizeClass);
    if (!slots) this.free.set(sizeClass, (slots = []));
    slots.push(slot);
    this.freeBytes += slot.byteLength;
    this.dropWhenIdle(this.idleMs);
  }

  /** One timer per idle period, not one per use; it never keeps a process alive. */
  private dropWhenIdle(delay: number): void {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const idle = Date.now() - this.lastUse;
      if (idle < this.idleMs) {
        this.dropWhenIdle(this.idleMs - idle);
        return;
      }
      this.free.clear();
      this.freeBytes = 0;
    }, delay);
    this.idleTimer.unref?.();
  }
}
