// "Do this soon, once": however many times it is asked for before it runs, `run` runs once, `delayMs`
// after the first ask (a retry, a count read again after a burst of changes, a list queried again).

export class CoalescedTimer {
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly delayMs: number,
    private readonly run: () => void,
  ) {}

  /** A run is due and has not happened yet. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Runs `run` after the delay, unless a run is pending already (or the timer is disposed). */
  schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, this.delayMs);
  }

  /** The pending run, if any, does not happen; nor does any asked for later. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
