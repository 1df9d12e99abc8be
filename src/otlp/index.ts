// Public surface of OTLP decoding: bytes or JSON in, plain typed objects out.
export { decodeTracesProtobuf, decodeLogsProtobuf, decodeTracesProtobufBare } from './decodeProtobuf';
export { decodeTracesJson, decodeLogsJson } from './decodeJson';
export { splitTracesProtobuf, PREVIEW_STRING_BYTES } from './splitTraces';
export { encodeExportResponse, encodeRpcStatus, exportResponseObject, RpcCode } from './responses';
export type { ExportResponseObject, OtlpEncoding, OtlpSignal } from './responses';
export { otlpTypes, TRACE_EXPORT_PATH, LOGS_EXPORT_PATH } from './otlpSchema';
export { ANY_VALUE_DEPTH_LIMIT, DEPTH_LIMIT_MARKER } from './values';
export { OtlpDecodeError } from './types';
export type { DecodedLogs, DecodedTraces, RawLogRecord, RawSpan, SpanRecord, SplitTraces } from './types';
