// How long a failed disk write waits before it is tried again (a full disk, a folder made read-only):
// 1 s, doubling to 30 s, for the segment writer and the state file alike.
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** The wait after another failure, given the last one (0 after a success). */
export function nextRetryDelay(previousMs: number): number {
  return Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, previousMs * 2));
}
