// Where a receiver may listen: loopback by default, anything else only behind a token.
import { ReceiverConfigError, type ReceiverTransport } from './errors';

/** `[::1]` (URL form) → `::1` (what listen() takes); surrounding spaces from settings removed. */
export function normalizeHost(host: string): string {
  const h = host.trim();
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

/** `::1` → `[::1]` for URLs and grpc-js addresses. */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The URL a local client dials for a receiver bound to `host`: a wildcard bind is reached on loopback. */
export function dialUrl(host: string, port: number): string {
  const h = normalizeHost(host);
  const dialable = h === '0.0.0.0' || h === '' || h === '::' ? '127.0.0.1' : h;
  return `http://${hostForUrl(dialable)}:${port}`;
}

const LOOPBACK_NAMES = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

/** Whether binding to `host` keeps the receiver reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = normalizeHost(host).toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  // 127.0.0.0/8, also in its IPv4-mapped IPv6 form.
  return /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/** DESIGN.md: "Bind 127.0.0.1; binding elsewhere needs an explicit setting and a bearer token." */
export function assertSafeBind(host: string, authToken: string | undefined, transport: ReceiverTransport): void {
  if (isLoopbackHost(host) || (authToken !== undefined && authToken.length > 0)) return;
  throw new ReceiverConfigError(
    `Refusing to start the ${transport === 'http' ? 'OTLP/HTTP' : 'OTLP/gRPC'} receiver on ${host} without a bearer token: ` +
      'it is not a loopback address (127.0.0.1, ::1 or localhost), so other machines that reach it could send traces ' +
      'to it and read them back. Bind to 127.0.0.1, or set a bearer token ("Spanlight: Set Receiver Auth Token" in ' +
      'VS Code, SPANLIGHT_AUTH_TOKEN for `spanlight serve`) that exporters send as "Authorization: Bearer <token>" ' +
      '(OTEL_EXPORTER_OTLP_HEADERS).',
  );
}
