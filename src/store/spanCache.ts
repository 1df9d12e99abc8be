// Recently read record lines (UTF-8 bytes), keyed by version seq, bounded by bytes. Lines just written
// are not cached (see TraceStore.upsertOne). Lines (not parsed spans) are cached: they cost about their
// size, a parsed span two to three times more, and every reader gets its own fresh objects to mutate as
// it likes. Bytes rather than strings: they live outside the JS heap, so the young-generation GC never
// copies them, and a line with one non-Latin-1 character costs one byte per ASCII character, not two.
//
// Two generations instead of a strict LRU: new and re-read lines go to `young`; when it holds half the
// budget it becomes `old` and the previous `old` is dropped whole. A Map-based LRU evicts from the front
// of the Map one entry per insert, and V8 Maps leave holes there that every eviction has to skip again
// until the table is rehashed: at 100k spans that made inserts measurably slower as the store filled.

/** Anything with a size: Buffers in the store (bytes), strings in tests (characters). */
export interface Sized {
  readonly length: number;
}

export class SpanCache<V extends Sized = Buffer> {
  private young = new Map<number, V>();
  private old = new Map<number, V>();
  private youngSize = 0;
  private oldSize = 0;

  constructor(
    private readonly maxSize: number,
    /**
     * Applied to a line that survives a turnover because it is still read: the store copies a line
     * that is a view into a whole batch's buffer (encodeOtlpRecords), so one popular span does not
     * keep its batch's megabyte alive for as long as it is read.
     */
    private readonly onKeep: (line: V) => V = (line) => line,
  ) {}

  get(seq: number): V | undefined {
    const line = this.young.get(seq);
    if (line !== undefined) return line;
    const aging = this.old.get(seq);
    if (aging !== undefined) {
      // Still in use: move it to the young generation so it survives the next turnover.
      this.old.delete(seq);
      this.oldSize -= aging.length;
      const kept = this.onKeep(aging);
      this.set(seq, kept);
      return kept;
    }
    return aging;
  }

  set(seq: number, line: V): void {
    const half = this.maxSize / 2;
    if (line.length > half) return;
    this.delete(seq);
    if (this.youngSize + line.length > half) {
      this.old = this.young;
      this.oldSize = this.youngSize;
      this.young = new Map();
      this.youngSize = 0;
    }
    this.young.set(seq, line);
    this.youngSize += line.length;
  }

  delete(seq: number): void {
    const young = this.young.get(seq);
    if (young !== undefined) {
      this.young.delete(seq);
      this.youngSize -= young.length;
      return;
    }
    const old = this.old.get(seq);
    if (old !== undefined) {
      this.old.delete(seq);
      this.oldSize -= old.length;
    }
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngSize = this.oldSize = 0;
  }

  /** Total length of what is cached: bytes of Buffers, characters of strings. */
  get size(): number {
    return this.youngSize + this.oldSize;
  }
}
