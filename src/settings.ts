// Typed view of the `spanlight.*` settings. Read once per change; nothing else touches the configuration API.
import * as vscode from 'vscode';
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
  /** The well-formed entries of `spanlight.pricing.overrides`… */
  priceOverrides: PriceOverrides;
  /** …and why the others were left out (settings.json takes any JSON; the schema only warns). */
  priceOverrideErrors: string[];
}

const MiB = 1024 * 1024;

export function readSettings(): SpanlightSettings {
  const config = vscode.workspace.getConfiguration('spanlight');
  return {
    receiverEnabled: config.get<boolean>('receiver.enabled', true),
    host: config.get<string>('receiver.host', '127.0.0.1').trim() || '127.0.0.1',
    httpPort: config.get<number>('receiver.httpPort', 4318),
    grpcPort: config.get<number>('receiver.grpcPort', 4317),
    maxBodyBytes: Math.round(config.get<number>('receiver.maxBodyMiB', 16) * MiB),
    corsOrigins: config.get<string[]>('receiver.corsOrigins', []),
    maxSpans: config.get<number>('retention.maxSpans', 100_000),
    maxBytes: config.get<number>('retention.maxMiB', 512) * MiB,
    ...priceOverridesOf(config.get<unknown>('pricing.overrides')),
  };
}

/** Settings whose change needs the receiver restarted. */
export const RECEIVER_SETTINGS = [
  'spanlight.receiver.enabled',
  'spanlight.receiver.host',
  'spanlight.receiver.httpPort',
  'spanlight.receiver.grpcPort',
  'spanlight.receiver.maxBodyMiB',
  'spanlight.receiver.corsOrigins',
];

function priceOverridesOf(value: unknown): Pick<SpanlightSettings, 'priceOverrides' | 'priceOverrideErrors'> {
  const { overrides, errors } = parsePriceOverrides(value);
  return { priceOverrides: overrides, priceOverrideErrors: errors };
}

