// OpenTelemetry set-up for the sample app: the same few lines a user adds to their own app.
// Spans and GenAI log records go to Spanlight over OTLP/HTTP (protobuf) — see the README for Python and gRPC.
const { trace } = require('@opentelemetry/api');
const { logs } = require('@opentelemetry/api-logs');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');

const resource = resourceFromAttributes({ 'service.name': 'support-bot', 'service.version': '0.3.0' });

// Exporters read OTEL_EXPORTER_OTLP_ENDPOINT (default http://localhost:4318).
const tracerProvider = new NodeTracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 200 })],
});
tracerProvider.register();

const loggerProvider = new LoggerProvider({
  resource,
  processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter(), scheduledDelayMillis: 200 })],
});
logs.setGlobalLoggerProvider(loggerProvider);

// Must run before `openai` is first required: the instrumentation patches it on load.
registerInstrumentations({ instrumentations: [new OpenAIInstrumentation({ captureMessageContent: true })] });

async function shutdown() {
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();
}

module.exports = { tracer: trace.getTracer('support-bot'), shutdown };
