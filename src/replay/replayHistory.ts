// Replays kept across panels, windows and restarts: per model call, the request as last edited and its
// latest runs, and the variants of its request the user saved by name, in `replays.json` beside the store
// (lowdb, atomic writes). Every window that replays shares the file, so each change reads it afresh
// before writing it: two windows replaying at the same moment may lose one of the two runs, never the
// file. Bounded: the calls replayed most recently, and their latest runs; variants are the user's own
// and are never evicted (a call keeps at most REPLAY_VARIANTS_KEPT). A file that cannot be read is set
// aside and replays start afresh.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { Low } from 'lowdb' with { 'resolution-mode': 'import' };
import { isRecord } from '../base/isRecord';
import { openJsonFile, readOrSetAside } from '../store/jsonFileDb';
import { REPLAY_RUNS_KEPT, REPLAY_VARIANTS_KEPT, type ReplayDraft, type ReplayRun } from '../protocol/replay';
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

/** A version of a call's request the user saved under a name, to load and run again later. */
export interface ReplayVariant {
  /** `traceId/spanId` of the call. */
  key: string;
  name: string;
  draft: ReplayDraft;
}

interface ReplayFile {
  version: 1;
  /** Most recently replayed last. */
  calls: ReplayRecord[];
  /** Each call's in the order first saved. (Absent in files written before variants.) */
  variants?: ReplayVariant[];
}

/** A save refused because the call keeps as many variants as it may: said to the user as is. */
class VariantLimitError extends Error {}

const EMPTY: ReplayFile = { version: 1, calls: [], variants: [] };

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
    return this.change((data) => {
      const kept = data.calls.find((call) => call.key === key);
      const calls = data.calls.filter((call) => call.key !== key);
      calls.push({ key, draft, runs: [...(kept?.runs ?? []), run].slice(-MAX_RUNS) });
      return { ...data, calls: calls.slice(-MAX_CALLS) };
    }).catch((err: unknown) => this.onError(this.saveError(err)));
  }

  /** The call's saved variants, in the order they were first saved. */
  async variants(key: string): Promise<ReplayVariant[]> {
    return ((await this.read()).variants ?? []).filter((variant) => variant.key === key);
  }

  /**
   * Saves `draft` as the call's variant `name`, replacing one of that name. Rejects, saying why, when
   * the call has as many variants as it keeps or the file cannot be written: the user asked for this save.
   */
  async saveVariant(key: string, name: string, draft: ReplayDraft): Promise<{ replaced: boolean }> {
    let replaced = false;
    await this.change((data) => {
      const variants = data.variants ?? [];
      const at = variants.findIndex((v) => v.key === key && v.name === name);
      replaced = at >= 0;
      if (!replaced && variants.filter((v) => v.key === key).length >= REPLAY_VARIANTS_KEPT) {
        throw new VariantLimitError(`This call has ${REPLAY_VARIANTS_KEPT} saved variants, as many as are kept: delete one first, or save under the name of one to replace it.`);
      }
      const variant: ReplayVariant = { key, name, draft };
      return { ...data, variants: replaced ? variants.map((v, i) => (i === at ? variant : v)) : [...variants, variant] };
    }).catch((err: unknown) => {
      throw err instanceof VariantLimitError ? err : this.saveError(err);
    });
    return { replaced };
  }

  /** Deletes the call's variant `name` (nothing when there is none). Rejects when the file cannot be written. */
  async deleteVariant(key: string, name: string): Promise<void> {
    await this.change((data) => ({ ...data, variants: (data.variants ?? []).filter((v) => v.key !== key || v.name !== name) })).catch((err: unknown) => {
      throw this.saveError(err);
    });
  }

  /** Writes what `mutate` makes of the file as it is now, after this window's changes before it. */
  private change(mutate: (data: ReplayFile) => ReplayFile): Promise<void> {
    const change = this.changing.then(async () => {
      this.db.data = mutate(await this.read());
      await fs.mkdir(dirname(this.file), { recursive: true });
      await this.db.write();
    });
    this.changing = change.catch(() => undefined);
    return change;
  }

  private saveError(err: unknown): Error {
    return new Error(`Spanlight could not save the replay history in ${this.file}: ${err instanceof Error ? err.message : String(err)}`);
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
    const variants: unknown = isRecord(data) ? data.variants : undefined;
    return { version: 1, calls: Array.isArray(calls) ? calls.filter(isReplayRecord) : [], variants: Array.isArray(variants) ? variants.filter(isVariant) : [] };
  }
}

function isVariant(value: unknown): value is ReplayVariant {
  return isRecord(value) && typeof value.key === 'string' && typeof value.name === 'string' && value.name !== '' && isReplayDraft(value.draft);
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
    (value.variant === undefined || typeof value.variant === 'string') &&
    isRecord(outcome) &&
    typeof outcome.latencyMs === 'number' &&
    (outcome.ok === true ? Array.isArray(outcome.messages) && typeof outcome.usage === 'object' : typeof outcome.error === 'string')
  );
}
