// Runs the engine in this window when this window may: one window per machine owns the store and the
// ports (a lock file decides); the others wait and take over within a few seconds when the owner closes.
import { mkdirSync } from 'node:fs';
import * as vscode from 'vscode';
import { Emitter } from '../base/emitter';
import { SpanlightEngine } from '../engine';
import type { HostRole } from '../protocol/messages';
import type { ReceiverStatus } from '../protocol/receiverStatus';
import { readSettings, type SpanlightSettings } from '../settings';
import { tryAcquireStoreLock, type StoreLock } from '../store/storeLock';

export type { HostRole };

const TAKEOVER_POLL_MS = 2000;
export const AUTH_TOKEN_SECRET = 'spanlight.receiver.authToken';

export class EngineHost implements vscode.Disposable {
  private engine: SpanlightEngine | undefined;
  private lock: StoreLock | undefined;
  private poll: NodeJS.Timeout | undefined;
  private role: HostRole = 'starting';
  private readonly onDidChangeEmitter = new Emitter<void>();
  /** Role, receiver status or store changed. */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private notifiedPortErrors = new Set<string>();

  constructor(
    private readonly storeDir: string,
    private readonly version: string,
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get currentRole(): HostRole {
    return this.role;
  }

  get currentEngine(): SpanlightEngine | undefined {
    return this.engine;
  }

  get status(): ReceiverStatus {
    return this.engine?.status ?? { http: { state: 'stopped' }, grpc: { state: 'stopped' } };
  }

  /** Becomes the owner if no other window is, else follows and keeps trying. */
  async start(): Promise<void> {
    mkdirSync(this.storeDir, { recursive: true });
    if (await this.tryBecomeOwner()) return;
    this.role = 'follower';
    this.log.info('Another VS Code window hosts the Spanlight receiver; this window will take over if it closes.');
    this.onDidChangeEmitter.fire();
    this.poll = setInterval(() => {
      void this.tryBecomeOwner().then((owner) => {
        if (owner && this.poll) {
          clearInterval(this.poll);
          this.poll = undefined;
        }
      });
    }, TAKEOVER_POLL_MS);
  }

  private async tryBecomeOwner(): Promise<boolean> {
    if (this.engine) return true;
    const lock = tryAcquireStoreLock(this.storeDir);
    if (!lock) return false;
    this.lock = lock;
    const settings = readSettings();
    try {
      this.engine = await SpanlightEngine.open({
        storeDir: this.storeDir,
        version: this.version,
        maxSpans: settings.maxSpans,
        maxBytes: settings.maxBytes,
        priceOverrides: settings.priceOverrides,
        onError: (err) => this.log.error(err.message),
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
    this.log.info(`Trace store opened at ${this.storeDir} (${this.engine.store.stats().traces} traces).`);
    this.disposables.push(
      this.engine.onDidChangeStatus(() => this.onDidChangeEmitter.fire()),
      this.engine.store.onDidChangeTraces(() => this.onDidChangeEmitter.fire()),
    );
    if (settings.receiverEnabled) await this.startReceivers(settings);
    this.onDidChangeEmitter.fire();
    return true;
  }

  async startReceivers(settings: SpanlightSettings = readSettings()): Promise<void> {
    if (!this.engine) {
      void vscode.window.showInformationMessage(
        'Another VS Code window hosts the Spanlight receiver. Close it, or use that window to start and stop it.',
      );
      return;
    }
    const authToken = (await this.secrets.get(AUTH_TOKEN_SECRET)) || undefined;
    const status = await this.engine.startReceivers({
      host: settings.host,
      httpPort: settings.httpPort,
      grpcPort: settings.grpcPort === 0 ? undefined : settings.grpcPort,
      bodyLimitBytes: settings.maxBodyBytes,
      corsOrigins: settings.corsOrigins,
      authToken,
    });
    for (const [name, t] of Object.entries(status)) {
      if (t.state === 'listening') this.log.info(`OTLP/${name.toUpperCase()} listening on ${t.host}:${t.port}`);
      if (t.state === 'error') this.reportTransportError(t.message, t.portInUse === true);
    }
  }

  async stopReceivers(): Promise<void> {
    await this.engine?.stopReceivers();
    this.log.info('Receiver stopped.');
  }

  /** Settings changed: apply what can be applied live, restart the receiver when its settings moved. */
  async applySettings(receiverChanged: boolean): Promise<void> {
    const settings = readSettings();
    if (!this.engine) return;
    this.engine.pipeline.setPriceOverrides(settings.priceOverrides);
    this.engine.store.setRetention({ maxSpans: settings.maxSpans, maxBytes: settings.maxBytes });
    if (!receiverChanged) return;
    this.notifiedPortErrors.clear();
    if (settings.receiverEnabled) await this.startReceivers(settings);
    else await this.stopReceivers();
  }

  /** One notification per distinct problem: a busy port is reported once, not at every restart. */
  private reportTransportError(message: string, portInUse: boolean): void {
    this.log.error(message);
    if (this.notifiedPortErrors.has(message)) return;
    this.notifiedPortErrors.add(message);
    const actions = portInUse ? ['Open Settings', 'Show Logs'] : ['Show Logs'];
    void vscode.window.showErrorMessage(message, ...actions).then((choice) => {
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'spanlight.receiver');
      if (choice === 'Show Logs') this.log.show();
    });
  }

  dispose(): void {
    if (this.poll) clearInterval(this.poll);
    for (const d of this.disposables.reverse()) d.dispose();
    const engine = this.engine;
    const lock = this.lock;
    this.engine = undefined;
    // Release only after the store is flushed, so a window taking over reads complete files.
    void (engine ? engine.close() : Promise.resolve()).finally(() => lock?.release());
    this.onDidChangeEmitter.dispose();
  }
}
