// The scheduler the webviews give their FrameBatcher (kept apart so the batcher stays DOM-free and testable).
import type { FrameScheduler } from './frameBatcher';

/**
 * Next animation frame, or 100 ms at the latest: browsers pause rAF in hidden or occluded frames, and
 * the state must not fall behind (or the queue grow) while the view is not painted.
 */
export const nextFrame: FrameScheduler = (callback) => {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    callback();
  };
  requestAnimationFrame(run);
  setTimeout(run, 100);
};
