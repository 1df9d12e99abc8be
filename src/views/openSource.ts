// "path:line" in the span detail → the file in the editor. Recorded paths come from another machine or
// container as often as not, so: the absolute path if it exists, else the path relative to a workspace
// folder, else the workspace file whose path shares the longest tail with it.
import * as vscode from 'vscode';
import { notificationText } from '../base/notificationText';
import type { SourceLocation } from '../protocol/model';

const MAX_CANDIDATES = 50;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** How many trailing path segments two paths share (case-sensitive: most runtimes record exact case). */
export function sharedTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Glob metacharacters in a file name must match literally. */
function escapeGlob(name: string): string {
  return name.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}

export async function resolveSourceUri(path: string): Promise<vscode.Uri | undefined> {
  if (isAbsolute(path)) {
    const uri = vscode.Uri.file(path);
    if (await exists(uri)) return uri;
  }
  const parts = segments(path);
  if (parts.length === 0) return undefined;
  if (!isAbsolute(path)) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, ...parts);
      if (await exists(uri)) return uri;
    }
  }
  const basename = parts[parts.length - 1];
  const found = await vscode.workspace.findFiles(`**/${escapeGlob(basename)}`, '**/node_modules/**', MAX_CANDIDATES);
  let best: vscode.Uri | undefined;
  let bestScore = 0;
  for (const uri of found) {
    const score = sharedTail(parts, segments(uri.path));
    if (score > bestScore) {
      best = uri;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Opens the location; false (and a message) when the file is not in this workspace. `avoidColumn`: the
 * detail panel's group, so the code opens beside it instead of hiding it.
 */
export async function openSourceLocation(source: SourceLocation, avoidColumn?: vscode.ViewColumn): Promise<boolean> {
  const uri = await resolveSourceUri(source.path);
  if (!uri) {
    void vscode.window.showWarningMessage(`Spanlight: ${notificationText(source.path)} was not found in this workspace.`);
    return false;
  }
  const line = Math.max(0, Math.floor(source.line) - 1);
  const column = Math.max(0, Math.floor(source.column ?? 1) - 1);
  const position = new vscode.Position(line, column);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, {
    viewColumn: avoidColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One,
    selection: new vscode.Range(position, position),
    preview: true,
  });
  return true;
}
