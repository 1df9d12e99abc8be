// Replays kept across panels, windows and restarts: per model call, the request as last edited and its
// latest runs, in `replays.json` beside the store (lowdb, atomic writes). Every window that replays
// shares the file, so each change reads it afresh before writing it: two windows replaying at the same
// moment may lose one of the two runs, never the file. Bounded: the calls replayed most recently, and
// their latest runs; a file that cannot be read is set aside and replays start afresh.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { Low } from 'lowdb' with { 'resolution-mode': 'import' };
import { isRecord } from '../base/isRecord';
import { openJsonFile, readOrSetAside } from '../store/jsonFileDb';
import { REPLAY_RUNS_KEPT, type ReplayDraft, type ReplayRun } from '../protocol/replay';
import { isReplayDraft } from './replayDraft';

/** Calls whose replays are kept, most recently replayed first (a prompt can be tens of KB). */
export const MAX_CALLS = 50;
/** Runs kept per call. */
export const MAX_RUNS = REPLAY_RUNS_KEPT;

export interface ReplayRecord {
  /** `traceId/spanId` of the call replayed. */
  key: string;
  /** The request as last sent. */
  draft: ReplayDraft;
  /** Oldest first. */
  runs: ReplayRun[];
}

interface ReplayFile {
  version: 1;
  /** Most recently replayed last. */
  calls: ReplayRecord[];
}

const EMPTY: ReplayFile = { version: 1, calls: [] };

export class ReplayHistory {
  /** Changes of this window, one after the other (each reads the file the last one wrote). */
  private changing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Low<ReplayFile>,
    private readonly file: string,
    private readonly onError: (err: Error) => void,
  ) {}

  static async open(file: string, onError: (err: Error) => void): Promise<ReplayHistory> {
    return new ReplayHistory(await openJsonFile<ReplayFile>(file, EMPTY), file, onError);
  }

  /** The call's kept request and runs; undefined when it was never replayed (or they were dropped). */
  async get(key: string): Promise<ReplayRecord | undefined> {
    return (await this.read()).calls.find((call) => call.key === key);
  }

  /** Keeps a finished run of the call, with the request it sent. Failures go to onError: a replay works without its history. */
  record(key: string, draft: ReplayDraft, run: ReplayRun): Promise<void> {
    const change = this.changing.then(async () => {
      const data = await this.read();
      const kept = data.calls.find((call) => call.key === key);
      const calls = data.calls.filter((call) => call.key !== key);
      calls.push({ key, draft, runs: [...(kept?.runs ?? []), run].slice(-MAX_RUNS) });
      this.db.data = { version: 1, calls: calls.slice(-MAX_CALLS) };
      await fs.mkdir(dirname(this.file), { recursive: true });
      await this.db.write();
    });
    this.changing = change.catch(() => undefined);
    return change.catch((err: unknown) => this.onError(new Error(`Spanlight could not save the replay history in ${this.file}: ${err instanceof Error ? err.message : String(err)}`)));
  }

  /** The file as it is now (another window may have written it); damaged entries are left out. */
  private async read(): Promise<ReplayFile> {
    const damaged = await readOrSetAside(this.db, this.file, EMPTY);
    if (damaged) {
      const reason = damaged.error instanceof Error ? damaged.error.message : String(damaged.error);
      this.onError(new Error(`Spanlight could not read the replay history ${this.file} (${reason}): it was moved to ${damaged.aside}`));
    }
    const data: unknown = this.db.data;
    const calls: unknown = isRecord(data) ? data.calls : undefined;
    return { version: 1, calls: Array.isArray(calls) ? calls.filter(isReplayRecord) : [] };
  }
}

function isReplayRecord(value: unknown): value is ReplayRecord {
  return isRecord(value) && typeof value.key === 'string' && isReplayDraft(value.draft) && Array.isArray(value.runs) && value.runs.every(isRun);
}

function isRun(value: unknown): value is ReplayRun {
  if (!isRecord(value)) return false;
  const outcome = value.outcome;
  return (
    typeof value.id === 'number' &&
    typeof value.model === 'string' &&
    isRecord(outcome) &&
    typeof outcome.latencyMs === 'number' &&
    (outcome.ok === true ? Array.isArray(outcome.messages) && typeof outcome.usage === 'object' : typeof outcome.error === 'string')
  );
}
