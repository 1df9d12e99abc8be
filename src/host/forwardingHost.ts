// Forwarding in the window that owns the receiver: the target from `spanlight.forward.endpoint` and the
// headers secret, held back in an untrusted workspace when it leaves the machine (DESIGN.md: any network
// call other than loopback needs a trusted workspace), and what goes wrong told once, not per export.
import * as vscode from 'vscode';
import type { Disposable } from '../base/emitter';
import type { SpanlightEngine } from '../engine';
import { forwardTargetOf, type ForwardTarget } from '../forward/forwardTarget';
import type { ForwardStatus } from '../protocol/model';
import type { SpanlightSettings } from '../settingValues';
import { OnceNotifier, openSettings } from './onceNotifier';
import { notificationText } from '../base/notificationText';

/** OTEL_EXPORTER_OTLP_HEADERS-style text (authorization, tenant…): secrets, so never in settings. */
export const FORWARD_HEADERS_SECRET = 'spanlight.forward.headers';

export class ForwardingHost implements vscode.Disposable {
  private subscriptions: Disposable[] = [];
  /** Polls the forwarder's counts for the status bar (an event per export would be one per request). */
  private countsPoll: NodeJS.Timeout | undefined;
  /** Forgets what it showed when the target changes, so a new endpoint's problems are heard. */
  private readonly problems: OnceNotifier;
  /** What the notifications' buttons do. */
  private readonly openSettings = (): void => openSettings('spanlight.forward');
  private readonly showLogs = (): void => this.log.show();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    /** Forwarding started, stopped, or changed state: the status bar shows it. */
    private readonly onDidChange: () => void,
  ) {
    this.problems = new OnceNotifier(log);
  }

  /** Sets the engine's forwarding from the settings, the headers secret and the workspace's trust. */
  async apply(engine: SpanlightEngine, settings: SpanlightSettings): Promise<void> {
    const target = await this.targetFor(settings);
    const before = engine.forwarder;
    const forwarder = engine.setForwarding(target);
    if (forwarder === before) return;
    this.stopWatching();
    this.problems.forget();
    if (forwarder) {
      this.log.info(`Forwarding every export to ${forwarder.target.endpoint}.`);
      this.subscriptions = [
        forwarder.onDidChangeStatus((status) => this.report(status)),
        forwarder.onDidStartDropping((status) => {
          this.onDidChange();
          this.problems.warn(
            `Spanlight is dropping exports it cannot forward to ${status.endpoint} fast enough (the endpoint is down, or slower than your app sends). They are stored here as usual.`,
            { 'Show Logs': this.showLogs },
          );
        }),
      ];
      let counts = '';
      this.countsPoll = setInterval(() => {
        const { sent, rejected, dropped, queued } = forwarder.status;
        const now = `${sent} ${rejected} ${dropped} ${queued}`;
        if (now === counts) return;
        counts = now;
        this.onDidChange();
      }, 1000);
      this.countsPoll.unref();
    } else this.log.info('Forwarding stopped.');
    this.onDidChange();
  }

  private async targetFor(settings: SpanlightSettings): Promise<ForwardTarget | undefined> {
    if (!settings.forwardEndpoint) return undefined;
    const headers = (await this.secrets.get(FORWARD_HEADERS_SECRET)) ?? '';
    const parsed = forwardTargetOf(settings.forwardEndpoint, headers, { host: settings.host, port: settings.httpPort });
    if ('error' in parsed) {
      // The reason quotes the setting, which a workspace's settings file may hold.
      this.problems.warn(`Spanlight is not forwarding traces: ${notificationText(parsed.error)}.`, { 'Open Settings': this.openSettings });
      return undefined;
    }
    if (!parsed.target.loopback && !vscode.workspace.isTrusted) {
      this.problems.warn(
        `Spanlight forwards traces to ${parsed.target.endpoint} only in a trusted workspace. They are stored and shown here as usual.`,
        { 'Manage Workspace Trust': () => void vscode.commands.executeCommand('workbench.trust.manage') },
      );
      return undefined;
    }
    return parsed.target;
  }

  /** A change of state: back to 'ok' only ever follows trouble (the forwarder starts in 'ok'). */
  private report(status: ForwardStatus): void {
    this.onDidChange();
    if (status.state === 'ok') {
      this.log.info(`Forwarding to ${status.endpoint} works again.`);
      return;
    }
    // Trace content is never in these: lastError is a status line or a network error, which the upstream
    // server words, so it is quoted as text.
    const reason = notificationText(status.lastError ?? 'unknown error');
    this.problems.warn(
      status.state === 'retrying'
        ? `Spanlight cannot forward traces to ${status.endpoint}: ${reason}. They are stored here as usual, and forwarding retries.`
        : `${status.endpoint} refused an export Spanlight forwarded: ${reason}. Traces are stored here as usual.`,
      { 'Open Settings': this.openSettings, 'Show Logs': this.showLogs },
    );
  }

  private stopWatching(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions = [];
    clearInterval(this.countsPoll);
    this.countsPoll = undefined;
  }

  dispose(): void {
    this.stopWatching();
  }
}
