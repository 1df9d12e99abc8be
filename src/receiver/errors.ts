// Typed start-up failures of the receivers, with messages a user can act on.
import type { ReceivedSignal } from './sink';

export type ReceiverTransport = 'http' | 'grpc';

/**
 * The port is taken. DESIGN.md: "Port already taken → clear status-bar state and notification with the fix
 * (another window or a collector owns it); never a silent failure."
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  /** The VS Code setting that moves this receiver. */
  readonly setting: string;
  /** The `spanlight serve` flag that moves this receiver. */
  readonly cliFlag: string;

  constructor(
    readonly port: number,
    readonly transport: ReceiverTransport,
    readonly host: string,
  ) {
    const setting = transport === 'http' ? 'spanlight.receiver.httpPort' : 'spanlight.receiver.grpcPort';
    const cliFlag = transport === 'http' ? '--port' : '--grpc-port';
    const protocol = transport === 'http' ? 'OTLP/HTTP' : 'OTLP/gRPC';
    super(
      `Spanlight cannot receive ${protocol} on ${host}:${port}: the port is already in use. ` +
        'It is probably held by another VS Code window running Spanlight, an OpenTelemetry Collector, ' +
        'Jaeger or another OTLP receiver. Stop that program, or choose another port with the ' +
        // No Markdown: notifications and the sidebar show backticks as they are.
        `${setting} setting (or ${cliFlag} for spanlight serve) and point ` +
        'OTEL_EXPORTER_OTLP_ENDPOINT at it.',
    );
    this.setting = setting;
    this.cliFlag = cliFlag;
  }
}

/** Refused configuration, e.g. a non-loopback bind without a token. */
export class ReceiverConfigError extends Error {
  override readonly name = 'ReceiverConfigError';
}

/**
 * How an exporter reached a port set up wrong: the other transport's protocol, TLS on a plain port, or
 * (OTLP/HTTP) a path that is not an export route.
 */
export type ExportMismatch = 'protocol' | 'tls' | 'path';

/**
 * An exporter set up wrong for the port it reached: OTLP/HTTP sent to the gRPC port or gRPC to the HTTP
 * port (Python's exporter defaults to gRPC, Node's to HTTP, and the ports are one digit apart), or TLS on
 * Spanlight's plain ports (an `https://` endpoint, or Python's gRPC exporter given one without a scheme).
 * The most common reasons a user sees no traces at all; without this, the connection just fails.
 */
export class MisdirectedExportError extends Error {
  override readonly name = 'MisdirectedExportError';

  /**
   * @param port the port it reached, `transport`'s
   * @param peerPort the other transport's port, where a `protocol` mismatch should go, when known
   */
  constructor(
    readonly transport: ReceiverTransport,
    readonly host: string,
    readonly port: number,
    readonly peerPort: number | undefined,
    readonly mismatch: ExportMismatch = 'protocol',
    /** For a `path` mismatch: the path it posted to. */
    readonly path = '/',
  ) {
    super(mismatch === 'tls' ? tlsMessage(transport, host, port) : mismatch === 'path' ? pathMessage(host, port, path) : protocolMessage(transport, host, port, peerPort));
  }
}

function pathMessage(host: string, port: number, path: string): string {
  const base = `http://localhost:${port}`;
  return (
    `An OTLP/HTTP exporter posted to ${path} on ${host}:${port}; exports go to /v1/traces and /v1/logs. ` +
    `OTEL_EXPORTER_OTLP_ENDPOINT takes the base URL (${base}: the exporter adds the path), ` +
    `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and OTEL_EXPORTER_OTLP_LOGS_ENDPOINT the whole URL (${base}/v1/traces).`
  );
}

function protocolMessage(transport: ReceiverTransport, host: string, port: number, peerPort: number | undefined): string {
  // What reaches the HTTP port in HTTP/2 is gRPC but for the rare OTLP/HTTP client set to HTTP/2 only.
  const sent = transport === 'grpc' ? 'OTLP/HTTP' : 'OTLP/gRPC (HTTP/2)';
  const here = transport === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP';
  const protocol = transport === 'grpc' ? 'grpc' : 'http/protobuf';
  const instead = peerPort === undefined ? '' : `point it at port ${peerPort} (OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${peerPort}), or `;
  const http11 = transport === 'http' ? ' An OTLP/HTTP client must use HTTP/1.1 here.' : '';
  return `An ${sent} exporter is sending to ${host}:${port}, Spanlight's ${here} port: ${instead}make it send ${here} with OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}.${http11}`;
}

function tlsMessage(transport: ReceiverTransport, host: string, port: number): string {
  const python = transport === 'grpc' ? " (Python's gRPC exporter: or OTEL_EXPORTER_OTLP_INSECURE=true)" : '';
  return `An exporter is connecting to ${host}:${port} with TLS, but Spanlight's receiver takes plain connections on this machine: use http://localhost:${port} as its endpoint${python}.`;
}

/**
 * An export refused (unreadable, too big, not OTLP). Its sender hears why, but an SDK logs little of it
 * (Node's exporter: "Bad Request"), so the user would see traces missing and nothing to say why.
 */
export class RejectedExportError extends Error {
  override readonly name = 'RejectedExportError';

  constructor(
    readonly transport: ReceiverTransport,
    /** The HTTP status the export was answered with (gRPC's INVALID_ARGUMENT counts as 400). */
    readonly status: number,
    reason: string,
    /** What was exported, when known: its SDK setting for smaller batches is named. */
    signal?: ReceivedSignal,
  ) {
    const hint = status === 413 ? ` Raise spanlight.receiver.maxBodyMB (headless: --body-limit-mib), or have the app export smaller batches${signal ? BATCH_SETTING[signal] : ''}.` : '';
    const sentence = hint && !/[.!?]$/.test(reason) ? `${reason}.` : reason;
    super(`Spanlight refused an ${transport === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP'} export (${status}): ${sentence}${hint}`);
  }
}

/** The OTel SDKs' setting for the size of an export's batch, by signal (metrics have none of the kind). */
const BATCH_SETTING: Record<ReceivedSignal, string> = {
  traces: ' (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)',
  logs: ' (OTEL_BLRP_MAX_EXPORT_BATCH_SIZE)',
  metrics: '',
};
