// Webviews copy through the host: the clipboard API inside a webview needs focus and permissions that a
// sidebar often lacks, and the status bar confirms what was copied.
import * as vscode from 'vscode';

const CONFIRM_MS = 2500;

export async function copyToClipboard(text: string, label: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  // The label comes from our own webview code (e.g. "attribute gen_ai.request.model"); keep it short anyway.
  const shown = label.length > 80 ? `${label.slice(0, 79)}…` : label;
  vscode.window.setStatusBarMessage(`$(copy) Copied ${shown}`, CONFIRM_MS);
}
