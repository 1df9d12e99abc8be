// Problems that come back (a busy port at every restart, a bad setting at every settings change, an
// unreachable upstream at every retry) are logged each time but shown to the user once.
import * as vscode from 'vscode';

/** Button labels, each with what it does when clicked. */
export type NotificationActions = Readonly<Record<string, () => void>>;

export class OnceNotifier {
  private readonly shown = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** `kind`: what counts as the same problem (default: the same message); only its first is shown, all are logged. */
  warn(message: string, actions: NotificationActions = {}, kind = message): void {
    this.log.warn(message);
    if (this.firstTime(kind)) void vscode.window.showWarningMessage(message, ...Object.keys(actions)).then((choice) => choice && actions[choice]?.());
  }

  error(message: string, actions: NotificationActions = {}): void {
    this.log.error(message);
    if (this.firstTime(message)) void vscode.window.showErrorMessage(message, ...Object.keys(actions)).then((choice) => choice && actions[choice]?.());
  }

  /** The messages shown so far may be shown again (what they were about changed). */
  forget(): void {
    this.shown.clear();
  }

  private firstTime(message: string): boolean {
    if (this.shown.has(message)) return false;
    this.shown.add(message);
    return true;
  }
}

/** The Settings editor, filtered to `query` (a setting id or prefix). */
export function openSettings(query: string): void {
  void vscode.commands.executeCommand('workbench.action.openSettings', query);
}
