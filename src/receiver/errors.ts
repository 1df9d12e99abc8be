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

const LOOPBACK_NAMES = new Set(['localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

/** Whether binding to `host` keeps the receiver reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  // 127.0.0.0/8, also in its IPv4-mapped IPv6 form.
  return /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/** DESIGN.md: "Bind 127.0.0.1; binding elsewhere needs an explicit setting and a bearer token." */
export function assertSafeBind(host: string, authToken: string | undefined, transport: ReceiverTransport): void {
  if (isLoopbackHost(host) || (authToken !== undefined && authToken.length > 0)) return;
  const setting = 'spanlight.receiver.authToken';
  throw new ReceiverConfigError(
    `Refusing to start the ${transport === 'http' ? 'OTLP/HTTP' : 'OTLP/gRPC'} receiver on ${host}: it would accept ` +
      `traces (and serve them) to other machines without authentication. Bind to 127.0.0.1, or set a bearer token ` +
      `(\`${setting}\`, or \`--auth-token\` for \`spanlight serve\`) and send it as "Authorization: Bearer <token>".`,
  );
}
