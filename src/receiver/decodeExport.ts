// One export request's body → what the sink receives, shared by the HTTP and gRPC receivers.
// Decoding comes first and on its own (its errors are the client's: 400 / INVALID_ARGUMENT); delivery
// is a separate step (its errors are ours: 500 / INTERNAL).
import { decodeLogsJson, decodeTracesJson } from '../otlp/decodeJson';
import { decodeLogsProtobuf } from '../otlp/decodeProtobuf';
import type { OtlpEncoding, OtlpSignal } from '../otlp/responses';
import { splitTracesProtobuf } from '../otlp/splitTraces';
import type { OtlpSink } from './sink';

export interface DecodedExport {
  rejected: number;
  errors: string[];
  deliverTo(sink: OtlpSink): void | Promise<void>;
}

export function decodeExport(signal: OtlpSignal, encoding: OtlpEncoding, body: Uint8Array): DecodedExport {
  if (signal === 'traces' && encoding === 'protobuf') {
    // The hot path: spans are split out as received, not fully decoded (see splitTraces.ts).
    const split = splitTracesProtobuf(body);
    return { rejected: split.rejected, errors: split.errors, deliverTo: (sink) => sink.acceptSpanRecords(split) };
  }
  if (signal === 'traces') {
    const traces = decodeTracesJson(body);
    return { rejected: traces.rejected, errors: traces.errors, deliverTo: (sink) => sink.acceptTraces(traces) };
  }
  const logs = encoding === 'protobuf' ? decodeLogsProtobuf(body) : decodeLogsJson(body);
  return { rejected: logs.rejected, errors: logs.errors, deliverTo: (sink) => sink.acceptLogs(logs) };
}
