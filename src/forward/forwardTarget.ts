// Where received exports are forwarded (DESIGN.md, Scale: past one machine, users already run a
// Collector, Langfuse, Phoenix or Jaeger): an OTLP/HTTP endpoint given the way OpenTelemetry SDKs take
// OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_HEADERS, so a user copies the values they already
// have. Pure: parsing and checks only, no I/O.
import { isLoopbackHost, normalizeHost } from '../receiver/bindAddress';
import type { ReceivedSignal } from '../receiver/sink';

export interface ForwardTarget {
  /** The base endpoint, as shown to the user (never with credentials: those go in headers). */
  endpoint: string;
  /** Where each signal goes: the base with /v1/traces, /v1/logs, /v1/metrics. */
  urls: Readonly<Record<ReceivedSignal, string>>;
  /** Sent with every export (authorization, tenant…): secrets, kept out of logs and messages. */
  headers: Readonly<Record<string, string>>;
  /** A loopback upstream (a local Collector): exports go uncompressed, and need no trusted workspace. */
  loopback: boolean;
}

/** The receiver's own HTTP address, which the target must not be (each export would come back forever). */
export interface OwnAddress {
  host: string;
  port: number;
}

/** Headers each export's POST sets itself (or HTTP does): a user's value would break the request. */
const RESERVED_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-encoding', 'content-length', 'transfer-encoding', 'connection', 'host']);

const SIGNAL_PATH = /\/v1\/(traces|logs|metrics)\/?$/;

/**
 * A target from the endpoint setting and the headers secret; an error message a user can act on when
 * either is wrong. `endpoint` is a base URL (`/v1/traces` and `/v1/logs` are appended, as SDKs do with
 * OTEL_EXPORTER_OTLP_ENDPOINT); a pasted signal URL (…/v1/traces) is taken for its base.
 */
export function forwardTargetOf(endpoint: string, headers = '', own?: OwnAddress): { target: ForwardTarget } | { error: string } {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return { error: `"${endpoint}" is not a URL (expected e.g. http://localhost:4328 or https://cloud.langfuse.com/api/public/otel)` };
  }
  if (!endpoint.includes('://')) return { error: `"${endpoint.trim()}" has no scheme: write http://${endpoint.trim()} (or https://)` };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `${url.protocol} is not supported: the endpoint must be an http:// or https:// OTLP/HTTP endpoint` };
  // A setting is no place for credentials (they would show in settings.json and in messages).
  if (url.username || url.password) return { error: 'the endpoint must not hold credentials: set them as headers (command "Spanlight: Set Forwarding Headers")' };
  if (url.search || url.hash) return { error: 'the endpoint must not have a query or fragment' };
  const parsed = parseOtlpHeaders(headers);
  if ('error' in parsed) return parsed;
  const base = url.href.replace(SIGNAL_PATH, '').replace(/\/+$/, '');
  const loopback = isLoopbackHost(url.hostname);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (own && port === own.port && (loopback || normalizeHost(url.hostname) === normalizeHost(own.host))) {
    return { error: `${base} is Spanlight's own receiver: every export would be forwarded back to it` };
  }
  const urls = { traces: `${base}/v1/traces`, logs: `${base}/v1/logs`, metrics: `${base}/v1/metrics` };
  return { target: { endpoint: base, urls, headers: parsed.headers, loopback } };
}

/**
 * Headers in OTEL_EXPORTER_OTLP_HEADERS form: `key=value` pairs separated by commas, values
 * percent-encoded (`Authorization=Basic%20dXNlcjpwYXNz`). Messages name the pair, never its value.
 */
export function parseOtlpHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const [index, pair] of text.split(',').entries()) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (eq < 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) return { error: `forwarding header ${index + 1} must be name=value with a valid header name` };
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return { error: `the value of forwarding header "${key}" is not valid percent-encoding` };
    }
    // What Node's http client accepts in a header value without throwing, less its Latin-1 range (a
    // token with an accented letter is a typo, better refused here than failing every export).
    if (!/^[\t\x20-\x7e]*$/.test(value)) return { error: `the value of forwarding header "${key}" holds a line break or a character outside printable ASCII` };
    const name = key.toLowerCase();
    if (RESERVED_HEADERS.has(name)) return { error: `forwarding header "${key}" is set by Spanlight for each export` };
    headers[name] = value;
  }
  return { headers };
}
