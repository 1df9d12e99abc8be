// Append-only segment files: `segments/NNNNNN.ndjson` holds one record per span version
// (recordFormat.ts) and `NNNNNN.idx` one compact index entry per record (indexFormat.ts). A write is one
// append to each, so its cost does not grow with the store. The segment is the source of truth: on
// open, index entries that point past the data are dropped, records the index misses (crash between
// the two appends, failed index write) are re-read from the segment, and a torn last line is
// truncated away.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ScratchBuffer } from '../base/scratchBuffer';
import { decodeIndexFile, encodeIndexEntries, joinEntries, type IndexEntry } from './indexFormat';
import { metaFromRecordLine, recordLength, type RecordLocation, type RecordReader } from './recordFormat';
import { storeError } from './storeErrors';

export interface SegmentInfo {
  id: number;
  /** Bytes of valid records (what the next append starts after). */
  size: number;
  idxSize: number;
  liveBytes: number;
  liveCount: number;
}

export interface AppendRecord {
  seq: number;
  /**
   * The record without its newline, which must follow it in memory of its own (the encoders and
   * lineWithNewline make records so): the write sends both as they lie, without a copy.
   */
  data: Buffer;
  /** Its index entry's tail (encodeIndexTails); the log adds the head. */
  indexTail: Buffer;
}

interface ActiveSegment {
  info: SegmentInfo;
  data?: FileHandle;
  idx?: FileHandle;
  /** A failed write could not be undone: never append here again. */
  broken: boolean;
}

const SEGMENT_NAME = /^(\d{6,})\.ndjson$/;
const INDEX_NAME = /^(\d{6,})\.idx$/;
// Reads of nearby records are merged into one read: a trace's spans usually sit close together.
const READ_MERGE_GAP = 64 * 1024;
const READ_MAX_RANGE = 8 * 1024 * 1024;

