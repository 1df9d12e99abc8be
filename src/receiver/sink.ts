// Where the receivers hand decoded payloads: the transports know nothing about what happens next.
import type { DecodedLogs, DecodedTraces, SplitTraces } from '../otlp/types';

export interface OtlpSink {
  /** A rejection (throw or rejected promise) is answered as a server error; the receiver keeps serving. */
  acceptTraces(decoded: DecodedTraces): void | Promise<void>;
  /** OTLP protobuf traces, split per span without a full decode (splitTraces.ts). */
  acceptSpanRecords(split: SplitTraces): void | Promise<void>;
  acceptLogs(decoded: DecodedLogs): void | Promise<void>;
}
