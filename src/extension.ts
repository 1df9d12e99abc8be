// Composition root: builds each part once, wires their events, registers their disposables. Nothing else.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './host/commands';
import { EngineHost } from './host/engineHost';
import { RECEIVER_SETTINGS } from './settings';
import { CallSiteLenses } from './views/callSiteLenses';
import { SidebarProvider } from './views/sidebarProvider';
import { PromptSources } from './views/promptSearch';
import { ReplayKeys } from './replay/replayKeys';
import { ReplayPanels } from './views/replayPanel';
import { SpanDetailPanel } from './views/spanDetailPanel';
import { ReceiverStatusBar } from './views/statusBar';
import { TraceAccess } from './views/traceAccess';
import { TraceFiles } from './views/traceFiles';
import { registerViewCommands } from './views/viewCommands';

let host: EngineHost | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const log = vscode.window.createOutputChannel('Spanlight', { log: true });
  const statusBar = new ReceiverStatusBar('spanlight.focusSidebar');
  host = new EngineHost(join(context.globalStorageUri.fsPath, 'store'), version, context.secrets, log);
  const engineHost = host;
  // Views read through TraceAccess: this window's store, or the owner window's while this one follows.
  const traces = new TraceAccess(() => engineHost.traceSource, engineHost.onDidChangeSource);
  // Stats of the latest traces above the lines that made them.
  const lenses = new CallSiteLenses(traces, log);
  // Model calls sent again, edited, each in a panel of its own (keys in SecretStorage).
  const replayKeys = new ReplayKeys(context.secrets);
  const replays = new ReplayPanels(context.extensionUri, traces, replayKeys, join(context.globalStorageUri.fsPath, 'replays.json'), log);
  // Where a model call with no recorded source writes its prompt, once looked for (either view asks),
  // or placed by the lenses.
  const prompts = new PromptSources(lenses);
  const detail = new SpanDetailPanel(context.extensionUri, traces, prompts, log);
  const sidebar = new SidebarProvider(context.extensionUri, {
    access: traces,
    receiver: engineHost,
    detail,
    prompts,
    sampleSink: () => engineHost.currentEngine?.pipeline,
    log,
  });
  // Traces to and from OTLP/JSON files (Export Trace, Import Traces).
  const files = new TraceFiles({ access: traces, receiver: engineHost, showTrace: (traceId) => sidebar.selectSentTrace(traceId), log });

  // In a follower window the host answers for the owner window: its receiver, the count seen through it.
  const refreshStatusBar = (): void =>
    statusBar.update({
      role: engineHost.currentRole,
      status: engineHost.status,
      traceCount: engineHost.traceCount,
      notLiveReason: engineHost.notLiveReason,
      forward: engineHost.currentEngine?.forwarder?.status,
    });

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
    // Forwarding beyond this machine waits for trust (forwardingHost.ts).
    vscode.workspace.onDidGrantWorkspaceTrust(() => void engineHost.applySettings(false)),
    ...registerCommands(engineHost, log, context.secrets),
    traces,
    lenses,
    prompts,
    detail,
    sidebar,
    vscode.window.registerWebviewViewProvider(SidebarProvider.viewType, sidebar),
    replays,
    ...registerViewCommands(sidebar, files, { panels: replays, keys: replayKeys }, log),
    vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
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
