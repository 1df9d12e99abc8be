// The sink behind both receivers. OTLP traces: split per span and indexed from a preview (SpanIndexer),
// stored as received (OTLP/JSON as the same spans in protobuf), normalized when read. Spans made in
// the process (the sample trace, agents' event spans): normalized → store.
// It owns the correlation of GenAI log records with their spans, which may arrive in either order.
import { Emitter, type Disposable } from '../base/emitter';
import { decodeTracesProtobuf } from '../otlp/decodeProtobuf';
import type { DecodedLogs, DecodedTraces, RawLogRecord, RawSpan } from '../otlp/types';
import type { OtlpEncoding } from '../otlp/responses';
import type { PriceOverrides } from '../pricing/cost';
import type { Span } from '../protocol/model';
import type { BodyLease, ExportResult, OtlpSink } from '../receiver/sink';
import { otlpOfRecordLine } from '../store/recordFormat';
import { isGenAiLogRecord } from '../semconv';
import { evaluatedResponseId } from '../semconv/genaiEvents';
import { indexFieldsOf, type IndexFields } from '../store/spanMeta';
import type { OtlpSpanWrite, TraceStore } from '../store/traceStore';
import type { AgentEvents } from './eventSpans';
import { agentEventReaders, keptLogsOf, type KeptLogs } from './keptLogs';
import { LogCorrelator, withNewRecords } from './logCorrelator';
import { loadResponseIds, ResponseIds, saveResponseIds } from './responseIds';
import { SpanNormalizer, toRawSpan } from './normalizeSpan';
import { SpanIndexer, type ExportFormat } from './spanIndexer';

/** Whether a stored span stays as it is, given what indexing it again derives (see IngestPipeline.reindex). */
export type KeepStored = (fields: IndexFields, span: Span) => boolean;

export interface IngestStats {
  spans: number;
  logRecords: number;
  rejected: number;
}

/** A span of an export that was stored already: its bytes, copied out of the export's records. */
interface Resent {
  fields: IndexFields;
  otlp: Buffer;
}

export class IngestPipeline implements OtlpSink, Disposable {
  private readonly correlator = new LogCorrelator();
  /** Model calls by response id, for evaluations that name the response instead of the span. */
  private readonly responses = new ResponseIds();
  private readonly stats: IngestStats = { spans: 0, logRecords: 0, rejected: 0 };
  private readonly onDidIngestEmitter = new Emitter<IngestStats>();
  /** Agents whose events (log records without span context) become spans (eventSpans.ts). */
  private readonly agents: readonly AgentEvents[] = agentEventReaders();
  /** Event spans are stored one export at a time: each widens a root the previous one may have stored. */
  private eventSpansStored: Promise<void> = Promise.resolve();
  readonly onDidIngest = this.onDidIngestEmitter.event;

  constructor(
    private readonly store: TraceStore,
    /** The same normalizer the store derives spans with on read (TraceStoreOptions.deriveSpan). */
    private readonly normalizer: SpanNormalizer = new SpanNormalizer(),
    private readonly onError: (err: Error) => void = () => undefined,
    /** Owned by the creator of the pipeline (it may hold a worker thread). */
    private readonly indexer: SpanIndexer = new SpanIndexer({ useWorker: false }),
    /** Where the response ids of recent model calls are kept across restarts (beside the store); none: in memory only. */
    private readonly responseIdsFile?: string,
  ) {
    if (!responseIdsFile) return;
    try {
      this.responses.restore(loadResponseIds(responseIdsFile));
    } catch (err) {
      onError(err as Error);
    }
  }

  setPriceOverrides(overrides: PriceOverrides): void {
    this.normalizer.setPriceOverrides(overrides);
    this.indexer.setPriceOverrides(overrides);
  }

  /** OtlpSink.leaseBody: the indexer's shared memory, which its worker reads without a copy. */
  leaseBody(size: number): BodyLease | undefined {
    return this.indexer.leaseBody(size);
  }

  /** Spans made in this process (the sample trace): normalized now and stored in contract form. */
  acceptTraces(decoded: DecodedTraces): void {
    const spans = decoded.spans.map((raw: RawSpan) =>
      this.normalizer.normalize(raw, this.correlator.recordsFor(raw.traceId, raw.spanId)),
    );
    this.store.upsertSpans(spans);
    this.counted(spans.length, 0, decoded.rejected);
  }

  /**
   * OTLP protobuf (the hot path): each span is stored as the bytes it came in and indexed from its
   * preview, off the main thread for big exports (SpanIndexer); the full normalization happens when
   * it is read (the store's deriveSpan is the same normalizer).
   *
   * The sender is answered as soon as the export has been read, before its spans are stored: with an
   * SDK's one or two exports in flight, its next one then travels while this one is stored, instead
   * of after. The store is updated in the same task, so nothing else runs in between and a request
   * sent after the answer finds the spans.
   */
  acceptTracesProtobuf(body: Uint8Array, answer: (result: ExportResult) => void = () => undefined): Promise<void> {
    return this.acceptExport(body, 'protobuf', answer);
  }

