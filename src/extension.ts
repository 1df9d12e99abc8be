// Composition root: builds each part once, wires their events, registers their disposables. Nothing else.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { EngineHost } from './host/engineHost';
import { RECEIVER_SETTINGS } from './settings';
import { ReceiverStatusBar } from './views/statusBar';

let host: EngineHost | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = vscode.window.createOutputChannel('Spanlight', { log: true });
  const statusBar = new ReceiverStatusBar('spanlight.showLogs');
  host = new EngineHost(join(context.globalStorageUri.fsPath, 'store'), version, context.secrets, log);
  const engineHost = host;

  const refreshStatusBar = (): void => {
    statusBar.setStatus(engineHost.status, engineHost.currentRole);
    statusBar.setTraceCount(engineHost.currentEngine?.store.stats().traces ?? 0);
  };

  // Disposed in reverse order: the host (flushes the store) goes before the log it writes to.
  context.subscriptions.push(
    log,
    statusBar,
    engineHost,
    engineHost.onDidChange(refreshStatusBar),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('spanlight')) return;
      void engineHost.applySettings(RECEIVER_SETTINGS.some((s) => e.affectsConfiguration(s)));
    }),
    ...registerCommands(engineHost, log, context.secrets),
  );

  log.info(`Spanlight ${version} activating`);
  await engineHost.start();
  refreshStatusBar();
}

export async function deactivate(): Promise<void> {
  // VS Code awaits this promise (briefly) on shutdown: flush the store and free the ports for the next owner.
  const h = host;
  host = undefined;
  await h?.currentEngine?.close();
}
