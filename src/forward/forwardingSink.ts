// The sink both receivers feed when forwarding may be on: every export goes to the ingest pipeline as
// before, and each one it accepted also to the forwarder, if one is set up (it can come and go with
// the settings while the receivers keep running).
import type { OtlpEncoding } from '../otlp/responses';
import type { BodyLease, ExportResult, OtlpSink, ReceivedSignal } from '../receiver/sink';
import type { OtlpForwarder } from './otlpForwarder';

export class ForwardingSink implements OtlpSink {
  forwarder: OtlpForwarder | undefined;

  constructor(private readonly inner: OtlpSink) {}

  acceptTracesProtobuf(body: Uint8Array, answer: (result: ExportResult) => void): void | Promise<void> {
    return this.inner.acceptTracesProtobuf(body, answer);
  }

  acceptTracesJson(body: Uint8Array, answer: (result: ExportResult) => void): void | Promise<void> {
    return this.inner.acceptTracesJson(body, answer);
  }

  leaseBody(size: number): BodyLease | undefined {
    return this.inner.leaseBody?.(size);
  }

  acceptLogsExport(body: Uint8Array, encoding: OtlpEncoding): ExportResult | Promise<ExportResult> {
    return this.inner.acceptLogsExport(body, encoding);
  }

  exportAccepted(signal: ReceivedSignal, encoding: OtlpEncoding, body: Uint8Array): void {
    this.forwarder?.forward(signal, encoding, body);
  }
}
