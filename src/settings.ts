// Reads the `spanlight.*` settings once per change (settingValues.ts checks them); nothing else touches
// the configuration API.
import * as vscode from 'vscode';
import { settingsFrom, type SpanlightSettings } from './settingValues';

export type { SpanlightSettings };

export function readSettings(): SpanlightSettings {
  const config = vscode.workspace.getConfiguration('spanlight');
  return settingsFrom((key) => config.get<unknown>(key));
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
