// Recently written or read record lines, keyed by version seq, bounded by characters. Lines (not
// parsed spans) are cached: a string costs about its length, a parsed span two to three times more,
// and every reader gets its own fresh objects to mutate as it likes.

export class SpanCache {
  // Map iteration order is insertion order: re-inserting on hit makes the first key the least recent.
  private readonly lines = new Map<number, string>();
  private size = 0;

  constructor(private readonly maxChars: number) {}

  get(seq: number): string | undefined {
    const line = this.lines.get(seq);
    if (line !== undefined) {
      this.lines.delete(seq);
      this.lines.set(seq, line);
    }
    return line;
  }

  set(seq: number, line: string): void {
    if (line.length > this.maxChars) return;
    const old = this.lines.get(seq);
    if (old !== undefined) {
      this.size -= old.length;
      this.lines.delete(seq);
    }
    this.lines.set(seq, line);
    this.size += line.length;
    for (const [key, value] of this.lines) {
      if (this.size <= this.maxChars) break;
      this.lines.delete(key);
      this.size -= value.length;
    }
  }

  delete(seq: number): void {
    const line = this.lines.get(seq);
    if (line !== undefined) {
      this.size -= line.length;
      this.lines.delete(seq);
    }
  }

  clear(): void {
    this.lines.clear();
    this.size = 0;
  }

  get chars(): number {
    return this.size;
  }
}