export class SegmentLog {
  private readonly segments = new Map<number, SegmentInfo>();
  /**
   * The index entries of the append in progress. Appends come one at a time (the store's writer loop
   * awaits each), and each is written before it returns.
   */
  private readonly indexScratch = new ScratchBuffer();
  private active: ActiveSegment | undefined;
  private nextId: number;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    private readonly onError: (err: Error) => void,
    minNextId: number,
    /** Reads records back when an index has to be rebuilt from its segment. */
    private readonly readRecord: RecordReader,
  ) {
    this.nextId = minNextId;
  }

  /** Opens the log and returns every index entry, segment by segment, in write order. */
  static async open(
    dir: string,
    segmentBytes: number,
    onError: (err: Error) => void,
    minNextId: number,
    readRecord: RecordReader,
  ): Promise<{ log: SegmentLog; entries: IndexEntry[] }> {
    const segmentsDir = join(dir, 'segments');
    const names = await fs
      .mkdir(segmentsDir, { recursive: true })
      .then(() => fs.readdir(segmentsDir))
      .catch((err: unknown) => {
        throw storeError('open the segments folder', segmentsDir, err);
      });
    const log = new SegmentLog(segmentsDir, segmentBytes, onError, minNextId, readRecord);
    const ids = names
      .map((name) => SEGMENT_NAME.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    const entries: IndexEntry[] = [];
    for (const id of ids) entries.push(...(await log.loadSegment(id)));
    await log.reportOrphanIndexes(names, new Set(ids));
    const last = ids.length > 0 ? log.segments.get(ids[ids.length - 1]) : undefined;
    log.nextId = Math.max(log.nextId, (ids[ids.length - 1] ?? 0) + 1);
    // Keep filling the last segment after a restart instead of leaving a small file behind each time.
    if (last && last.size < segmentBytes) log.active = { info: last, broken: false };
    return { log, entries };
  }

  get activeId(): number | undefined {
    return this.active?.info.id;
  }

  segment(id: number): SegmentInfo | undefined {
    return this.segments.get(id);
  }

  allSegments(): SegmentInfo[] {
    return [...this.segments.values()];
  }

  oldestSegmentId(): number | undefined {
    let oldest: number | undefined;
    for (const id of this.segments.keys()) if (oldest === undefined || id < oldest) oldest = id;
    return oldest;
  }

  diskBytes(): number {
    let total = 0;
    for (const s of this.segments.values()) total += s.size + s.idxSize;
    return total;
  }

  markLive(id: number, bytes: number): void {
    const s = this.segments.get(id);
    if (s) {
      s.liveBytes += bytes;
      s.liveCount++;
    }
  }

  markDead(id: number, bytes: number): void {
    const s = this.segments.get(id);
    if (s) {
      s.liveBytes -= bytes;
      s.liveCount--;
    }
  }

  /** Repairs accounting that claims live records no ref points at (so compaction cannot spin on it). */
  forgetLive(id: number): void {
    const s = this.segments.get(id);
    if (s) s.liveBytes = s.liveCount = 0;
  }

  /** The segment a write starting now would go to (tombstones remember it, see tombstones.ts). */
  currentWriteSegment(): number {
    return this.active?.info.id ?? this.nextId;
  }

  /**
   * Appends records: one write to the segment, then one to its index. Callers serialize calls.
   * A failed segment write is undone (truncated) and thrown; a failed index write is only reported,
   * because the next open rebuilds missing index entries from the segment.
   */
  async append(records: AppendRecord[]): Promise<RecordLocation[]> {
    const total = records.reduce((sum, r) => sum + r.data.length + 1, 0);
    let active = this.active;
    if (!active || active.broken || (active.info.size > 0 && active.info.size + total > this.segmentBytes)) {
      active = await this.roll();
    }
    const { info } = active;
    const dataPath = this.dataPath(info.id);
    if (!active.data) active.data = await openForAppend(dataPath);
    const chunks = lineChunks(records.map((r) => r.data));
    const locations: RecordLocation[] = [];
    let position = info.size;
    for (const record of records) {
      locations.push({ segment: info.id, offset: position, length: record.data.length });
      position += record.data.length + 1;
    }
    const index = indexLines(records, locations, this.indexScratch);
    try {
      await writeAllv(active.data, chunks);
    } catch (err) {
      await active.data.truncate(info.size).catch(() => {
        active.broken = true;
      });
      throw storeError('write traces to', dataPath, err);
    }
    info.size += total;
    await this.appendIndex(active, index);
    return locations;
  }

  private async appendIndex(active: ActiveSegment, bytes: Buffer): Promise<void> {
    const idxPath = this.idxPath(active.info.id);
    try {
      if (!active.idx) active.idx = await openForAppend(idxPath);
      await writeAll(active.idx, bytes);
      active.info.idxSize += bytes.length;
    } catch (err) {
      await active.idx?.truncate(active.info.idxSize).catch(() => undefined);
      this.onError(storeError('write the index', idxPath, err, 'it will be rebuilt from the segment on next start'));
    }
  }

  /** Reads record lines (in the order asked). Nearby records of one segment share one read. */
  async read(locations: RecordLocation[]): Promise<Buffer[]> {
    const out = new Array<Buffer>(locations.length);
    const bySegment = new Map<number, number[]>();
    locations.forEach((loc, i) => {
      const list = bySegment.get(loc.segment);
      if (list) list.push(i);
      else bySegment.set(loc.segment, [i]);
    });
    for (const [segment, indexes] of bySegment) {
      indexes.sort((a, b) => locations[a].offset - locations[b].offset);
      const path = this.dataPath(segment);
      let handle: FileHandle;
      try {
        handle = await fs.open(path, 'r');
      } catch (err) {
        throw storeError('read traces from', path, err);
      }
      try {
        let i = 0;
        while (i < indexes.length) {
          const start = locations[indexes[i]].offset;
          let end = start + locations[indexes[i]].length;
          let j = i + 1;
          while (j < indexes.length) {
            const next = locations[indexes[j]];
            if (next.offset - end > READ_MERGE_GAP || next.offset + next.length - start > READ_MAX_RANGE) break;
            end = Math.max(end, next.offset + next.length);
            j++;
          }
          const buffer = Buffer.allocUnsafe(end - start);
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
          if (bytesRead < buffer.length) throw new Error(`Spanlight store: ${path} is shorter than its index says`);
          for (let k = i; k < j; k++) {
            const loc = locations[indexes[k]];
            // A copy: a view would keep the whole merged read (up to 8 MiB) alive in the cache.
            out[indexes[k]] = Buffer.from(buffer.subarray(loc.offset - start, loc.offset - start + loc.length));
          }
          i = j;
        }
      } finally {
        await handle.close();
      }
    }
    return out;
  }

  async deleteSegment(id: number): Promise<void> {
    if (this.active?.info.id === id) return;
    for (const path of [this.dataPath(id), this.idxPath(id)]) {
      try {
        await fs.rm(path, { force: true });
      } catch (err) {
        throw storeError('delete', path, err);
      }
    }
    this.segments.delete(id);
  }

  async close(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.data?.close().catch(() => undefined);
    await active?.idx?.close().catch(() => undefined);
  }

  private async roll(): Promise<ActiveSegment> {
    await this.close();
    const id = this.nextId++;
    const info: SegmentInfo = { id, size: 0, idxSize: 0, liveBytes: 0, liveCount: 0 };
    const data = await openForAppend(this.dataPath(id));
    const idx = await openForAppend(this.idxPath(id)).catch(async (err: unknown) => {
      await data.close();
      throw err;
    });
    // An id is only reused when a deletion half failed; its leftover bytes must not be read as ours.
    await data.truncate(0);
    await idx.truncate(0);
    this.segments.set(id, info);
    this.active = { info, data, idx, broken: false };
    return this.active;
  }

  private dataPath(id: number): string {
    return join(this.dir, `${String(id).padStart(6, '0')}.ndjson`);
  }

  private idxPath(id: number): string {
    return join(this.dir, `${String(id).padStart(6, '0')}.idx`);
  }

  /** Reads one segment's index and repairs it against the data (see the file comment). */
  /**
   * An index whose segment is gone: deleted on purpose by a run that stopped before the index (its records
   * were all dead), or lost. Either way its records cannot be read: reported once, and the index removed.
   */
  private async reportOrphanIndexes(names: readonly string[], segments: ReadonlySet<number>): Promise<void> {
    for (const name of names) {
      const id = INDEX_NAME.exec(name)?.[1];
      if (id === undefined || segments.has(Number(id))) continue;
      const idxPath = join(this.dir, name);
      const records = await fs.readFile(idxPath).then(
        (bytes) => decodeIndexFile(bytes, Number(id)).entries.length,
        () => 0,
      );
      if (records > 0) {
        this.onError(new Error(`Spanlight store: the segment of ${idxPath} is missing; the ${records} span record(s) it indexed, unless they were deleted, are lost`));
      }
      await fs.rm(idxPath, { force: true }).catch(() => undefined);
    }
  }

  private async loadSegment(id: number): Promise<IndexEntry[]> {
    const dataPath = this.dataPath(id);
    const idxPath = this.idxPath(id);
    let size = (await fs.stat(dataPath)).size;
    let idxMissing = false;
    const idxBytes = await fs.readFile(idxPath).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw storeError('read the index', idxPath, err);
      idxMissing = size > 0;
      return Buffer.alloc(0);
    });
    const decoded = decodeIndexFile(idxBytes, id);
    // Nothing is lost either way (the records are read from the segment), but a user who finds a
    // store slow to open, or files changed, learns why.
    if (idxMissing) this.onError(new Error(`Spanlight store: the index ${idxPath} was missing; it is rebuilt from ${dataPath}`));
    else if (!decoded.clean) this.onError(new Error(`Spanlight store: the index ${idxPath} was damaged (a write cut short, or changed on disk); it is rebuilt from ${dataPath}`));
    let idxDirty = !decoded.clean;
    const indexed: IndexEntry[] = [];
    let beyond = 0;
    for (const entry of decoded.entries) {
      if (entry.offset + entry.length < size) indexed.push(entry);
      else beyond++;
    }
    if (beyond > 0) {
      // The index is appended after the data: entries past its end name records the segment lost (cut short
      // on disk, or by an OS crash that kept the index's last write and not the data's).
      idxDirty = true;
      this.onError(new Error(`Spanlight store: ${dataPath} ends before ${beyond} record(s) its index names (${size} bytes): those spans are lost`));
    }
    indexed.sort((a, b) => a.offset - b.offset);
    const entries: IndexEntry[] = [];
    let cursor = 0;
    for (const entry of indexed) {
      if (entry.offset < cursor) {
        idxDirty = true; // Duplicate or overlapping line: keep the first.
        continue;
      }
      if (entry.offset > cursor) {
        entries.push(...(await this.scanRange(id, cursor, entry.offset)).entries);
        idxDirty = true;
      }
      entries.push(entry);
      cursor = entry.offset + entry.length + 1;
    }
    if (cursor < size) {
      const tail = await this.scanRange(id, cursor, size);
      entries.push(...tail.entries);
      idxDirty = true;
      if (tail.end < size) {
        // Torn last line (crash mid-write): drop it so the next append starts on a clean line.
        await fs.truncate(dataPath, tail.end);
        this.onError(new Error(`Spanlight store: dropped ${size - tail.end} bytes of an incomplete write at the end of ${dataPath}`));
        size = tail.end;
      }
    }
    let idxSize = idxBytes.length;
    if (idxDirty) idxSize = await this.rewriteIndex(idxPath, entries);
    this.segments.set(id, { id, size, idxSize, liveBytes: 0, liveCount: 0 });
    return entries;
  }

  /** Parses records in [start, end); `end` of the result is where the last complete record ends. */
  private async scanRange(id: number, start: number, end: number): Promise<{ entries: IndexEntry[]; end: number }> {
    const handle = await fs.open(this.dataPath(id), 'r');
    const buffer = Buffer.allocUnsafe(end - start);
    try {
      await handle.read(buffer, 0, buffer.length, start);
    } finally {
      await handle.close();
    }
    const entries: IndexEntry[] = [];
    let lineStart = 0;
    let bad = 0;
    for (let length = recordLength(buffer, 0); length >= 0; length = recordLength(buffer, lineStart)) {
      const meta = metaFromRecordLine(buffer.subarray(lineStart, lineStart + length), this.readRecord);
      if (meta) entries.push({ segment: id, offset: start + lineStart, length, meta });
      else if (length > 0) bad++;
      lineStart += length + 1;
    }
    if (bad > 0) this.onError(new Error(`Spanlight store: skipped ${bad} unreadable record(s) in ${this.dataPath(id)}`));
    return { entries, end: start + lineStart };
  }

  private async rewriteIndex(idxPath: string, entries: IndexEntry[]): Promise<number> {
    const bytes = encodeIndexEntries(entries);
    try {
      await fs.writeFile(`${idxPath}.tmp`, bytes);
      await fs.rename(`${idxPath}.tmp`, idxPath);
    } catch (err) {
      this.onError(storeError('repair the index', idxPath, err, 'it will be rebuilt again on next start'));
    }
    return bytes.length;
  }
}

