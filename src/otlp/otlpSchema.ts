// The subset of opentelemetry-proto that Spanlight reads: proto3 texts (one per upstream file) parsed once by protobufjs.
// Field numbers, names and packages are copied from open-telemetry/opentelemetry-proto v1.11.0
// (common/v1/common.proto, resource/v1/resource.proto, trace/v1/trace.proto, logs/v1/logs.proto,
// collector/{trace,logs}/v1/*_service.proto). Packages are upstream's so gRPC paths match
// (`/opentelemetry.proto.collector.trace.v1.TraceService/Export`).
// Left out on purpose (unknown fields are skipped by the decoder): AnyValue.string_value_strindex,
// KeyValue.key_strindex and Resource.entity_refs (development features), metrics and profiles.
// The text lives in a .ts constant rather than a .proto file so the same import works in the esbuild
// bundle and under tsx in tests (tsx has no text loader for .proto).
import protobuf from 'protobufjs';

const COMMON_PROTO = `
syntax = "proto3";

package opentelemetry.proto.common.v1;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue {
  string key = 1;
  AnyValue value = 2;
}
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
`;

const RESOURCE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.resource.v1;
message Resource {
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}
`;

const TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto.trace.v1;
message ResourceSpans {
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
  string schema_url = 3;
}
message ScopeSpans {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0;
    SPAN_KIND_INTERNAL = 1;
    SPAN_KIND_SERVER = 2;
    SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4;
    SPAN_KIND_CONSUMER = 5;
  }
  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status {
  reserved 1;
  string message = 2;
  enum StatusCode {
    STATUS_CODE_UNSET = 0;
    STATUS_CODE_OK = 1;
    STATUS_CODE_ERROR = 2;
  }
  StatusCode code = 3;
}
`;

const LOGS_PROTO = `
syntax = "proto3";
package opentelemetry.proto.logs.v1;
message ResourceLogs {
  opentelemetry.proto.resource.v1.Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ScopeLogs {
  opentelemetry.proto.common.v1.InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message LogRecord {
  reserved 4;
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  // SeverityNumber enum upstream: int32 has the same wire encoding and keeps values as numbers.
  int32 severity_number = 2;
  string severity_text = 3;
  opentelemetry.proto.common.v1.AnyValue body = 5;
  repeated opentelemetry.proto.common.v1.KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
`;

