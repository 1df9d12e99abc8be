// Go to Source for a model call that recorded none: its prompt's text looked for in the workspace's
// files (source/promptLocator.ts says what to look for and which hit is best). A location found so is
// remembered for the span, so the detail shows it as the span's source (origin `search`) from then on.
import * as vscode from 'vscode';
import { notificationText } from '../base/notificationText';
import { shownName, type SourceLocation, type Span } from '../protocol/model';
import { locatePrompt, promptNeedles, type SearchedFile } from '../source/promptLocator';
import { NOT_APPLICATION_FILES, showSourceAt } from './openSource';

/** Where prompts are written: source files, and the text and template files prompts are kept in. */
const PROMPT_FILES =
  '**/*.{py,pyi,ts,tsx,mts,cts,js,jsx,mjs,cjs,java,kt,go,rs,rb,php,cs,swift,ex,exs,txt,md,mdx,prompt,prompty,jinja,jinja2,j2,mustache,hbs,liquid,yaml,yml,toml}';
/**
 * Application files only (NOT_APPLICATION_FILES), and no build output: a bundle or a compiled copy
 * holds the same literals as its source, and would make every prompt look like it is written twice.
 */
const SEARCHED_EXCLUDE = `{${NOT_APPLICATION_FILES.slice(1, -1)},**/dist/**,**/out/**,**/build/**,**/.next/**,**/__pycache__/**,**/coverage/**}`;
const MAX_FILES = 5000;
/** Bigger files are data (fixtures, recorded traces, minified code), not where a prompt is written. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Files read at once. */
const READ_CONCURRENCY = 16;
/** Locations remembered (a session looks at a few hundred spans at most). */
const REMEMBERED = 500;
const STATUS_MESSAGE_MS = 8000;

type PromptSearchResult =
  | { kind: 'found'; location: SourceLocation; uri: vscode.Uri; from: string; files: number }
  | { kind: 'no-prompt' }
  | { kind: 'no-folder' }
  | { kind: 'not-found'; files: number }
  | { kind: 'cancelled' };

export class PromptSources implements vscode.Disposable {
  /** By `traceId/spanId`, oldest first; the URI opens the very file found (a path could be in two roots). */
  private readonly found = new Map<string, { location: SourceLocation; uri: vscode.Uri }>();
  private readonly didFind = new vscode.EventEmitter<{ traceId: string; spanId: string }>();
  /** A location was found for a span: a view showing it shows it as the span's source. */
  readonly onDidFind = this.didFind.event;

  dispose(): void {
    this.didFind.dispose();
  }

  /** The span with the location an earlier search found for it as its source, when it recorded none. */
  withKnownSource(span: Span): Span {
    const known = span.source ? undefined : this.found.get(keyOf(span));
    return known ? { ...span, source: known.location } : span;
  }

  /**
   * Opens where the span's prompt is written (where an earlier search found it, or after looking), and
   * says so in the status bar; says why when it cannot. `avoidColumn`: the detail panel's group (see
   * openSourceLocation).
   */
  async goTo(span: Span, avoidColumn?: vscode.ViewColumn): Promise<void> {
    const known = this.found.get(keyOf(span));
    if (known) return showSourceAt(known.uri, known.location, avoidColumn);
    const result = await this.find(span);
    const name = `"${notificationText(shownName(span))}"`;
    switch (result.kind) {
      case 'found': {
        await showSourceAt(result.uri, result.location, avoidColumn);
        const elsewhere = result.files > 1 ? ` (the same text is in ${result.files - 1} other file${result.files > 2 ? 's' : ''})` : '';
        return statusMessage(`$(search) Spanlight: ${name} recorded no source; this is where its ${result.from} is written${elsewhere}`);
      }
      case 'no-prompt':
        return statusMessage(`$(info) Spanlight: ${name} has no source location`);
      case 'no-folder':
        return statusMessage(`$(info) Spanlight: ${name} recorded no source; open your app's folder to find where its prompt is written`);
      case 'not-found':
        return statusMessage(`$(info) Spanlight: ${name} recorded no source, and its prompt's text is in none of this workspace's ${result.files} files`);
      case 'cancelled':
        return;
    }
  }

  /** Looks for the span's prompt in the workspace (progress in the status bar, cancellable there). */
  private async find(span: Span): Promise<PromptSearchResult> {
    const needles = promptNeedles(span);
    if (needles.length === 0) return { kind: 'no-prompt' };
    if (!vscode.workspace.workspaceFolders?.length) return { kind: 'no-folder' };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Spanlight: looking for the prompt in the workspace', cancellable: true },
      async (_progress, token): Promise<PromptSearchResult> => {
        const files = await readWorkspaceFiles(token);
        if (token.isCancellationRequested) return { kind: 'cancelled' };
        const match = locatePrompt(needles, files);
        if (!match) return { kind: 'not-found', files: files.length };
        const uri = vscode.Uri.parse(match.location.path);
        // Shown as a workspace path, as recorded ones are once mapped.
        const location = { ...match.location, path: vscode.workspace.asRelativePath(uri) };
        return { kind: 'found', location, uri, from: match.needle.from, files: match.files };
      },
    );
    if (result.kind === 'found') this.remember(span, { location: result.location, uri: result.uri });
    return result;
  }

  private remember(span: Span, found: { location: SourceLocation; uri: vscode.Uri }): void {
    const key = keyOf(span);
    this.found.delete(key);
    this.found.set(key, found);
    if (this.found.size > REMEMBERED) this.found.delete(this.found.keys().next().value as string);
    this.didFind.fire({ traceId: span.traceId, spanId: span.spanId });
  }
}

function keyOf(span: Span): string {
  return `${span.traceId}/${span.spanId}`;
}

/** Said where the editor says "No definition found": not an error, and gone after a while. */
function statusMessage(text: string): void {
  vscode.window.setStatusBarMessage(text, STATUS_MESSAGE_MS);
}

/** The workspace's prompt files, in findFiles' order: open documents as they are in the editor, others from disk. */
async function readWorkspaceFiles(token: vscode.CancellationToken): Promise<SearchedFile[]> {
  const uris = await vscode.workspace.findFiles(PROMPT_FILES, SEARCHED_EXCLUDE, MAX_FILES, token);
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  // By index, not in the order reads finish: which of two equal files wins must not change from one search to the next.
  const files: (SearchedFile | undefined)[] = new Array(uris.length);
  const decoder = new TextDecoder();
  let next = 0;
  const readNext = async (): Promise<void> => {
    while (next < uris.length && !token.isCancellationRequested) {
      const at = next++;
      const path = uris[at].toString();
      const document = open.get(path);
      if (document) {
        files[at] = { path, text: document.getText() };
        continue;
      }
      try {
        const bytes = await vscode.workspace.fs.readFile(uris[at]);
        if (bytes.byteLength <= MAX_FILE_BYTES) files[at] = { path, text: decoder.decode(bytes) };
      } catch {
        // Deleted or unreadable since it was listed: not where the prompt is.
      }
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, readNext));
  return files.filter((file): file is SearchedFile => file !== undefined);
}
