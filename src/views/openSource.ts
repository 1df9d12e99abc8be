// "path:line" in the span detail → the file in the editor. Recorded paths come from another machine or
// container as often as not, so: the absolute path if it exists, else the path relative to a workspace
// folder, else the workspace file whose path shares the longest tail with it (source/workspacePaths.ts),
// never one of an installed library.
import * as vscode from 'vscode';
import { notificationText } from '../base/notificationText';
import type { SourceLocation } from '../protocol/model';
import { closestByTail, pathSegments } from '../source/workspacePaths';

/** Files of one name considered (a workspace may hold hundreds of `utils.py`). */
const MAX_CANDIDATES = 500;
/**
 * Never where an application frame's file is: installed libraries, virtual environments, VCS data. (An
 * exclude given to findFiles replaces `files.exclude`, and `.gitignore` is not read for extensions.)
 */
export const NOT_APPLICATION_GLOBS = ['**/node_modules/**', '**/site-packages/**', '**/dist-packages/**', '**/.venv/**', '**/venv/**', '**/.tox/**', '**/.git/**'];
const NOT_APPLICATION_FILES = `{${NOT_APPLICATION_GLOBS.join(',')}}`;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
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
  const parts = pathSegments(path);
  if (parts.length === 0) return undefined;
  if (!isAbsolute(path)) {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, ...parts);
      if (await exists(uri)) return uri;
    }
  }
  // The file in its folder first (`**/agent/utils.py`): of a common name, the right one may not be among
  // the first MAX_CANDIDATES of the name alone.
  const tails = parts.length > 1 ? [parts.slice(-2), parts.slice(-1)] : [parts];
  for (const tail of tails) {
    const found = await vscode.workspace.findFiles(`**/${tail.map(escapeGlob).join('/')}`, NOT_APPLICATION_FILES, MAX_CANDIDATES);
    const best = closestByTail(parts, found.map((uri) => pathSegments(vscode.workspace.asRelativePath(uri, true))));
    if (best >= 0) return found[best];
  }
  return undefined;
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
  await showSourceAt(uri, source, avoidColumn);
  return true;
}

/**
 * The file at the location's line and column, beside the detail panel (`avoidColumn`) rather than over
 * it; with `length`, those characters from there are selected (the text a prompt search matched).
 */
export async function showSourceAt(
  uri: vscode.Uri,
  source: Pick<SourceLocation, 'line' | 'column'>,
  avoidColumn?: vscode.ViewColumn,
  length = 0,
): Promise<void> {
  const line = Math.max(0, Math.floor(source.line) - 1);
  const column = Math.max(0, Math.floor(source.column ?? 1) - 1);
  const document = await vscode.workspace.openTextDocument(uri);
  const start = new vscode.Position(line, column);
  const end = length > 0 ? document.positionAt(document.offsetAt(start) + length) : start;
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: avoidColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One,
    selection: new vscode.Range(start, start),
    preview: true,
  });
  // Revealed from its start only: a selection wider than the editor beside the panel is revealed by
  // scrolling the editor sideways to it, which hid the start of every line around the call.
  if (length > 0) editor.selection = new vscode.Selection(end, start);
}