async function openForAppend(path: string): Promise<FileHandle> {
  try {
    return await fs.open(path, 'a');
  } catch (err) {
    throw storeError('open', path, err);
  }
}

/**
 * The records, each with the newline that follows it in memory (see AppendRecord.data), as few buffers
 * as possible: records encoded back to back (a whole request from the ingest worker) go out in one
 * piece. A record without its newline would be a bug upstream; it is copied with one rather than
 * written unframed.
 */
function lineChunks(lines: readonly Buffer[]): Buffer[] {
  const chunks: Buffer[] = [];
  let run: { buffer: ArrayBufferLike; start: number; end: number } | undefined;
  const flush = () => {
    if (run) chunks.push(Buffer.from(run.buffer, run.start, run.end - run.start));
    run = undefined;
  };
  for (const line of lines) {
    const end = line.byteOffset + line.length;
    // Reading the byte after the line is safe: a view never ends past its buffer.
    const newlineFollows = end < line.buffer.byteLength && new Uint8Array(line.buffer, end, 1)[0] === 0x0a;
    if (!newlineFollows) {
      flush();
      chunks.push(Buffer.concat([line, NEWLINE]));
    } else if (run && run.buffer === line.buffer && run.end === line.byteOffset) {
      run.end = end + 1;
    } else {
      flush();
      run = { buffer: line.buffer, start: line.byteOffset, end: end + 1 };
    }
  }
  flush();
  return chunks;
}

const NEWLINE = Buffer.from('\n', 'latin1');

/** The index entries of appended records: a head only the log can write (where) and the record's tail. */
function indexLines(records: readonly AppendRecord[], locations: readonly RecordLocation[], scratch: ScratchBuffer): Buffer {
  return joinEntries(records.map((r, i) => ({ seq: r.seq, offset: locations[i].offset, length: locations[i].length, tail: r.indexTail })), scratch);
}

/** Vectored writes (at most IOV_MAX buffers each), continuing after short writes. */
async function writeAllv(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const IOV_MAX = 1024;
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    const batch = pending.slice(0, IOV_MAX);
    const { bytesWritten } = await handle.writev(batch);
    let written = bytesWritten;
    let done = 0;
    while (done < batch.length && written >= batch[done].length) written -= batch[done++].length;
    const rest = pending.slice(done);
    if (written > 0) rest[0] = rest[0].subarray(written);
    pending = rest;
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset, null);
    offset += bytesWritten;
  }
}