  /**
   * OTLP/JSON: the same path as protobuf, on the same worker. The export is transcoded to protobuf
   * there (transcodeJson.ts), so its spans are stored as OTLP spans, which normalization reads again
   * when it changes, instead of as their normalization of the day, serialized on the main thread.
   */
  acceptTracesJson(body: Uint8Array, answer: (result: ExportResult) => void = () => undefined): Promise<void> {
    return this.acceptExport(body, 'json', answer);
  }

  private async acceptExport(body: Uint8Array, format: ExportFormat, answer: (result: ExportResult) => void): Promise<void> {
    const indexed = await this.indexer.index(body, format);
    const resent: Resent[] = [];
    try {
      answer({ rejected: indexed.rejected, errors: indexed.errors });
      const writes: OtlpSpanWrite[] = [];
      for (const { fields, line } of indexed.spans) {
        const otlp = this.store.spanSeq(fields.traceId, fields.spanId) === undefined ? undefined : otlpOfRecordLine(line);
        // Stored already: an exporter's retry of an export that was received. Its stored version may
        // hold log records the correlator no longer does (a restart, or ten minutes): see storeResent.
        // A copy: the line's memory is reused once this export is stored.
        if (otlp) resent.push({ fields, otlp: Buffer.from(otlp) });
        else writes.push(this.withHeldLogs(fields, line));
      }
      this.store.upsertOtlpSpans(writes, indexed.arena);
      this.releaseStoredLogs(writes);
      for (const span of indexed.spans) if (span.responseId) this.responses.remember(span.responseId, span.fields);
      this.counted(indexed.spans.length, 0, indexed.rejected);
    } finally {
      // The store holds the lines it queued; the arena is reused once its writer is done with them.
      indexed.arena?.seal();
    }
    if (resent.length > 0) await Promise.all(resent.map((span) => this.storeResent(span))).catch((err: Error) => this.onError(err));
  }

  /** A new span, indexed with its messages when its log records came first (the indexer knew nothing of them). */
  private withHeldLogs(fields: IndexFields, line: Buffer): OtlpSpanWrite {
    const logs = this.correlator.recordsFor(fields.traceId, fields.spanId);
    if (logs.length === 0) return { fields, line };
    const otlp = otlpOfRecordLine(line);
    return (otlp && this.withLogs(otlp, logs)) ?? { fields, line };
  }

  /**
   * A span received again. Stored over its previous version, it would lose the log records that
   * version holds and the correlator has forgotten: its messages. The same bytes with no new records
   * are not stored again (a retry changes nothing); anything else is stored with the records of both.
   * Unlike a new span, it is stored after its previous version is read, not in the export's task.
   */
  private async storeResent({ fields, otlp }: Resent): Promise<void> {
    const { traceId, spanId } = fields;
    const source = await this.store.getSpanSource(traceId, spanId);
    const stored = source?.kind === 'otlp' ? source.logs : [];
    const logs = withNewRecords(stored, this.correlator.recordsFor(traceId, spanId));
    if (source?.kind === 'otlp' && logs.length === stored.length && Buffer.compare(source.otlp, otlp) === 0) {
      // The store holds every record the correlator does.
      this.correlator.release(traceId, spanId);
      return;
    }
    const write = (logs.length > 0 && this.withLogs(otlp, logs)) || { fields, otlp };
    this.store.upsertOtlpSpans([write]);
    this.releaseStoredLogs([write]);
  }

  /** The held records of spans just stored with them (OtlpSpanWrite.logs): the store has them now. */
  private releaseStoredLogs(writes: readonly OtlpSpanWrite[]): void {
    for (const write of writes) if ('logs' in write && write.logs?.length) this.correlator.release(write.fields.traceId, write.fields.spanId);
  }

  /**
   * OtlpSink.acceptLogsExport: a logs export as received. A big one is read on the index worker, which
   * sends back only the records kept (keptLogs.ts); answered once they are stored.
   */
  async acceptLogsExport(body: Uint8Array, encoding: OtlpEncoding): Promise<ExportResult> {
    const kept = await this.indexer.readLogs(body, encoding);
    await this.acceptKeptLogs(kept);
    return kept;
  }

  /** Log records decoded in this process (tests, tools): the same as an export of them. */
  acceptLogs(decoded: DecodedLogs): Promise<void> {
    return this.acceptKeptLogs(keptLogsOf(decoded));
  }

  private async acceptKeptLogs(kept: KeptLogs): Promise<void> {
    // Only GenAI events say anything of a span's call. An app's other logs (a logging bridge sends every
    // line with its span's ids) would otherwise be stored into their span, which is written again with
    // all of them at each export.
    const added = this.correlator.add(kept.records.filter(isGenAiLogRecord).map((record) => this.placed(record)));
    const eventSpans = this.agents.flatMap((agent) => {
      const records = kept.records.filter((r) => agent.accepts(r));
      return records.length > 0 ? [this.storeEventSpans(agent, records)] : [];
    });
    // Records that arrive after their span: store the span again with them.
    await Promise.all([...[...added].map(([key, records]) => this.restoreWithLogs(key, records)), ...eventSpans]).catch((err: Error) =>
      this.onError(err),
    );
    this.counted(0, kept.received, kept.rejected);
  }

