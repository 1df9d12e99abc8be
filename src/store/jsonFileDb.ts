// Small JSON state files kept with lowdb (atomic temp-file + rename writes), and what is done with one
// that does not read: it is set aside beside itself, for the user to look at, and started afresh.
// Used by the store's state.json and the replay history's replays.json.
//
// lowdb is ESM-only: it is loaded with a dynamic import, which tsx runs as is and esbuild inlines into
// the CJS bundle.
import { promises as fs } from 'node:fs';
import type { Low } from 'lowdb' with { 'resolution-mode': 'import' };

/** A lowdb database on `file`, holding a copy of `defaults` until it is read. */
export async function openJsonFile<T>(file: string, defaults: T): Promise<Low<T>> {
  const { Low } = await import('lowdb');
  const { JSONFile } = await import('lowdb/node');
  return new Low<T>(new JSONFile<T>(file), structuredClone(defaults));
}

/**
 * Reads the file into `db`. One that cannot be read is renamed to `<file>.corrupt-<time>` and `db`
 * holds a copy of `defaults`: what went wrong, and where the file went, are returned for the caller's
 * message.
 */
export async function readOrSetAside<T>(db: Low<T>, file: string, defaults: T): Promise<{ error: unknown; aside: string } | undefined> {
  try {
    await db.read();
    return undefined;
  } catch (error) {
    const aside = `${file}.corrupt-${Date.now()}`;
    await fs.rename(file, aside).catch(() => undefined);
    db.data = structuredClone(defaults);
    return { error, aside };
  }
}