const COLLECTOR_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.trace.v1;
service TraceService {
  rpc Export(ExportTraceServiceRequest) returns (ExportTraceServiceResponse) {}
}
message ExportTraceServiceRequest {
  repeated opentelemetry.proto.trace.v1.ResourceSpans resource_spans = 1;
}
message ExportTraceServiceResponse {
  ExportTracePartialSuccess partial_success = 1;
}
message ExportTracePartialSuccess {
  int64 rejected_spans = 1;
  string error_message = 2;
}
`;

const COLLECTOR_LOGS_PROTO = `
syntax = "proto3";
package opentelemetry.proto.collector.logs.v1;
service LogsService {
  rpc Export(ExportLogsServiceRequest) returns (ExportLogsServiceResponse) {}
}
message ExportLogsServiceRequest {
  repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1;
}
message ExportLogsServiceResponse {
  ExportLogsPartialSuccess partial_success = 1;
}
message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}
`;

// OTLP/HTTP: "The response body for all HTTP 4xx and HTTP 5xx responses MUST be a Protobuf-encoded
// Status message that describes the problem" (google/rpc/status.proto; `details` omitted).
const RPC_STATUS_PROTO = `
syntax = "proto3";
package google.rpc;
message Status {
  int32 code = 1;
  string message = 2;
}
`;

/** All schema parts, in dependency order; each is a separate proto3 file upstream. */
export const OTLP_PROTO_FILES: readonly string[] = [
  COMMON_PROTO,
  RESOURCE_PROTO,
  TRACE_PROTO,
  LOGS_PROTO,
  COLLECTOR_PROTO,
  COLLECTOR_LOGS_PROTO,
  RPC_STATUS_PROTO,
];

/** One protobufjs root from proto3 texts, in dependency order. */
function rootOf(texts: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  // keepCase false: protobufjs exposes fields as camelCase (traceId), matching OTLP/JSON names.
  for (const text of texts) protobuf.parse(text, root, { keepCase: false });
  root.resolveAll();
  return root;
}

const root = rootOf(OTLP_PROTO_FILES);

export const otlpTypes = {
  ExportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  ExportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
  ExportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  ExportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  AnyValue: root.lookupType('opentelemetry.proto.common.v1.AnyValue'),
  Span: root.lookupType('opentelemetry.proto.trace.v1.Span'),
  RpcStatus: root.lookupType('google.rpc.Status'),
} as const;

/**
 * The wire type that protobufjs' decoder reads each declared field of `type` with, by field number
 * (-1: not declared, or a repeated scalar, which it reads packed or not). Its generated decoders do
 * not check the wire: a declared field sent with another wire type is read as garbage, which may throw
 * or shift every field after it. The ingest walk (previewScan.ts) skips some declared fields unread,
 * and rejects them when their wire type differs, as a span stored from those bytes would not read back.
 */
function declaredWireTypes(type: protobuf.Type): Int8Array {
  const wires = new Int8Array(Math.max(0, ...type.fieldsArray.map((f) => f.id)) + 1).fill(-1);
  for (const field of type.fieldsArray) {
    const basic = (protobuf.types.basic as Record<string, number | undefined>)[field.type];
    if (field.resolvedType instanceof protobuf.Type) wires[field.id] = 2;
    else if (field.resolvedType instanceof protobuf.Enum) wires[field.id] = field.repeated ? -1 : 0;
    else if (basic !== undefined) wires[field.id] = field.repeated && basic !== 2 ? -1 : basic;
  }
  return wires;
}

/** declaredWireTypes of each message of a trace export, as the full decoder (and the store's reader) reads them. */
export const traceWireTypes = {
  ExportTraceServiceRequest: declaredWireTypes(otlpTypes.ExportTraceServiceRequest),
  ResourceSpans: declaredWireTypes(root.lookupType('opentelemetry.proto.trace.v1.ResourceSpans')),
  ScopeSpans: declaredWireTypes(root.lookupType('opentelemetry.proto.trace.v1.ScopeSpans')),
  Resource: declaredWireTypes(root.lookupType('opentelemetry.proto.resource.v1.Resource')),
  InstrumentationScope: declaredWireTypes(root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope')),
  Span: declaredWireTypes(otlpTypes.Span),
  Event: declaredWireTypes(root.lookupType('opentelemetry.proto.trace.v1.Span.Event')),
  Link: declaredWireTypes(root.lookupType('opentelemetry.proto.trace.v1.Span.Link')),
  Status: declaredWireTypes(root.lookupType('opentelemetry.proto.trace.v1.Status')),
  KeyValue: declaredWireTypes(root.lookupType('opentelemetry.proto.common.v1.KeyValue')),
  AnyValue: declaredWireTypes(otlpTypes.AnyValue),
  ArrayValue: declaredWireTypes(root.lookupType('opentelemetry.proto.common.v1.ArrayValue')),
  KeyValueList: declaredWireTypes(root.lookupType('opentelemetry.proto.common.v1.KeyValueList')),
} as const;

/** `text` with `from` replaced, failing loudly if an upstream edit above made the pattern vanish. */
function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`otlpSchema: split schema pattern not found: ${from}`);
  return text.replace(from, to);
}

/**
 * The same wire format read shallowly, for the store's reader of span records (SpanRecordReader in
 * splitTraces.ts), which decodes each distinct resource and scope once. Wire-compatible retypings only
 * (message and string fields are all length-delimited, like bytes):
 * - ScopeSpans.spans, ResourceSpans.resource and ScopeSpans.scope are `bytes`: each part comes out
 *   untouched (a view, no copy), so a resource can be recognized by its bytes;
 * - AnyValue.string_value is `bytes` (values.ts decodes them): strings are decoded once, when converted.
 * (The ingest hot path walks the wire itself: previewScan.ts.)
 */
function buildSplitRoot(): protobuf.Root {
  const common = replaceOnce(COMMON_PROTO, 'string string_value = 1;', 'bytes string_value = 1;');
  let trace = replaceOnce(TRACE_PROTO, 'opentelemetry.proto.resource.v1.Resource resource = 1;', 'bytes resource = 1;');
  trace = replaceOnce(
    trace,
    'opentelemetry.proto.common.v1.InstrumentationScope scope = 1;\n  repeated Span spans = 2;',
    'bytes scope = 1;\n  repeated bytes spans = 2;',
  );
  const request =
    'syntax = "proto3"; package spanlight.split; message TracesRequest { repeated opentelemetry.proto.trace.v1.ResourceSpans resource_spans = 1; }';
  return rootOf([common, RESOURCE_PROTO, trace, request]);
}

const splitRoot = buildSplitRoot();

export const splitTypes = {
  TracesRequest: splitRoot.lookupType('spanlight.split.TracesRequest'),
  Resource: splitRoot.lookupType('opentelemetry.proto.resource.v1.Resource'),
  InstrumentationScope: splitRoot.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
} as const;

export const TRACE_EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
export const LOGS_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';
