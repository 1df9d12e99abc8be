// One export request's body → the sink, shared by the HTTP and gRPC receivers. Protobuf traces go to
// the sink undecoded (it has a faster path for them, and answers before it stores); everything else
// is decoded here and answered once stored. Errors before the answer: OtlpDecodeError is the
// client's (400 / INVALID_ARGUMENT), anything else is ours (500 / INTERNAL).
import { decodeLogsJson, decodeTracesJson } from '../otlp/decodeJson';
import { decodeLogsProtobuf } from '../otlp/decodeProtobuf';
import type { OtlpEncoding, OtlpSignal } from '../otlp/responses';
import type { ExportResult, OtlpSink } from './sink';

/**
 * Calls `answer` at most once, with what the success response reports; rejects if that cannot be sent.
 * An export the sink accepted is then passed to its exportAccepted, if it has one.
 */
export async function receiveExport(
  sink: OtlpSink,
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  body: Uint8Array,
  answer: (result: ExportResult) => void,
): Promise<void> {
  await acceptExport(sink, signal, encoding, body, answer);
  sink.exportAccepted?.(signal, encoding, body);
}

async function acceptExport(
  sink: OtlpSink,
  signal: OtlpSignal,
  encoding: OtlpEncoding,
  body: Uint8Array,
  answer: (result: ExportResult) => void,
): Promise<void> {
  if (signal === 'traces' && encoding === 'protobuf') return sink.acceptTracesProtobuf(body, answer);
  if (signal === 'traces') {
    const traces = decodeTracesJson(body);
    await sink.acceptTraces(traces);
    answer(traces);
    return;
  }
  const logs = encoding === 'protobuf' ? decodeLogsProtobuf(body) : decodeLogsJson(body);
  await sink.acceptLogs(logs);
  answer(logs);
}
