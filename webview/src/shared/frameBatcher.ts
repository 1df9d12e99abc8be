// Collects host messages and hands them over once per animation frame: a burst of 200 deltas costs one
// state update and one paint instead of 200 (DESIGN: never re-render per span).

export type FrameScheduler = (callback: () => void) => void;

export class FrameBatcher<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly flush: (batch: T[]) => void,
    /** `nextFrame` in the webviews; a manual scheduler in tests. */
    private readonly schedule: FrameScheduler,
  ) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.run());
  }

  /** Runs what is pending now (tests; and before reading state synchronously). */
  run(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.flush(batch);
  }
}
