// Which workspace file a path recorded elsewhere (a container, another machine, CI) stands for, when it
// is not in the workspace as written: the file whose path shares the longest tail with it. Pure, so
// the choice is tested apart from VS Code (views/openSource.ts finds the candidates).

/** A path's segments, either slash; empty ones and `.` dropped. */
export function pathSegments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

/** How many trailing path segments two paths share (case-sensitive: most runtimes record exact case). */
export function sharedTail(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/**
 * The candidate (workspace-relative path segments) that stands for `recorded`: the longest shared tail,
 * then the shortest path (`src/agent.py` before `tests/fixtures/agent.py`), then the first in path order,
 * so the same trace always opens the same file. -1 when none shares even the file name.
 */
export function closestByTail(recorded: readonly string[], candidates: readonly (readonly string[])[]): number {
  let best = -1;
  let bestTail = 0;
  for (let i = 0; i < candidates.length; i++) {
    const tail = sharedTail(recorded, candidates[i]);
    if (tail === 0 || tail < bestTail) continue;
    if (tail > bestTail || isCloser(candidates[i], candidates[best])) {
      best = i;
      bestTail = tail;
    }
  }
  return best;
}

function isCloser(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  return a.join('/') < b.join('/');
}
