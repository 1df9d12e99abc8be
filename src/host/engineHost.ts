// Runs the engine in this window when this window may: one window per machine owns the store and the
// ports (a lock file decides); the others wait and take over within a few seconds when the owner closes.
import { mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { Emitter, type Disposable } from '../base/emitter';
import { SpanlightEngine } from '../engine';
import type { HostRole } from '../protocol/messages';
import { RECEIVER_STOPPED, type ReceiverStatus } from '../protocol/receiverStatus';
import { dialUrl } from '../receiver/bindAddress';
import { MisdirectedExportError, RejectedExportError } from '../receiver/errors';
import { readSettings, type SpanlightSettings } from '../settings';
import { tryAcquireStoreLock, type StoreLock } from '../store/storeLock';
import { bindHostKind, bindHostProblem } from './bindCheck';
import { ForwardingHost } from './forwardingHost';
import { OnceNotifier, openSettings } from './onceNotifier';
import { OwnerFollower } from './ownerFollower';
import { writeOwnerInfo } from './ownerInfo';
import { LocalTraceSource, type TraceSource } from './traceSource';
import { notificationText } from '../base/notificationText';

export type { HostRole };

const TAKEOVER_POLL_MS = 2000;
export const AUTH_TOKEN_SECRET = 'spanlight.receiver.authToken';
const DISABLED: ReceiverStatus = { http: { state: 'disabled' }, grpc: { state: 'disabled' } };

export class EngineHost implements vscode.Disposable {
  private engine: SpanlightEngine | undefined;
  private lock: StoreLock | undefined;
  private poll: NodeJS.Timeout | undefined;
  private role: HostRole = 'starting';
  private readonly onDidChangeEmitter = new Emitter<void>();
  /** Role, receiver status or store changed. */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** A busy port is shown once, not at every restart; forgotten when the receiver's settings change. */
  private readonly transportProblems: OnceNotifier;
  private readonly settingProblems: OnceNotifier;
  private source: TraceSource | undefined;
  /** While another window owns the store: the link to it, and this host's subscriptions to the link. */
  private follower: OwnerFollower | undefined;
  private followerSubscriptions: Disposable[] = [];
  private readonly forwarding: ForwardingHost;
  private readonly onDidChangeSourceEmitter = new Emitter<TraceSource | undefined>();
  /**
   * A new source: this window's store (it took over), or a new connection to the owner window's (each one,
   * after a restart or a new owner too). Views read everything again from it.
   */
  readonly onDidChangeSource = this.onDidChangeSourceEmitter.event;

  constructor(
    private readonly storeDir: string,
    private readonly version: string,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.transportProblems = new OnceNotifier(log);
    this.settingProblems = new OnceNotifier(log);
    this.forwarding = new ForwardingHost(secrets, log, () => this.onDidChangeEmitter.fire());
  }

  get currentRole(): HostRole {
    return this.role;
  }

  get currentEngine(): SpanlightEngine | undefined {
    return this.engine;
  }

  /** What the views read: this window's store, or the owner window's over loopback. */
  get traceSource(): TraceSource | undefined {
    return this.source;
  }

  /** The OTLP/HTTP endpoint apps should use, whichever window serves it. */
  get httpUrl(): string | undefined {
    const http = this.status.http;
    return http.state === 'listening' ? dialUrl(http.host, http.port) : undefined;
  }

  /** This window's receiver, or the owner window's as it publishes it while this window follows. */
  get status(): ReceiverStatus {
    return this.engine?.status ?? this.follower?.receiver ?? RECEIVER_STOPPED;
  }

  /** The traces the views can list: this window's store, or the owner's as last read; undefined while unknown. */
  get traceCount(): number | undefined {
    return this.engine ? this.engine.store.stats().traces : this.follower?.traceCount;
  }

  /** In a follower window, why its list does not follow the owner's right now; undefined while it does. */
  get notLiveReason(): string | undefined {
    return this.follower?.notLiveReason;
  }

  /** The receiver's bearer token: in SecretStorage only (never in settings, owner.json or the log). */
  async authToken(): Promise<string | undefined> {
    const token = (await this.secrets.get(AUTH_TOKEN_SECRET)) || undefined;
    this.tokenSet = token !== undefined;
    return token;
  }

  /**
   * Whether the receiver asks for a token, as of the last read of it (each receiver start and each
   * connection to the owner read it): for what is shown synchronously, the exporter snippets.
   */
  get authTokenSet(): boolean {
    return this.tokenSet;
  }

  private tokenSet = false;

  /** Becomes the owner if no other window is, else follows and keeps trying. */
  async start(): Promise<void> {
    mkdirSync(this.storeDir, { recursive: true });
    if (await this.tryBecomeOwner()) return;
    this.role = 'follower';
    this.log.info('Another VS Code window hosts the Spanlight receiver; this window shows its traces and takes over if it closes.');
    const follower = this.follow();
    await follower.check();
    this.onDidChangeEmitter.fire();
    this.poll = setInterval(() => void this.pollOwner(), TAKEOVER_POLL_MS);
  }

  /** Reads the owner window's traces through its API (ownerFollower.ts). */
  private follow(): OwnerFollower {
    const follower = new OwnerFollower(this.storeDir, () => this.authToken(), this.log);
    this.followerSubscriptions = [
      follower.onDidChangeSource((source) => this.setSource(source)),
      follower.onDidChange(() => this.onDidChangeEmitter.fire()),
    ];
    this.follower = follower;
    return follower;
  }

  /** Takes over when the owner is gone; otherwise notices a new owner, address or receiver state. */
  private async pollOwner(): Promise<void> {
    if (await this.tryBecomeOwner()) {
      clearInterval(this.poll);
      this.poll = undefined;
      return;
    }
    await this.follower?.check();
  }

  private stopFollowing(): void {
    for (const subscription of this.followerSubscriptions) subscription.dispose();
    this.followerSubscriptions = [];
    this.follower?.dispose();
    this.follower = undefined;
  }

  /** The follower disposes the sources it opened; the local one has nothing to dispose. */
  private setSource(source: TraceSource | undefined): void {
    this.source = source;
    this.onDidChangeSourceEmitter.fire(source);
  }

  private async tryBecomeOwner(): Promise<boolean> {
    if (this.engine) return true;
    const lock = tryAcquireStoreLock(this.storeDir);
    if (!lock) return false;
    this.lock = lock;
    const settings = readSettings();
    this.reportSettingProblems(settings.problems);
    try {
      this.engine = await SpanlightEngine.open({
        storeDir: this.storeDir,
        version: this.version,
        maxSpans: settings.maxSpans,
        maxBytes: settings.maxBytes,
        priceOverrides: settings.priceOverrides,
        onError: (err) => {
          // An exporter on the wrong port is the user's to fix, and worth telling once; the rest goes to the log.
          if (err instanceof MisdirectedExportError) this.transportProblems.warn(err.message, { 'Show Logs': () => this.log.show() });
          else if (err instanceof RejectedExportError) this.reportRejectedExport(err);
          else this.log.error(err.message);
        },
      });
    } catch (err) {
      lock.release();
      this.lock = undefined;
      const message = `Spanlight could not open its trace store at ${this.storeDir}: ${(err as Error).message}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
      return false;
    }
    this.role = 'owner';
    // The views move to this window's store before the owner's connection closes.
    this.setSource(new LocalTraceSource(this.engine.store));
    this.stopFollowing();
    this.log.info(`Trace store opened at ${this.storeDir} (${this.engine.store.stats().traces} traces).`);
    // Prices or indexing changed while this store was closed (after an update, up to seconds at 100k
    // spans): its index catches up, with a spinner in the status bar. The engine logs a failure.
    const refresh = this.engine.refreshed;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Spanlight: updating the trace index' }, () => refresh).then(
      (count) => count > 0 && this.log.info(`Indexed ${count} stored span(s) again with the current prices and indexing.`),
      () => undefined,
    );
    this.disposables.push(
      this.engine.onDidChangeStatus(() => this.onDidChangeEmitter.fire()),
      this.engine.store.onDidChangeTraces(() => this.onDidChangeEmitter.fire()),
    );
    await this.forwarding.apply(this.engine, settings);
    if (settings.receiverEnabled) await this.startReceivers(settings);
    else this.publish(true);
    this.onDidChangeEmitter.fire();
    return true;
  }

  async startReceivers(settings: SpanlightSettings = readSettings()): Promise<void> {
    if (!this.engine) return this.sayAnotherWindowHosts();
    const authToken = await this.authToken();
    const bindProblem = await this.checkBindHost(settings.host, authToken !== undefined);
    const status = await this.engine.startReceivers({
      host: settings.host,
      httpPort: settings.httpPort,
      grpcPort: settings.grpcPort === 0 ? undefined : settings.grpcPort,
      bodyLimitBytes: settings.maxBodyBytes,
      corsOrigins: settings.corsOrigins,
      authToken,
      // Follower windows read and write through this window (RemoteTraceSource).
      windowSync: true,
    });
    this.publish(false);
    for (const [name, t] of Object.entries(status)) {
      if (t.state === 'listening') this.log.info(`OTLP/${name.toUpperCase()} listening on ${t.host}:${t.port}`);
      // A host refused or unknown fails both transports: checkBindHost already said so, once.
      if (t.state === 'error' && bindProblem) this.log.error(t.message);
      else if (t.state === 'error') this.reportTransportError(t.message, t.portInUse === true);
    }
  }

  /** Stop Receiver, or `spanlight.receiver.enabled` turned off (`disabled`): followers are told which. */
  async stopReceivers(why: 'stopped' | 'disabled' = 'stopped'): Promise<void> {
    if (!this.engine) return this.sayAnotherWindowHosts();
    await this.engine.stopReceivers();
    this.publish(why === 'disabled');
    this.log.info('Receiver stopped.');
  }

  /** Start and Stop Receiver act on the receiver of this window, which has none. */
  private sayAnotherWindowHosts(): void {
    void vscode.window.showInformationMessage(
      'Another VS Code window hosts the Spanlight receiver. Close it, or use that window to start and stop it.',
    );
  }

  /**
   * Tells follower windows where this window serves its API and what its receiver does (ownerInfo.ts):
   * with it they say why their list stopped following instead of looking empty.
   */
  private publish(disabled: boolean): void {
    // `disabled`: spanlight.receiver.enabled is off there, not a Stop Receiver.
    writeOwnerInfo(this.storeDir, { pid: process.pid, httpUrl: this.httpUrl, receiver: disabled ? DISABLED : this.status });
  }

  /**
   * A host beyond loopback without a token, or one that does not resolve, fails both transports with the
   * receivers' own words (meant for the CLI too); the user hears it once, in VS Code's terms, with the fix.
   * Returns whether there was such a problem.
   */
  private async checkBindHost(host: string, hasToken: boolean): Promise<boolean> {
    const kind = await bindHostKind(host);
    // The setting may come from a workspace's settings file: quoted as text.
    const problem = bindHostProblem(kind, notificationText(host), hasToken);
    if (!problem) return false;
    const setToken = (): void => void vscode.commands.executeCommand('spanlight.setAuthToken');
    const settings = (): void => openSettings('spanlight.receiver.host');
    this.transportProblems.error(problem, kind === 'unresolved' ? { 'Open Settings': settings } : { 'Set Auth Token': setToken, 'Open Settings': settings });
    return true;
  }

  /**
   * A refused export: its spans are missing, and the app's exporter said why only in the app's console.
   * Shown once per transport and status until the receiver restarts (its reasons differ from export to
   * export, and an app refused once is usually refused at every export); each is logged.
   */
  private reportRejectedExport(err: RejectedExportError): void {
    const showLogs = { 'Show Logs': () => this.log.show() };
    const actions = err.status === 413 ? { 'Open Settings': () => openSettings('spanlight.receiver.maxBodyMB'), ...showLogs } : showLogs;
    this.transportProblems.warn(err.message, actions, `refused ${err.transport} ${err.status}`);
  }

  /** Settings changed: apply what can be applied live, restart the receiver when its settings moved. */
  async applySettings(receiverChanged: boolean): Promise<void> {
    const settings = readSettings();
    if (!this.engine) return;
    this.reportSettingProblems(settings.problems);
    void this.reprice(this.engine, settings.priceOverrides);
    this.engine.store.setRetention({ maxSpans: settings.maxSpans, maxBytes: settings.maxBytes });
    await this.forwarding.apply(this.engine, settings);
    if (!receiverChanged) return;
    this.transportProblems.forget();
    if (settings.receiverEnabled) await this.startReceivers(settings);
    else await this.stopReceivers('disabled');
  }

  /**
   * New price overrides: new spans are priced with them, and the stored model calls whose price changed
   * are indexed again, with progress in the status bar (seconds at most for a full store).
   */
  private async reprice(engine: SpanlightEngine, overrides: SpanlightSettings['priceOverrides']): Promise<void> {
    try {
      const count = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Spanlight: re-pricing stored model calls' },
        (progress) => engine.setPriceOverrides(overrides, (done, total) => progress.report({ message: `${done} of ${total}` })),
      );
      if (count > 0) this.log.info(`Re-priced ${count} stored model call(s) with the new price overrides.`);
    } catch (err) {
      const message = `Spanlight could not re-price the stored model calls: ${(err as Error).message}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
    }
  }

  /** Setting values that do not fit their schema were replaced (settingValues.ts): the user hears of each once, with a way to it. */
  private reportSettingProblems(problems: readonly string[]): void {
    for (const problem of problems) {
      const setting = /^spanlight\.[\w.]+/.exec(problem)?.[0] ?? 'spanlight';
      // A problem quotes the value, which a workspace's settings file may hold: as text.
      this.settingProblems.warn(`Spanlight: ${notificationText(problem)}.`, { 'Open Settings': () => openSettings(setting) });
    }
  }

  private reportTransportError(message: string, portInUse: boolean): void {
    const showLogs = () => this.log.show();
    this.transportProblems.error(message, portInUse ? { 'Open Settings': () => openSettings('spanlight.receiver'), 'Show Logs': showLogs } : { 'Show Logs': showLogs });
  }

  dispose(): void {
    if (this.poll) clearInterval(this.poll);
    for (const d of this.disposables.reverse()) d.dispose();
    this.forwarding.dispose();
    this.setSource(undefined);
    this.stopFollowing();
    this.onDidChangeSourceEmitter.dispose();
    const engine = this.engine;
    const lock = this.lock;
    this.engine = undefined;
    // Release only after the store is flushed, so a window taking over reads complete files.
    void (engine ? engine.close() : Promise.resolve()).finally(() => lock?.release());
    this.onDidChangeEmitter.dispose();
  }
}
