// Reads the `spanlight.*` settings once per change (settingValues.ts checks them); nothing else touches
// the configuration API.
import * as vscode from 'vscode';
import { settingsFrom, type NumberSetting, type SpanlightSettings } from './settingValues';

export type { SpanlightSettings };

/** The numeric settings as last used: a value that does not fit keeps the one before it (settingsFrom). */
const lastUsed = new Map<NumberSetting, number>();

export function readSettings(): SpanlightSettings {
  const config = vscode.workspace.getConfiguration('spanlight');
  const settings = settingsFrom((key) => config.get<unknown>(key), (key) => lastUsed.get(key));
  lastUsed.set('receiver.httpPort', settings.httpPort);
  lastUsed.set('receiver.maxBodyMB', settings.maxBodyBytes / MiB);
  lastUsed.set('retention.maxSpans', settings.maxSpans);
  lastUsed.set('retention.maxMB', settings.maxBytes / MiB);
  // Not gRPC's: a clash with the HTTP port turns it off (0) without it being the user's value.
  if (settings.grpcPort !== 0) lastUsed.set('receiver.grpcPort', settings.grpcPort);
  return settings;
}

const MiB = 1024 * 1024;

/** Settings whose change needs the receiver restarted. */
export const RECEIVER_SETTINGS = [
  'spanlight.receiver.enabled',
  'spanlight.receiver.host',
  'spanlight.receiver.httpPort',
  'spanlight.receiver.grpcPort',
  'spanlight.receiver.maxBodyMB',
  'spanlight.receiver.corsOrigins',
];
