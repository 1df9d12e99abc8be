// Replay: a model call's request in an editor tab of its own (one per call, beside the detail), where the
// user edits the messages, the model, the parameters and the tools, runs it again through the `openai`
// SDK (src/replay/) and sees each answer beside the one captured. The captured span is never changed.
// A replay beyond this machine needs a trusted workspace and an API key (SecretStorage, replayKeys.ts).
// Each call's last request and runs are kept (replayHistory.ts): its panel reopens where it was left.
// Versions of the request the user wants to come back to are saved as named variants of the call.
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { CoalescedTimer } from '../base/coalescedTimer';
import { notificationText } from '../base/notificationText';
import { computeCostUsd, resolvePrice } from '../pricing/cost';
import { shownName } from '../protocol/model';
import type { ReplayInbound, ReplayOutbound } from '../protocol/messages';
import { REPLAY_VARIANT_NAME_CHARS, type ReplayDraft, type ReplayOutcome, type ReplayRun } from '../protocol/replay';
import { replayDestination } from '../replay/endpoints';
import { isReplayDraft, replayRequestOf, replayStartOf, type ReplayRequest, type ReplayStart } from '../replay/replayDraft';
import { MAX_RUNS, ReplayHistory, type ReplayRecord, type ReplayVariant } from '../replay/replayHistory';
import type { ReplayKeys } from '../replay/replayKeys';
import { requestCode } from '../replay/requestCode';
import { runReplay } from '../replay/replayRunner';
import { readSettings } from '../settings';
import { copyToClipboard } from './clipboard';
import { NoLongerStoredError } from './sidebarProvider';
import type { TraceAccess } from './traceAccess';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';

const REPLAY_VIEW_TYPE = 'spanlight.replay';
const TITLE_CHARS = 40;
const UNREADABLE = 'The request could not be read.';
/** A streaming answer is shown growing at most this often: each update re-lays out the page. */
const PARTIAL_MS = 100;

/** The open replay panels, one per model call: replaying a call again reveals its panel. */
export class ReplayPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ReplayPanel>();
  private history: Promise<ReplayHistory> | undefined;

  /** `historyFile`: where every window keeps the replays (replays.json, beside the store). */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly access: TraceAccess,
    private readonly keys: ReplayKeys,
    private readonly historyFile: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async show(traceId: string, spanId: string): Promise<void> {
    const key = `${traceId}/${spanId}`;
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      return;
    }
    const span = await this.access.current()?.getSpan(traceId, spanId);
    if (!span) throw new NoLongerStoredError('This call is no longer stored (deleted, or removed by retention): it cannot be replayed.');
    const start = replayStartOf(span);
    const name = shownName(span) || 'model call';
    if ('reason' in start) {
      void vscode.window.showWarningMessage(`Spanlight: "${notificationText(name)}" cannot be replayed. ${start.reason}`);
      return;
    }
    const history = await (this.history ??= ReplayHistory.open(this.historyFile, (err) => this.log.warn(err.message)));
    const [kept, variants] = await Promise.all([history.get(key), history.variants(key)]);
    // (Opened meanwhile by a second click: that panel is the one.)
    if (this.panels.has(key)) return this.panels.get(key)?.reveal();
    const panel = new ReplayPanel(this.extensionUri, { key, spanId, name, start, kept, variants }, { keys: this.keys, history, log: this.log }, () => this.panels.delete(key));
    this.panels.set(key, panel);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

/** What a panel is about: the call, its captured request, and what the history kept of earlier replays. */
interface ReplayCall {
  /** `<trace id>/<span id>`: the call's panel, history and variants. */
  key: string;
  spanId: string;
  name: string;
  start: ReplayStart;
  kept: ReplayRecord | undefined;
  variants: ReplayVariant[];
}

class ReplayPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly subscriptions: vscode.Disposable[];
  private draft: ReplayDraft;
  private readonly runs: ReplayRun[];
  /** The call's saved variants, as last read or written. */
  private variants: ReplayVariant[];
  /** The variant the draft was loaded from or saved as; undefined: none (the captured request, or an edit of it). */
  private variant: string | undefined;
  private running: { id: number; abort: AbortController } | undefined;
  /** Between Run and the request going out (the key may be asked for): a second Run waits for no second key. */
  private preparing = false;
  private nextId: number;
  private disposed = false;

  constructor(
    extensionUri: vscode.Uri,
    private readonly call: ReplayCall,
    private readonly services: { keys: ReplayKeys; history: ReplayHistory; log: vscode.LogOutputChannel },
    onDispose: () => void,
  ) {
    const { name, start, kept, variants } = call;
    this.draft = kept?.draft ?? start.draft;
    this.runs = [...(kept?.runs ?? [])];
    this.variants = variants;
    this.variant = variants.find((v) => isDeepStrictEqual(v.draft, this.draft))?.name;
    this.nextId = Math.max(0, ...this.runs.map((run) => run.id)) + 1;
    const title = `Replay: ${name.length > TITLE_CHARS ? `${name.slice(0, TITLE_CHARS - 1)}…` : name}`;
    // Kept alive while hidden: it holds the user's edits.
    this.panel = vscode.window.createWebviewPanel(REPLAY_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      ...webviewOptions(extensionUri),
      retainContextWhenHidden: true,
      enableFindWidget: true,
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'spanlight.svg');
    this.panel.webview.html = renderWebviewHtml(this.panel.webview, extensionUri, { name: 'replay', title: 'Replay' });
    this.subscriptions = [
      this.panel.webview.onDidReceiveMessage((m: ReplayOutbound) => void this.handle(m)),
      this.panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    ];
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.running?.abort.abort();
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
  }

  private post(message: ReplayInbound): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async handle(m: ReplayOutbound): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.postStart();
      case 'reset':
        return this.load('');
      case 'loadVariant':
        return this.load(m.name);
      case 'saveVariant':
        return this.saveVariant(m.draft);
      case 'deleteVariant':
        return this.deleteVariant(m.name);
      case 'run':
        return this.run(m.draft);
      case 'cancel':
        this.running?.abort.abort();
        return;
      case 'copy':
        return copyToClipboard(m.text, m.label);
      case 'copyCode':
        return this.copyCode(m.draft, m.language);
    }
  }

  /** The draft as the `openai` SDK call that sends it, for the app's code; or why it cannot be. */
  private async copyCode(draft: unknown, language: unknown): Promise<void> {
    if (language !== 'python' && language !== 'typescript') return this.post({ type: 'refused', message: UNREADABLE });
    const built = this.requestOf(draft);
    if (built) await copyToClipboard(requestCode(built.request, built.baseUrl, language), `the request as ${language === 'python' ? 'Python' : 'TypeScript'}`);
  }

  /**
   * The draft the webview sent back and the request it makes; undefined, with the refusal posted, when
   * it is not one. It comes from the webview, which shows untrusted trace content: its shape is checked
   * before it is used.
   */
  private requestOf(draft: unknown): { draft: ReplayDraft; request: ReplayRequest; baseUrl: string } | undefined {
    if (!isReplayDraft(draft)) {
      this.post({ type: 'refused', message: UNREADABLE });
      return undefined;
    }
    const built = replayRequestOf(draft);
    if ('error' in built) {
      this.post({ type: 'refused', message: built.error });
      return undefined;
    }
    return { draft, request: built.request, baseUrl: draft.baseUrl.trim() };
  }

  private postStart(): void {
    const { original, warnings, draft } = this.call.start;
    const variants = this.variants.map((v) => v.name);
    // "As you last sent it" is said of a draft the history restored, not of a variant the user picked.
    const restored = this.draft !== draft && this.variant === undefined;
    this.post({ type: 'start', title: this.call.name, spanId: this.call.spanId, draft: this.draft, original, warnings, runs: this.runs, running: this.running?.id, restored, variants, variant: this.variant });
  }

  /** Shows variant `name`'s draft in the form ('' : the captured request); one deleted meanwhile is said. */
  private load(name: string): void {
    const variant = name === '' ? undefined : this.variants.find((v) => v.name === name);
    if (name !== '' && !variant) return this.post({ type: 'refused', message: `There is no saved variant "${name}" any more.` });
    this.draft = variant?.draft ?? this.call.start.draft;
    this.variant = variant?.name;
    this.postStart();
  }

  /** Asks for a name (the current variant's, to save over it, or a new one) and keeps the draft under it. */
  private async saveVariant(draft: unknown): Promise<void> {
    if (!isReplayDraft(draft)) return this.post({ type: 'refused', message: UNREADABLE });
    const input = await vscode.window.showInputBox({
      title: `Spanlight: save this request of "${notificationText(this.call.name)}" as a variant`,
      prompt: 'Saved variants are listed in the replay tab of this call, to load and run again. A name in use replaces that variant.',
      value: this.variant ?? `Variant ${this.variants.length + 1}`,
      validateInput: (value) => variantNameProblem(value),
    });
    const name = input?.trim();
    if (!name || this.disposed) return;
    await this.changeVariants(async (history) => {
      const { replaced } = await history.saveVariant(this.call.key, name, draft);
      this.draft = draft;
      this.variant = name;
      return replaced ? `Saved over the variant "${name}".` : `Saved as the variant "${name}".`;
    });
  }

  private async deleteVariant(name: string): Promise<void> {
    if (typeof name !== 'string' || !this.variants.some((v) => v.name === name)) return;
    const choice = await vscode.window.showWarningMessage(`Delete the saved variant "${notificationText(name)}" of this call?`, { modal: true, detail: 'Its request is removed from the replay history. Runs made with it stay.' }, 'Delete');
    if (choice !== 'Delete' || this.disposed) return;
    await this.changeVariants(async (history) => {
      await history.deleteVariant(this.call.key, name);
      if (this.variant === name) this.variant = undefined;
      return `Deleted the variant "${name}".`;
    });
  }

  /**
   * Makes a change to the saved variants (`change` says what it did), then shows them as the history has
   * them now, with the draft's variant selected; a change that failed is said instead.
   */
  private async changeVariants(change: (history: ReplayHistory) => Promise<string>): Promise<void> {
    const { history } = this.services;
    try {
      const message = await change(history);
      this.variants = await history.variants(this.call.key);
      this.post({ type: 'variants', names: this.variants.map((v) => v.name), selected: this.variant, message });
    } catch (err) {
      this.post({ type: 'refused', message: err instanceof Error ? err.message : String(err) });
    }
  }

  /** What a run of `draft` is labelled with: the variant it is, or was edited from. */
  private variantOf(draft: ReplayDraft): string | undefined {
    const variant = this.variants.find((v) => v.name === this.variant);
    if (!variant) return undefined;
    return isDeepStrictEqual(variant.draft, draft) ? variant.name : `${variant.name}, edited`;
  }

  /** Sends the draft, unless it is not valid or may not be sent from here; says why it was not. */
  private async run(draft: unknown): Promise<void> {
    if (this.running || this.preparing) return this.post({ type: 'refused', message: 'A replay of this call is running: cancel it first.' });
    this.preparing = true;
    try {
      await this.send(draft);
    } finally {
      this.preparing = false;
    }
  }

  private async send(draftSent: unknown): Promise<void> {
    const built = this.requestOf(draftSent);
    if (!built) return;
    const { draft, request, baseUrl } = built;
    // (Both requests name one: the Responses API's type leaves it optional for stored prompts.)
    const model = request.body.model ?? draft.model.trim();
    const destination = replayDestination(baseUrl, vscode.workspace.isTrusted);
    if ('refusal' in destination) {
      if (destination.untrusted) {
        void vscode.window.showWarningMessage(`Spanlight: ${destination.refusal}`, 'Manage Workspace Trust').then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
        });
      }
      return this.post({ type: 'refused', message: destination.refusal });
    }
    const { origin } = destination;
    const apiKey = await this.services.keys.keyFor(baseUrl);
    if (!apiKey) return this.post({ type: 'refused', message: `No API key for ${origin}: the replay was not sent.` });
    if (this.disposed) return;
    const id = this.nextId++;
    const abort = new AbortController();
    this.running = { id, abort };
    this.draft = draft;
    this.post({ type: 'running', id });
    // What is logged names the call, the model and the endpoint: never the prompt, never the key.
    const { log, history } = this.services;
    log.info(`Replay #${id} of "${notificationText(this.call.name)}": ${model} at ${origin}${request.api === 'responses' ? ' (Responses API)' : ''}`);
    let text = '';
    const partial = new CoalescedTimer(PARTIAL_MS, () => this.post({ type: 'partial', id, text }));
    try {
      const outcome: ReplayOutcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Spanlight: replaying ${model}` }, () =>
        runReplay(request, {
          baseUrl,
          apiKey,
          signal: abort.signal,
          onText: (sofar) => {
            text = sofar;
            partial.schedule();
          },
        }),
      );
      // Priced as the captured call was: by the model that answered, with the user's overrides.
      const price = outcome.ok ? resolvePrice(outcome.model || model, undefined, readSettings().priceOverrides) : undefined;
      if (outcome.ok && price) outcome.costUsd = computeCostUsd(outcome.usage, price);
      if (outcome.ok) log.info(`Replay #${id}: answered in ${Math.round(outcome.latencyMs)} ms`);
      else log.warn(`Replay #${id} failed: ${outcome.error}`);
      const variant = this.variantOf(draft);
      const run: ReplayRun = variant ? { id, model, variant, outcome } : { id, model, outcome };
      this.runs.push(run);
      this.runs.splice(0, this.runs.length - MAX_RUNS);
      this.post({ type: 'result', run });
      void history.record(this.call.key, draft, run);
    } finally {
      partial.dispose();
      this.running = undefined;
    }
  }
}

/** Why `value` is no variant name (said under the input box as it is typed); undefined when it is one. */
function variantNameProblem(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return 'Give the variant a name.';
  if (name.length > REPLAY_VARIANT_NAME_CHARS) return `At most ${REPLAY_VARIANT_NAME_CHARS} characters.`;
  return undefined;
}
