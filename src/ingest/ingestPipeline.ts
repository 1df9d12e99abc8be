// The sink behind both receivers: decoded OTLP → normalized spans → store.
// It owns the correlation of GenAI log records with their spans, which may arrive in either order.
import { Emitter, type Disposable } from '../base/emitter';
import type { DecodedLogs, DecodedTraces, RawSpan } from '../otlp/types';
import type { Span } from '../protocol/model';
import type { PriceOverrides } from '../pricing/cost';
import type { OtlpSink } from '../receiver/sink';
import type { TraceStore } from '../store/traceStore';
import { LogCorrelator } from './logCorrelator';
import { normalizeSpan, toRawSpan } from './normalizeSpan';

export interface IngestStats {
  spans: number;
  logRecords: number;
  rejected: number;
}

export class IngestPipeline implements OtlpSink, Disposable {
  private readonly correlator = new LogCorrelator();
  private readonly stats: IngestStats = { spans: 0, logRecords: 0, rejected: 0 };
  private readonly onDidIngestEmitter = new Emitter<IngestStats>();
  readonly onDidIngest = this.onDidIngestEmitter.event;

  constructor(
    private readonly store: TraceStore,
    private priceOverrides: PriceOverrides = {},
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  setPriceOverrides(overrides: PriceOverrides): void {
    this.priceOverrides = overrides;
  }

  acceptTraces(decoded: DecodedTraces): void {
    const spans = decoded.spans.map((raw: RawSpan) =>
      normalizeSpan(raw, this.correlator.recordsFor(raw.traceId, raw.spanId), this.priceOverrides),
    );
    this.store.upsertSpans(spans);
    this.stats.spans += spans.length;
    this.stats.rejected += decoded.rejected;
    this.onDidIngestEmitter.fire({ ...this.stats });
  }

  async acceptLogs(decoded: DecodedLogs): Promise<void> {
    const touched = this.correlator.add(decoded.records);
    this.stats.logRecords += decoded.records.length;
    this.stats.rejected += decoded.rejected;
    // Records that arrive after their span: normalize the stored span again with everything held for it.
    const late: (Span | undefined)[] = await Promise.all(
      [...touched].map(async (key) => {
        const [traceId, spanId] = key.split(':');
        const stored = await this.store.getSpan(traceId, spanId);
        if (!stored) return undefined;
        return normalizeSpan(toRawSpan(stored), this.correlator.recordsFor(traceId, spanId), this.priceOverrides);
      }),
    ).catch((err: Error) => {
      this.onError(err);
      return [];
    });
    const updated = late.filter((span): span is Span => span !== undefined);
    if (updated.length > 0) this.store.upsertSpans(updated);
    this.onDidIngestEmitter.fire({ ...this.stats });
  }

  dispose(): void {
    this.onDidIngestEmitter.dispose();
  }
}
