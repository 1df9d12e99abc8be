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
  'receiver.maxBodyMiB': { default: 16, minimum: 1, maximum: 512, integer: false },
  'retention.maxSpans': { default: 100_000, minimum: 100, maximum: Infinity, integer: true },
  'retention.maxMiB': { default: 512, minimum: 8, maximum: Infinity, integer: true },
} as const;

/** `read(key)` gives the raw value of `spanlight.<key>` (undefined when unset and without a default). */
export function settingsFrom(read: (key: string) => unknown): SpanlightSettings {
  const problems: string[] = [];
  const ignored = (key: string, value: unknown, expected: string, used: unknown) =>
    problems.push(`spanlight.${key} must be ${expected}: ${JSON.stringify(value)} is ignored, ${JSON.stringify(used)} is used`);

  const number = (key: keyof typeof NUMBER_SETTINGS): number => {
    const rule = NUMBER_SETTINGS[key];
    const value = read(key);
    if (value === undefined) return rule.default;
    const fits = typeof value === 'number' && Number.isFinite(value) && value >= rule.minimum && value <= rule.maximum && (!rule.integer || Number.isInteger(value));
    if (fits) return value;
    const range = rule.maximum === Infinity ? `at least ${rule.minimum}` : `from ${rule.minimum} to ${rule.maximum}`;
    ignored(key, value, `${rule.integer ? 'an integer' : 'a number'} ${range}`, rule.default);
    return rule.default;
  };

  const enabled = read('receiver.enabled') ?? true;
  if (typeof enabled !== 'boolean') ignored('receiver.enabled', enabled, 'true or false', true);
  const host = read('receiver.host') ?? '127.0.0.1';
  if (typeof host !== 'string') ignored('receiver.host', host, 'a host name or IP address', '127.0.0.1');
  const origins = read('receiver.corsOrigins') ?? [];
  const corsOrigins = Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [];
  if (!Array.isArray(origins) || corsOrigins.length < origins.length) ignored('receiver.corsOrigins', origins, 'a list of origins (strings)', corsOrigins);
  const forward = read('forward.endpoint') ?? '';
  if (typeof forward !== 'string') ignored('forward.endpoint', forward, 'a URL (a string)', '');
  const prices = parsePriceOverrides(read('pricing.overrides'));
  for (const error of prices.errors) problems.push(`spanlight.pricing.overrides: ${error}; the other overrides apply`);

  return {
    receiverEnabled: typeof enabled === 'boolean' ? enabled : true,
    host: (typeof host === 'string' ? host.trim() : '') || '127.0.0.1',
    httpPort: number('receiver.httpPort'),
    grpcPort: number('receiver.grpcPort'),
    maxBodyBytes: Math.round(number('receiver.maxBodyMiB') * MiB),
    corsOrigins,
    maxSpans: number('retention.maxSpans'),
    maxBytes: number('retention.maxMiB') * MiB,
    priceOverrides: prices.overrides,
    forwardEndpoint: typeof forward === 'string' ? forward.trim() : '',
    problems,
  };
}
