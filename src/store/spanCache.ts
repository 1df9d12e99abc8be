// Recently written or read record lines, keyed by version seq, bounded by characters. Lines (not
// parsed spans) are cached: a string costs about its length, a parsed span two to three times more,
// and every reader gets its own fresh objects to mutate as it likes.
//
// Two generations instead of a strict LRU: new and re-read lines go to `young`; when it holds half the
// budget it becomes `old` and the previous `old` is dropped whole. A Map-based LRU evicts from the front
// of the Map one entry per insert, and V8 Maps leave holes there that every eviction has to skip again
// until the table is rehashed: at 100k spans that made inserts measurably slower as the store filled.

export class SpanCache {
  private young = new Map<number, string>();
  private old = new Map<number, string>();
  private youngChars = 0;
  private oldChars = 0;

  constructor(private readonly maxChars: number) {}

  get(seq: number): string | undefined {
    const line = this.young.get(seq);
    if (line !== undefined) return line;
    const aging = this.old.get(seq);
    if (aging !== undefined) {
      // Still in use: move it to the young generation so it survives the next turnover.
      this.old.delete(seq);
      this.oldChars -= aging.length;
      this.set(seq, aging);
    }
    return aging;
  }

  set(seq: number, line: string): void {
    const half = this.maxChars / 2;
    if (line.length > half) return;
    this.delete(seq);
    if (this.youngChars + line.length > half) {
      this.old = this.young;
      this.oldChars = this.youngChars;
      this.young = new Map();
      this.youngChars = 0;
    }
    this.young.set(seq, line);
    this.youngChars += line.length;
  }

  delete(seq: number): void {
    const young = this.young.get(seq);
    if (young !== undefined) {
      this.young.delete(seq);
      this.youngChars -= young.length;
      return;
    }
    const old = this.old.get(seq);
    if (old !== undefined) {
      this.old.delete(seq);
      this.oldChars -= old.length;
    }
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngChars = this.oldChars = 0;
  }

  get chars(): number {
    return this.youngChars + this.oldChars;
  }
}
