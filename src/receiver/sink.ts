// Where the receivers hand decoded payloads: the transports know nothing about what happens next.
import type { OtlpEncoding, OtlpSignal } from '../otlp/responses';

export interface OtlpSink {
  /**
   * OTLP protobuf traces as received: the sink decodes them (the hot path decodes on its own terms,
   * see IngestPipeline). Throws or rejects with OtlpDecodeError when the bytes are not readable.
   * Otherwise it calls `answer` as soon as it knows what the response reports, which may be before
   * it has stored the spans; it stores them in the same task (see IngestPipeline), so a request the
   * sender makes after reading the answer finds them. A failure after `answer` is the sink's to
   * report; one before it (any other throw or rejection) is answered as a server error, and the
   * receiver keeps serving.
   */
  acceptTracesProtobuf(body: Uint8Array, answer: (result: ExportResult) => void): void | Promise<void>;
  /** OTLP/JSON traces as received, on the same terms as acceptTracesProtobuf. */
  acceptTracesJson(body: Uint8Array, answer: (result: ExportResult) => void): void | Promise<void>;
  /**
   * Optional: memory to read a traces body of `size` bytes into, which the sink can use more cheaply
   * than a buffer of the receiver's (IngestPipeline: shared with its index worker, reused). The
   * receiver releases it once the export has settled, and never reads it after that.
   */
  leaseBody?(size: number): BodyLease | undefined;
  /**
   * An OTLP logs export as received; resolves with what its answer reports once the records are stored.
   * Throws or rejects with OtlpDecodeError when the bytes are not readable; any other rejection is
   * answered as a server error, and the receiver keeps serving.
   */
  acceptLogsExport(body: Uint8Array, encoding: OtlpEncoding): ExportResult | Promise<ExportResult>;
  /**
   * Optional: each export once the sink has accepted it, as the request's bytes (inflated), for a sink
   * that passes exports on (forwarding upstream). The bytes may be reused after it returns: keep a copy.
   */
  exportAccepted?(signal: ReceivedSignal, encoding: OtlpEncoding, body: Uint8Array): void;
}

/**
 * Every signal the receivers take: traces and logs are read, metrics only acknowledged (SDKs set up with
 * OTEL_EXPORTER_OTLP_ENDPOINT send them too), and all three are passed on to exportAccepted.
 */
export type ReceivedSignal = OtlpSignal | 'metrics';

/** What an export's response reports: items that could not be read, and why (the first few). */
export interface ExportResult {
  rejected: number;
  errors: string[];
}

/** Memory lent to a receiver to read one request body into (OtlpSink.leaseBody). */
export interface BodyLease {
  /** Exactly the body's size. */
  readonly bytes: Uint8Array;
  /** Gives the memory back; later calls do nothing. */
  release(): void;
}
