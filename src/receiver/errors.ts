// Typed start-up failures of the receivers, with messages a user can act on.

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
        `\`${setting}\` setting (or \`${cliFlag}\` for \`spanlight serve\`) and point ` +
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
 * An exporter speaking the other transport's protocol: OTLP/HTTP sent to the gRPC port, or gRPC to the
 * HTTP port. The most common reason a user sees no traces at all (Python's exporter defaults to gRPC,
 * Node's to HTTP, and the two ports are one digit apart); without this, the connection just fails.
 */
export class MisdirectedExportError extends Error {
  override readonly name = 'MisdirectedExportError';

  /**
   * @param port the port it reached, `transport`'s
   * @param peerPort the other transport's port, where it should go, when that one is listening
   */
  constructor(
    readonly transport: ReceiverTransport,
    readonly host: string,
    readonly port: number,
    readonly peerPort: number | undefined,
  ) {
    const sent = transport === 'grpc' ? 'OTLP/HTTP' : 'OTLP/gRPC';
    const here = transport === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP';
    const protocol = transport === 'grpc' ? 'grpc' : 'http/protobuf';
    const instead = peerPort === undefined ? '' : `point it at port ${peerPort} (OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${peerPort}), or `;
    super(`An ${sent} exporter is sending to ${host}:${port}, Spanlight's ${here} port: ${instead}make it send ${here} with OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}.`);
  }
}
