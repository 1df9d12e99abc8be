// Small structured state in `<store dir>/state.json`, kept with lowdb (atomic temp-file + rename
// writes): pins, and what the index was derived with. (The replay history has a file of its own, which
// every window writes: replay/replayHistory.ts.) Other modules add
// their own optional section with declaration merging, so reads and writes stay typed:
//
//   declare module '../store/stateDb' {
//     interface SpanlightState { indexedWith?: IndexedWith }
//   }
//
import type { Low } from 'lowdb' with { 'resolution-mode': 'import' };
import { openJsonFile, readOrSetAside } from './jsonFileDb';
import { nextRetryDelay } from './retryDelay';
import { storeError } from './storeErrors';

export interface SpanlightState {
  version: 1;
  pinnedTraceIds: string[];
}

const DEFAULT_STATE: SpanlightState = { version: 1, pinnedTraceIds: [] };

export class StateDb {
  private writing: Promise<void> = Promise.resolve();
  /** Set while a failed write waits to be tried again (see write). */
  private retry: NodeJS.Timeout | undefined;
  private retryDelay = 0;
  private closed = false;

  private constructor(
    private readonly db: Low<SpanlightState>,
    private readonly file: string,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Opens (or creates) the state file; a corrupt file is set aside and replaced by defaults. */
  static async open(file: string, onError: (err: Error) => void): Promise<StateDb> {
    const db = await openJsonFile<SpanlightState>(file, DEFAULT_STATE);
    const damaged = await readOrSetAside(db, file, DEFAULT_STATE);
    if (damaged) onError(storeError('read', file, damaged.error, `The file was moved to ${damaged.aside} and pins start empty`));
    db.data = sanitize(db.data);
    return new StateDb(db, file, onError);
  }

  /** The current value of a section. Treat it as read-only: change it through `update`. */
  get<K extends keyof SpanlightState>(key: K): Readonly<SpanlightState[K]> {
    return this.db.data[key];
  }

  /**
   * Changes the state in memory now and writes it; writes are serialized and the last one wins. A failed
   * write (a full disk, a folder made read-only) rejects and is tried again with backoff (1 s → 30 s),
   * as the store's records are: each write is the whole state, so the next one that lands saves it all.
   * Without that, a pin made then was kept in memory only, and lost at the next start.
   */
  update(mutate: (state: SpanlightState) => void): Promise<void> {
    mutate(this.db.data);
    return this.write();
  }

  /** Resolves when every write started so far has finished (successfully or not). */
  flush(): Promise<void> {
    return this.writing;
  }

  /** Stops retrying, after one last try when a write is still owed. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = undefined;
      await this.write().catch((err: Error) => this.onError(err));
    }
    await this.writing;
  }

  private write(): Promise<void> {
    if (this.retry) {
      // This write saves what the pending retry would have.
      clearTimeout(this.retry);
      this.retry = undefined;
    }
    const write = this.writing.then(() => this.db.write());
    this.writing = write.then(
      () => {
        this.retryDelay = 0;
      },
      () => this.retryLater(),
    );
    return write.catch((err: unknown) => {
      throw storeError('write', this.file, err, this.closed ? undefined : 'Spanlight tries again every few seconds');
    });
  }

  private retryLater(): void {
    if (this.closed || this.retry) return;
    this.retryDelay = nextRetryDelay(this.retryDelay);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      // Reported once, by the caller of the write that failed first; a later failure is quiet.
      this.write().catch(() => undefined);
    }, this.retryDelay);
    // A retry must not keep a CLI or a test process alive.
    this.retry.unref();
  }
}

/** state.json is user-editable: keep only well-typed known fields, and pass other sections through. */
function sanitize(data: unknown): SpanlightState {
  const loaded = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const pins = Array.isArray(loaded.pinnedTraceIds) ? loaded.pinnedTraceIds.filter((id): id is string => typeof id === 'string') : [];
  return { ...(loaded as Partial<SpanlightState>), version: 1, pinnedTraceIds: pins };
}