  /**
   * An evaluation that names the response it judged instead of its span, tied to the model call that
   * answered with it (when that call is one of the recent ones); any other record as it is.
   */
  private placed(record: RawLogRecord): RawLogRecord {
    const responseId = evaluatedResponseId(record);
    const span = responseId === undefined ? undefined : this.responses.spanOf(responseId);
    return span ? { ...record, traceId: span.traceId, spanId: span.spanId } : record;
  }

  /** An agent's events as the spans they stand for (eventSpans.ts), after those of earlier exports. */
  private storeEventSpans(agent: AgentEvents, records: readonly RawLogRecord[]): Promise<void> {
    const stored = this.eventSpansStored.then(async () => {
      for (const { root, children } of agent.spansOf(records)) {
        const before = await this.store.getSpanSource(root.traceId, root.spanId);
        const widened = before?.kind === 'span' ? agent.mergeRoot(toRawSpan(before.span), root) : root;
        this.store.upsertSpans([widened, ...children].map((raw) => this.normalizer.normalize(raw, [])));
      }
    });
    this.eventSpansStored = stored.catch(() => undefined);
    return stored;
  }

  private async restoreWithLogs(key: string, added: RawLogRecord[]): Promise<void> {
    const [traceId, spanId] = key.split(':');
    const source = await this.store.getSpanSource(traceId, spanId);
    if (!source) return;
    if (source.kind === 'otlp') {
      // The stored records plus the new ones: the correlator may have forgotten older ones by now, and
      // records sent again after a restart are new to it but not to the store.
      const logs = withNewRecords(source.logs, added);
      const write = logs.length > source.logs.length ? this.withLogs(source.otlp, logs) : undefined;
      if (write) this.store.upsertOtlpSpans([write]);
      // Stored with the span, by this write or an earlier one.
      this.correlator.release(traceId, spanId);
    } else {
      this.store.upsertSpans([this.normalizer.normalize(toRawSpan(source.span), this.correlator.recordsFor(traceId, spanId))]);
    }
  }

  /**
   * Indexes a stored span again from its record with the current normalizer (prices or indexing
   * changed: see indexRefresh.ts) and stores it as a new version, unless `keep` holds for its new index
   * fields. True when stored; false when kept, gone, or replaced by a newer version while its record
   * was read (that one was indexed with the current normalizer).
   */
  async reindex(traceId: string, spanId: string, keep: KeepStored): Promise<boolean> {
    const source = await this.store.getSpanSource(traceId, spanId);
    if (!source || this.store.spanSeq(traceId, spanId) !== source.seq) return false;
    if (source.kind === 'otlp') {
      // Its log records are stored with it.
      const span = this.normalizedWithLogs(source.otlp, source.logs);
      if (!span) return false;
      const fields = indexFieldsOf(span);
      if (keep(fields, span)) return false;
      this.store.upsertOtlpSpans([{ otlp: source.otlp, fields, logs: source.logs }]);
      return true;
    }
    // A span stored in contract form (the sample trace, event spans, OTLP/JSON in older stores) holds
    // its normalization, to which log records may have given its messages; once the correlator has
    // forgotten them (a restart) they cannot be derived again, so it is only priced again.
    const span = this.normalizer.reprice(source.span);
    if (keep(indexFieldsOf(span), span)) return false;
    this.store.upsertSpans([span]);
    return true;
  }

  /** A span's bytes with its log records, indexed from the full normalization (the records hold its messages). */
  private withLogs(otlp: Uint8Array, logs: readonly RawLogRecord[]): OtlpSpanWrite | undefined {
    const span = this.normalizedWithLogs(otlp, logs);
    return span && { otlp, fields: indexFieldsOf(span), logs };
  }

  private normalizedWithLogs(otlp: Uint8Array, logs: readonly RawLogRecord[]): Span | undefined {
    const [raw] = decodeTracesProtobuf(otlp).spans;
    return raw && this.normalizer.normalize(raw, logs);
  }

  private counted(spans: number, logRecords: number, rejected: number): void {
    this.stats.spans += spans;
    this.stats.logRecords += logRecords;
    this.stats.rejected += rejected;
    this.onDidIngestEmitter.fire({ ...this.stats });
  }

  dispose(): void {
    this.onDidIngestEmitter.dispose();
    if (!this.responseIdsFile) return;
    try {
      saveResponseIds(this.responseIdsFile, this.responses);
    } catch (err) {
      this.onError(new Error(`Spanlight: the response ids of recent model calls could not be saved (${(err as Error).message})`));
    }
  }
}
