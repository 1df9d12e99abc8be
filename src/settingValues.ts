// The `spanlight.*` settings as the rest of the extension uses them, from their raw values. settings.json
// takes any JSON (VS Code only underlines what breaks the schema in package.json), so each value is
// checked against that schema here: one that does not fit is replaced by its default and named in
// `problems`, never passed on. A retention limit of 0 typed by mistake must not empty the store, and a
// port that is a string must not stop the receiver with an obscure error.
import { parsePriceOverrides, type PriceOverrides } from './pricing/cost';

export interface SpanlightSettings {
  receiverEnabled: boolean;
  host: string;
  httpPort: number;
  /** 0 disables gRPC. */
  grpcPort: number;
  maxBodyBytes: number;
  corsOrigins: string[];
  maxSpans: number;
  maxBytes: number;
  /** The well-formed entries of `spanlight.pricing.overrides`. */
  priceOverrides: PriceOverrides;
  /** `spanlight.forward.endpoint`, trimmed; '' when forwarding is off. Checked as a URL by forwardTargetOf. */
  forwardEndpoint: string;
  /** Values that did not fit the schema, and what was used instead: for the user to hear of. */
  problems: string[];
}

const MiB = 1024 * 1024;

/** The numeric settings' bounds and defaults, as package.json declares them (a test holds them equal). */
export const NUMBER_SETTINGS = {
  'receiver.httpPort': { default: 4318, minimum: 0, maximum: 65535, integer: true },
  'receiver.grpcPort': { default: 4317, minimum: 0, maximum: 65535, integer: true },
  'receiver.maxBodyMB': { default: 16, minimum: 1, maximum: 512, integer: false },
  'retention.maxSpans': { default: 100_000, minimum: 100, maximum: Infinity, integer: true },
  'retention.maxMB': { default: 512, minimum: 8, maximum: Infinity, integer: true },
} as const;

export type NumberSetting = keyof typeof NUMBER_SETTINGS;

/**
 * `read(key)` gives the raw value of `spanlight.<key>` (undefined when unset and without a default).
 * `lastUsed(key)`, the value a numeric setting had before, is used in place of one that does not fit:
 * a port half-typed in settings.json ("70000" on the way to "7000") must not move the receiver to 4318.
 */
export function settingsFrom(read: (key: string) => unknown, lastUsed: (key: NumberSetting) => number | undefined = () => undefined): SpanlightSettings {
  const problems: string[] = [];
  const ignored = (key: string, value: unknown, expected: string, used: unknown) =>
    problems.push(`spanlight.${key} must be ${expected}: ${JSON.stringify(value)} is ignored, ${JSON.stringify(used)} is used`);

  const number = (key: NumberSetting): number => {
    const rule = NUMBER_SETTINGS[key];
    const value = read(key);
    if (value === undefined) return rule.default;
    const fits = typeof value === 'number' && Number.isFinite(value) && value >= rule.minimum && value <= rule.maximum && (!rule.integer || Number.isInteger(value));
    if (fits) return value;
    const range = rule.maximum === Infinity ? `at least ${rule.minimum}` : `from ${rule.minimum} to ${rule.maximum}`;
    const used = lastUsed(key) ?? rule.default;
    ignored(key, value, `${rule.integer ? 'an integer' : 'a number'} ${range}`, used);
    return used;
  };

  const enabled = read('receiver.enabled') ?? true;
  if (typeof enabled !== 'boolean') ignored('receiver.enabled', enabled, 'true or false', true);
  const host = read('receiver.host') ?? '127.0.0.1';
  if (typeof host !== 'string') ignored('receiver.host', host, 'a host name or IP address', '127.0.0.1');
  const origins = read('receiver.corsOrigins') ?? [];
  const strings = Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [];
  if (!Array.isArray(origins) || strings.length < origins.length) ignored('receiver.corsOrigins', origins, 'a list of origins (strings)', strings);
  const corsOrigins = corsOriginsOf(strings, problems);
  const forward = read('forward.endpoint') ?? '';
  if (typeof forward !== 'string') ignored('forward.endpoint', forward, 'a URL (a string)', '');
  const prices = parsePriceOverrides(read('pricing.overrides'));
  const others = Object.keys(prices.overrides).length > 0 ? '; the other overrides apply' : '';
  for (const error of prices.errors) problems.push(`spanlight.pricing.overrides: ${error}${others}`);

  const httpPort = number('receiver.httpPort');
  let grpcPort = number('receiver.grpcPort');
  if (grpcPort !== 0 && grpcPort === httpPort) {
    // Otherwise the gRPC receiver fails as if another program held the port: the HTTP one does.
    problems.push(`spanlight.receiver.grpcPort and spanlight.receiver.httpPort are both ${httpPort}: gRPC is off until they differ`);
    grpcPort = 0;
  }

  return {
    receiverEnabled: typeof enabled === 'boolean' ? enabled : true,
    host: (typeof host === 'string' ? host.trim() : '') || '127.0.0.1',
    httpPort,
    grpcPort,
    maxBodyBytes: Math.round(number('receiver.maxBodyMB') * MiB),
    corsOrigins,
    maxSpans: number('retention.maxSpans'),
    maxBytes: number('retention.maxMB') * MiB,
    priceOverrides: prices.overrides,
    forwardEndpoint: typeof forward === 'string' ? forward.trim() : '',
    problems,
  };
}

/**
 * The entries that are origins as a browser sends them (`scheme://host[:port]`, or `*`); a trailing
 * slash is dropped. Others are named in `problems`: `localhost:5173` would never match an Origin header.
 */
function corsOriginsOf(entries: readonly string[], problems: string[]): string[] {
  const origins: string[] = [];
  for (const entry of entries) {
    const origin = entry.trim().replace(/\/$/, '');
    if (origin === '*' || /^[a-z][a-z0-9+.-]*:\/\/[^/\s?#]+$/i.test(origin)) origins.push(origin);
    else problems.push(`spanlight.receiver.corsOrigins: ${JSON.stringify(entry)} is not an origin (scheme://host:port, e.g. "http://localhost:5173") and is ignored`);
  }
  return origins;
}
