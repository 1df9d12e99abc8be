// Where the receivers hand decoded payloads: the transports know nothing about what happens next.
import type { DecodedLogs, DecodedTraces } from '../otlp/types';

export interface OtlpSink {
  /** A rejection (throw or rejected promise) is answered as a server error; the receiver keeps serving. */
  acceptTraces(decoded: DecodedTraces): void | Promise<void>;
  /**
   * OTLP protobuf traces as received: the sink decodes them (the hot path decodes on its own terms,
   * see IngestPipeline). Throws or rejects with OtlpDecodeError when the bytes are not readable.
   */
  acceptTracesProtobuf(body: Uint8Array): ExportResult | Promise<ExportResult>;
  acceptLogs(decoded: DecodedLogs): void | Promise<void>;
}

/** What an export's response reports: items that could not be read, and why (the first few). */
export interface ExportResult {
  rejected: number;
  errors: string[];
}
