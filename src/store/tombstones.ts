// Durable deletions. Segments are append-only, so deleting a trace (user delete, clear, retention)
// appends a tombstone `{seq, trace, segment}` to `tombstones.ndjson`: every record of that trace with a
// smaller seq is dead. Spans of the same trace id that arrive later have larger seqs and live again.
// `segment` is the segment being written when the deletion happened; victims can only sit in segments
// up to it, so once the oldest remaining segment is newer the tombstone has nothing left to kill and is
// dropped from the file.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { storeError } from './storeErrors';

export interface Tombstone {
  seq: number;
  /** Undefined: every trace (a full clear). */
  traceId?: string;
  segment: number;
}

const FILE_NAME = 'tombstones.ndjson';
// Rewriting the file costs its size, so it only happens once enough of it is obsolete.
const REWRITE_MIN_DROPPED = 1000;

function encode(t: Tombstone): string {
  return JSON.stringify(t.traceId === undefined ? { seq: t.seq, all: true, segment: t.segment } : { seq: t.seq, trace: t.traceId, segment: t.segment });
}

function decode(line: string): Tombstone | undefined {
  try {
    const v = JSON.parse(line) as { seq?: unknown; trace?: unknown; all?: unknown; segment?: unknown };
    if (typeof v.seq !== 'number' || typeof v.segment !== 'number') return undefined;
    if (typeof v.trace === 'string') return { seq: v.seq, traceId: v.trace, segment: v.segment };
    return v.all === true ? { seq: v.seq, segment: v.segment } : undefined;
  } catch {
    return undefined;
  }
}

export class TombstoneLog {
  private tombstones: Tombstone[] = [];
  private readonly byTrace = new Map<string, number>();
  private allSeq = -1;
  private unwritten: Tombstone[] = [];
  private needsRewrite = false;
  private dropped = 0;

  private constructor(private readonly path: string) {}

  static async open(dir: string, onError: (err: Error) => void): Promise<TombstoneLog> {
    const log = new TombstoneLog(join(dir, FILE_NAME));
    const text = await fs.readFile(log.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw storeError('read deletions from', log.path, err);
    });
    let bad = 0;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const t = decode(line);
      if (t) log.remember(t);
      else bad++;
    }
    if (bad > 0) {
      // A torn line is a deletion that never completed: the trace simply stays, which is safe.
      onError(new Error(`Spanlight store: ignored ${bad} incomplete deletion record(s) in ${log.path}`));
      log.needsRewrite = true;
    }
    return log;
  }

  /** True when a record (trace, seq) was deleted after it was written. */
  kills(traceId: string, seq: number): boolean {
    return seq < this.allSeq || seq < (this.byTrace.get(traceId) ?? -1);
  }

  get maxSeq(): number {
    return this.tombstones.reduce((max, t) => Math.max(max, t.seq), -1);
  }

  get maxSegment(): number {
    return this.tombstones.reduce((max, t) => Math.max(max, t.segment), 0);
  }

  get count(): number {
    return this.tombstones.length;
  }

  add(t: Tombstone): void {
    this.remember(t);
    this.unwritten.push(t);
  }

  hasUnwritten(): boolean {
    return this.unwritten.length > 0 || this.needsRewrite;
  }

  /** Appends pending tombstones (or rewrites the file when pruning made that worthwhile). */
  async write(): Promise<void> {
    if (this.needsRewrite) {
      const text = this.tombstones.map((t) => encode(t) + '\n').join('');
      try {
        await fs.writeFile(`${this.path}.tmp`, text);
        await fs.rename(`${this.path}.tmp`, this.path);
      } catch (err) {
        throw storeError('write deletions to', this.path, err);
      }
      this.needsRewrite = false;
      this.unwritten = [];
      this.dropped = 0;
      return;
    }
    if (this.unwritten.length === 0) return;
    const batch = this.unwritten;
    this.unwritten = [];
    try {
      await fs.appendFile(this.path, batch.map((t) => encode(t) + '\n').join(''));
    } catch (err) {
      this.unwritten = batch.concat(this.unwritten);
      throw storeError('write deletions to', this.path, err);
    }
  }

  /** Forgets tombstones whose victims' segments are all gone (`oldestSegment` undefined: no segments). */
  prune(oldestSegment: number | undefined): void {
    const keep = this.tombstones.filter((t) => oldestSegment !== undefined && t.segment >= oldestSegment);
    if (keep.length === this.tombstones.length) return;
    this.dropped += this.tombstones.length - keep.length;
    this.tombstones = [];
    this.byTrace.clear();
    this.allSeq = -1;
    for (const t of keep) this.remember(t);
    if (this.dropped >= REWRITE_MIN_DROPPED || this.dropped > keep.length) this.needsRewrite = true;
  }

  private remember(t: Tombstone): void {
    this.tombstones.push(t);
    if (t.traceId === undefined) this.allSeq = Math.max(this.allSeq, t.seq);
    else this.byTrace.set(t.traceId, Math.max(this.byTrace.get(t.traceId) ?? -1, t.seq));
  }
}
