// Where exporters should send, and the copy-able set-up for each stack, derived from the receiver
// status (the port actually bound) with the settings as the fallback when this window does not host it.
import type { EndpointInfo, EnvSnippet } from '../protocol/messages';
import type { ReceiverStatus, TransportStatus } from '../protocol/receiverStatus';
import { dialUrl } from '../receiver/bindAddress';

export interface ConfiguredEndpoint {
  host: string;
  httpPort: number;
  /** 0: gRPC disabled. */
  grpcPort: number;
}

function url(t: TransportStatus, host: string, port: number | undefined): string | undefined {
  if (t.state === 'listening') return dialUrl(t.host, t.port);
  if (t.state === 'disabled' || !port) return undefined;
  return dialUrl(host, port);
}

/**
 * The listening URLs; when this window does not run the receiver, the owner window's HTTP address if
 * known (`remoteHttpUrl`), else the configured ones.
 */
export function endpointInfo(status: ReceiverStatus, configured: ConfiguredEndpoint, remoteHttpUrl?: string): EndpointInfo {
  return {
    httpUrl: status.http.state === 'listening' ? url(status.http, configured.host, configured.httpPort) : (remoteHttpUrl ?? url(status.http, configured.host, configured.httpPort)),
    grpcUrl: url(status.grpc, configured.host, configured.grpcPort),
  };
}

const DEFAULT_HTTP = 'http://127.0.0.1:4318';
const DEFAULT_GRPC = 'http://127.0.0.1:4317';

/**
 * The token itself is never in a snippet: a snippet is copied to the clipboard and pasted into shell
 * history and files. The user has it (they set it); the placeholder says where it goes.
 */
const TOKEN_PLACEHOLDER = '<your Spanlight token>';

/** @param tokenRequired the receiver asks for a bearer token (spanlight: Set Receiver Auth Token): snippets send one. */
export function envSnippets(endpoint: EndpointInfo, tokenRequired = false): EnvSnippet[] {
  const http = endpoint.httpUrl ?? DEFAULT_HTTP;
  const grpc = endpoint.grpcUrl ?? DEFAULT_GRPC;
  // The official GenAI instrumentations record prompts and completions only when asked to.
  const capture = 'export OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true';
  // Every exporter that reads the standard variables sends it from here.
  const tokenHeader = tokenRequired ? [`export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20${TOKEN_PLACEHOLDER}"`] : [];
  const snippets: EnvSnippet[] = [];
  // gRPC set-ups only where there is a gRPC port to point at (the configured one when nothing is known).
  const grpcOffered = endpoint.grpcUrl !== undefined || endpoint.httpUrl === undefined;
  if (grpcOffered) {
    snippets.push({
      id: 'python-grpc',
      label: 'Python (gRPC)',
      detail: "The default of Python's OTLP exporter",
      text: [
        `export OTEL_EXPORTER_OTLP_ENDPOINT=${grpc}`,
        'export OTEL_EXPORTER_OTLP_PROTOCOL=grpc',
        capture,
        ...tokenHeader,
        'export OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental',
        'opentelemetry-instrument python app.py',
      ].join('\n'),
    });
  }
  snippets.push(
    {
      id: 'python-http',
      label: 'Python (HTTP)',
      detail: 'OTLP over HTTP/protobuf',
      text: [
        `export OTEL_EXPORTER_OTLP_ENDPOINT=${http}`,
        'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        capture,
        ...tokenHeader,
        'export OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental',
        'opentelemetry-instrument python app.py',
      ].join('\n'),
    },
    {
      id: 'node',
      label: 'Node.js',
      detail: 'The JavaScript OTLP exporters default to HTTP/protobuf',
      text: [
        `export OTEL_EXPORTER_OTLP_ENDPOINT=${http}`,
        'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        capture,
        ...tokenHeader,
        'node --require @opentelemetry/auto-instrumentations-node/register app.js',
      ].join('\n'),
    },
    {
      id: 'vercel-ai',
      label: 'Vercel AI SDK',
      detail: 'Register an OTLP exporter once, then enable telemetry per call',
      text: [
        "// instrumentation.ts — npm i @opentelemetry/sdk-node @opentelemetry/exporter-trace-otlp-proto",
        "import { NodeSDK } from '@opentelemetry/sdk-node';",
        "import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';",
        tokenRequired
          ? `new NodeSDK({ traceExporter: new OTLPTraceExporter({ url: '${http}/v1/traces', headers: { Authorization: 'Bearer ${TOKEN_PLACEHOLDER}' } }) }).start();`
          : `new NodeSDK({ traceExporter: new OTLPTraceExporter({ url: '${http}/v1/traces' }) }).start();`,
        '',
        '// each call',
        'await generateText({',
        "  model: openai('gpt-4o-mini'),",
        "  prompt: 'Hello',",
        '  experimental_telemetry: { isEnabled: true, recordInputs: true, recordOutputs: true },',
        '});',
      ].join('\n'),
    },
    {
      id: 'claude-code',
      label: 'Claude Code',
      detail: 'Its events: one trace per prompt, with each model call and tool use',
      text: [
        'export CLAUDE_CODE_ENABLE_TELEMETRY=1',
        'export OTEL_LOGS_EXPORTER=otlp',
        `export OTEL_EXPORTER_OTLP_ENDPOINT=${http}`,
        'export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
        ...tokenHeader,
        'export OTEL_LOG_USER_PROMPTS=1',
        'claude',
      ].join('\n'),
    },
    {
      id: 'codex',
      label: 'Codex',
      detail: 'In ~/.codex/config.toml: its events, one trace per prompt',
      text: [
        '[otel]',
        tokenRequired
          ? `exporter = { otlp-http = { endpoint = "${http}/v1/logs", protocol = "binary", headers = { "Authorization" = "Bearer ${TOKEN_PLACEHOLDER}" } } }`
          : `exporter = { otlp-http = { endpoint = "${http}/v1/logs", protocol = "binary" } }`,
        'log_user_prompt = true',
      ].join('\n'),
    },
  );
  if (grpcOffered) {
    // Gemini CLI exports over gRPC by default; its traces, when on, give each model call its conversation.
    snippets.push({
      id: 'gemini-cli',
      label: 'Gemini CLI',
      detail: 'Its traces, or its events: one trace per prompt, with each model call and tool call',
      text: [
        'export GEMINI_TELEMETRY_ENABLED=true',
        'export GEMINI_TELEMETRY_TARGET=local',
        `export GEMINI_TELEMETRY_OTLP_ENDPOINT=${grpc}`,
        'export GEMINI_TELEMETRY_OTLP_PROTOCOL=grpc',
        ...tokenHeader,
        'export GEMINI_TELEMETRY_TRACES_ENABLED=true',
        'gemini',
      ].join('\n'),
    });
  }
  return snippets;
}
