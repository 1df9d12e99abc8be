// One export request's body → the sink, shared by the HTTP and gRPC receivers. Both signals go to the
// sink undecoded (it reads big exports off the main thread); traces are answered before they are
// stored, logs once they are. Errors before the answer: OtlpDecodeError is the client's (400 /
// INVALID_ARGUMENT), anything else is ours (500 / INTERNAL).
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
  if (signal === 'traces') return encoding === 'protobuf' ? sink.acceptTracesProtobuf(body, answer) : sink.acceptTracesJson(body, answer);
  answer(await sink.acceptLogsExport(body, encoding));
}
