// Several VS Code windows share one globalStorage directory, but only one process may append to the
// store and own the receiver ports. A lock file holding the owner's pid decides which; a lock whose
// process is gone is stale and taken over, which is how another window takes over when the owner closes.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface StoreLock {
  readonly path: string;
  release(): void;
}

/** Whether a process runs (a lock's or owner.json's holder). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the process that holds the lock of `dir`, if one does. */
export function storeLockOwner(dir: string): number | undefined {
  return readOwner(join(dir, 'owner.lock'));
}

/** Takes the lock of `dir` for this process, or returns undefined when a live process holds it. */
export function tryAcquireStoreLock(dir: string): StoreLock | undefined {
  const path = join(dir, 'owner.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx' creates atomically: of two windows starting together, exactly one succeeds.
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return lockHandle(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = readOwner(path);
      // Left behind by this same process (e.g. the extension was restarted in place): still ours.
      if (owner === process.pid) return lockHandle(path);
      if (owner !== undefined && isAlive(owner)) return undefined;
      // Stale (owner crashed or was killed): remove and try once more.
      try {
        unlinkSync(path);
      } catch {
        // Another window removed it first; the retry decides.
      }
    }
  }
  return undefined;
}

function lockHandle(path: string): StoreLock {
  let released = false;
  return {
    path,
    release: () => {
      if (released) return;
      released = true;
      if (readOwner(path) === process.pid) unlinkSync(path);
    },
  };
}
