import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs';
import { otlpTypes } from '../../../src/otlp/otlpSchema';

function fieldIds(type: protobuf.Type): Record<string, number> {
  return Object.fromEntries(type.fieldsArray.map((f) => [f.name, f.id]));
}

const root = otlpTypes.ExportTraceServiceRequest.root;

test('wire field numbers match opentelemetry-proto v1 (the ones that are easy to get wrong)', () => {
  assert.deepEqual(fieldIds(root.lookupType('opentelemetry.proto.common.v1.AnyValue')), {
    stringValue: 1, boolValue: 2, intValue: 3, doubleValue: 4, arrayValue: 5, kvlistValue: 6, bytesValue: 7,
  });
  const span = fieldIds(root.lookupType('opentelemetry.proto.trace.v1.Span'));
  assert.deepEqual(
    [span.traceId, span.spanId, span.parentSpanId, span.name, span.kind, span.startTimeUnixNano, span.endTimeUnixNano, span.attributes, span.events, span.links, span.status, span.flags],
    [1, 2, 4, 5, 6, 7, 8, 9, 11, 13, 15, 16],
  );
  assert.deepEqual(fieldIds(root.lookupType('opentelemetry.proto.trace.v1.Status')), { message: 2, code: 3 });
  const log = fieldIds(root.lookupType('opentelemetry.proto.logs.v1.LogRecord'));
  assert.deepEqual(
    [log.timeUnixNano, log.severityNumber, log.severityText, log.body, log.attributes, log.flags, log.traceId, log.spanId, log.observedTimeUnixNano, log.eventName],
    [1, 2, 3, 5, 6, 8, 9, 10, 11, 12],
  );
  assert.equal(root.lookupType('opentelemetry.proto.trace.v1.Span').fields.startTimeUnixNano.type, 'fixed64');
});

test('the services have the upstream gRPC method paths', () => {
  const trace = root.lookupService('opentelemetry.proto.collector.trace.v1.TraceService');
  const logs = root.lookupService('opentelemetry.proto.collector.logs.v1.LogsService');
  assert.equal(trace.methods.Export.resolvedRequestType, otlpTypes.ExportTraceServiceRequest);
  assert.equal(logs.methods.Export.resolvedResponseType, otlpTypes.ExportLogsServiceResponse);
  assert.equal(trace.fullName, '.opentelemetry.proto.collector.trace.v1.TraceService');
});
