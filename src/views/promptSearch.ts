// Go to Source for a model call that recorded none: its prompt's text looked for in the workspace's
// files (source/promptLocator.ts says what to look for and which hit is best). A location found so is
// remembered for the span, so the detail shows it as the span's source (origin `search`) from then on.
// Where the call-site lenses have already found the file (PromptPlacements), that file alone is read:
// the detail shows the line without a click, and Go to Source opens it without a workspace search.
import * as vscode from 'vscode';
import { notificationText } from '../base/notificationText';
import { formatCountOf } from '../protocol/format';
import { isModelCallOperation, shownName, type SourceLocation, type Span } from '../protocol/model';
import { locatePrompt, MAX_FILES_PER_NEEDLE, PromptLocator, promptNeedles, type PromptMatch, type PromptNeedle, type SearchedFile } from '../source/promptLocator';
import { NOT_APPLICATION_GLOBS, openSourceLocation, showSourceAt } from './openSource';

/**
 * Where prompts are written: source files, and the text and template files prompts are kept in. (Not
 * notebooks: their cells are JSON strings, and a line of that JSON is no place to open.)
 */
const PROMPT_FILES =
  '**/*.{py,pyi,ts,tsx,mts,cts,js,jsx,mjs,cjs,vue,svelte,java,kt,go,rs,rb,php,cs,swift,ex,exs,txt,md,mdx,prompt,prompty,jinja,jinja2,j2,njk,ejs,mustache,hbs,liquid,yaml,yml,toml}';
/**
 * Never searched: installed libraries and virtual environments (NOT_APPLICATION_GLOBS) and build
 * output, whose bundles and compiled copies hold the same literals as their source.
 */
const NEVER_SEARCHED = [...NOT_APPLICATION_GLOBS, '**/dist/**', '**/out/**', '**/build/**', '**/.next/**', '**/__pycache__/**', '**/coverage/**'];
/** Files searched at most: a monorepo of 12,000 files took 4–5.6 s, F12 to the file opened, in code-server on 2 cores. */
const MAX_FILES = 20_000;
/** Bigger files are data (fixtures, recorded traces, minified code), not where a prompt is written. */
const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Bytes read in all: an LLM app's workspace may hold a corpus of thousands of documents (a RAG demo's
 * .md and .txt files). Code is read first (CODE_FIRST), so this budget goes to it before documents.
 */
const MAX_TOTAL_BYTES = 256 * 1024 * 1024;
/** Where a call's code is, as opposed to documents and templates that may be data: read first. */
const CODE_FIRST = /\.(py|pyi|[cm]?[jt]sx?|vue|svelte|java|kt|go|rs|rb|php|cs|swift|exs?)$/i;
/** Files read at once. */
const READ_CONCURRENCY = 16;
/** Locations remembered (a session looks at a few hundred spans at most). */
const REMEMBERED = 500;
const STATUS_MESSAGE_MS = 8000;

type PromptSearchResult =
  | { kind: 'found'; match: PromptMatch; uri: vscode.Uri; capped: boolean }
  | { kind: 'no-prompt' }
  | { kind: 'no-folder' }
  | { kind: 'common' }
  | { kind: 'not-found'; files: number; capped: boolean }
  | { kind: 'cancelled' };

/** The file a prompt was found in by a search of the whole workspace, and how many files hold its text. */
export interface PromptPlacement {
  uri: vscode.Uri;
  files: number;
}

/** Prompts already placed by another search (the call-site lenses place the latest traces' calls). */
export interface PromptPlacements {
  placementOf(span: Span): PromptPlacement | undefined;
  /** Fires when prompts have been found that were not before. */
  readonly onDidPlacePrompts: vscode.Event<void>;
}

interface Remembered {
  location: SourceLocation;
  /** The very file found: a workspace path could be in two roots. */
  uri: vscode.Uri;
  match: PromptMatch;
}

export class PromptSources implements vscode.Disposable {
  /** By `traceId/spanId`, oldest first. */
  private readonly found = new Map<string, Remembered>();
  private readonly didFind = new vscode.EventEmitter<{ traceId: string; spanId: string }>();
  /** A location was found for a span: a view showing it shows it as the span's source. */
  readonly onDidFind = this.didFind.event;
  /** Searches under way, by span: F12 pressed again meanwhile waits for the same one. */
  private readonly searching = new Map<string, Promise<PromptSearchResult>>();
  /** The span placeKnown was last asked about while its file was not known: asked again when prompts are placed. */
  private waiting: Span | undefined;
  private readonly subscription: vscode.Disposable | undefined;

  constructor(private readonly placements?: PromptPlacements) {
    this.subscription = placements?.onDidPlacePrompts(() => {
      if (this.waiting) void this.placeKnown(this.waiting);
    });
  }

  dispose(): void {
    this.subscription?.dispose();
    this.didFind.dispose();
  }

  /** The span with the location an earlier search found for it as its source, when it recorded none. */
  withKnownSource(span: Span): Span {
    const known = span.source ? undefined : this.found.get(keyOf(span));
    return known ? { ...span, source: known.location } : span;
  }

  /**
   * Where the span's prompt is written, when a search already placed it (PromptPlacements): that file
   * is read and the location remembered (onDidFind), so a view showing the span can show its source
   * without a click. Nothing is searched otherwise; the latest span asked about so is tried again
   * when prompts are placed.
   */
  async placeKnown(span: Span): Promise<void> {
    const needles = span.source || this.found.has(keyOf(span)) ? [] : promptNeedles(span);
    this.waiting = needles.length > 0 ? span : undefined;
    const placement = needles.length > 0 ? this.placements?.placementOf(span) : undefined;
    if (!placement) return;
    const located = await locateInFile(placement.uri, needles, placement.files);
    if (!located) return;
    if (this.waiting === span) this.waiting = undefined;
    this.remember(span, located);
  }

  /**
   * Go to Source, from either view: the span's recorded source, else where its prompt is written.
   * `avoidColumn`: the detail panel's group (see openSourceLocation).
   */
  async openSource(span: Span, avoidColumn?: vscode.ViewColumn): Promise<void> {
    if (span.source) await openSourceLocation(span.source, avoidColumn);
    else await this.goToPrompt(span, avoidColumn);
  }

  /** Opens where the span's prompt is written, and says so in the status bar; says why when it cannot. */
  private async goToPrompt(span: Span, avoidColumn?: vscode.ViewColumn): Promise<void> {
    const key = keyOf(span);
    let search = this.searching.get(key);
    if (!search) {
      search = this.find(span).finally(() => this.searching.delete(key));
      this.searching.set(key, search);
    }
    const result = await search;
    const name = `"${notificationText(shownName(span))}"`;
    switch (result.kind) {
      case 'found': {
        const { match, uri } = result;
        await showSourceAt(uri, match.location, avoidColumn, match.length);
        const elsewhere = match.files > 1 ? ` (the same text is in ${formatCountOf(match.files - 1, 'other file')})` : '';
        const capped = result.capped ? ` (of the first ${formatCountOf(MAX_FILES, 'file')} searched)` : '';
        return statusMessage(`$(search) Spanlight: ${name} recorded no source; this is where ${notificationText(match.needle.from)} is written${elsewhere}${capped}`);
      }
      case 'no-prompt':
        // A model call's recorder may keep no message content (content capture off): then there is nothing to look for.
        return statusMessage(`$(info) Spanlight: ${name} has no source location${span.llm && isModelCallOperation(span.llm.operation) ? ', and no prompt text was recorded to look for' : ''}`);
      case 'no-folder':
        return statusMessage(`$(info) Spanlight: ${name} recorded no source; open your app's folder to find where its prompt is written`);
      case 'common':
        return statusMessage(`$(info) Spanlight: ${name} recorded no source, and its prompt's text is in more than ${MAX_FILES_PER_NEEDLE} files: too common to tell which`);
      case 'not-found': {
        const searched = result.capped ? `the first ${formatCountOf(result.files, 'file')} searched` : `this workspace's ${formatCountOf(result.files, 'file')}`;
        return statusMessage(`$(info) Spanlight: ${name} recorded no source, and its prompt's text is in none of ${searched}`);
      }
      case 'cancelled':
        return;
    }
  }

  /**
   * Where the span's prompt is: where it was found before if it is still there (the file may have
   * changed: its text is looked for again, in that file only), else in the file a search placed it in
   * (PromptPlacements), else looked for in the whole workspace (progress in the status bar, cancellable there).
   */
  private async find(span: Span): Promise<PromptSearchResult> {
    const needles = promptNeedles(span);
    if (needles.length === 0) return { kind: 'no-prompt' };
    if (!vscode.workspace.workspaceFolders?.length) return { kind: 'no-folder' };
    const known = this.found.get(keyOf(span));
    const placement = this.placements?.placementOf(span);
    const kept =
      (known && (await locateInFile(known.uri, [known.match.needle], known.match.files))) ||
      (placement && (await locateInFile(placement.uri, needles, placement.files)));
    const result: PromptSearchResult = kept
      ? { kind: 'found', uri: kept.uri, capped: false, match: kept.match }
      : await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Spanlight: looking for the prompt in the workspace', cancellable: true },
          (_progress, token) => searchWorkspace(needles, token),
        );
    if (result.kind === 'found') this.remember(span, result);
    return result;
  }

  private remember(span: Span, found: { match: PromptMatch; uri: vscode.Uri }): void {
    const key = keyOf(span);
    // Shown as a workspace path, as recorded ones are once mapped.
    const location = { ...found.match.location, path: vscode.workspace.asRelativePath(found.uri) };
    const before = this.found.get(key)?.location;
    this.found.delete(key);
    this.found.set(key, { location, uri: found.uri, match: found.match });
    if (this.found.size > REMEMBERED) this.found.delete(this.found.keys().next().value as string);
    if (before?.path !== location.path || before.line !== location.line) this.didFind.fire({ traceId: span.traceId, spanId: span.spanId });
  }
}

function keyOf(span: Span): string {
  return `${span.traceId}/${span.spanId}`;
}

/**
 * Where `needles` are in the file `uri` as it is now (a remembered match, or a placed prompt); undefined
 * when they are there no more. `files`: how many files the search that found it saw the text in.
 */
async function locateInFile(uri: vscode.Uri, needles: readonly PromptNeedle[], files: number): Promise<{ match: PromptMatch; uri: vscode.Uri } | undefined> {
  let file: SearchedFile | undefined;
  await readFiles([uri], (read) => (file = read));
  const located = file && locatePrompt(needles, [file]);
  return located?.kind === 'found' ? { uri, match: { ...located.match, files } } : undefined;
}

async function searchWorkspace(needles: PromptNeedle[], token: vscode.CancellationToken): Promise<PromptSearchResult> {
  return (await searchWorkspaceFor([needles], token))[0];
}

/**
 * Where each set of needles is written, in one read of the workspace (the call-site lenses place every
 * recent prompt at once). One result per set, in order.
 */
export async function searchWorkspaceFor(needleSets: readonly PromptNeedle[][], token: vscode.CancellationToken): Promise<PromptSearchResult[]> {
  const listed = await vscode.workspace.findFiles(PROMPT_FILES, excludeGlob(), MAX_FILES, token);
  const uris = [...listed.filter((uri) => CODE_FIRST.test(uri.path)), ...listed.filter((uri) => !CODE_FIRST.test(uri.path))];
  const locators = needleSets.map((needles) => new PromptLocator(needles));
  const read = await readFiles(uris, (file) => locators.forEach((locator) => locator.add(file)), token);
  if (token.isCancellationRequested) return needleSets.map(() => ({ kind: 'cancelled' }));
  const capped = listed.length >= MAX_FILES || read.budgetSpent;
  return locators.map((locator): PromptSearchResult => {
    const located = locator.result();
    if (located.kind === 'common') return located;
    if (located.kind === 'none') return { kind: 'not-found', files: read.files, capped };
    return { kind: 'found', match: located.match, uri: vscode.Uri.parse(located.match.location.path), capped };
  });
}

/**
 * What is never searched, and what the user excludes from the explorer and from search (an exclude
 * given to findFiles replaces `files.exclude`, and `search.exclude` never applies to it).
 */
function excludeGlob(): string {
  const userExcludes = ['files', 'search'].flatMap((section) =>
    Object.entries(vscode.workspace.getConfiguration(section).get<Record<string, unknown>>('exclude') ?? {})
      // `{ "when": … }` entries depend on sibling files, which a glob cannot say: left out.
      .filter(([glob, on]) => on === true && !/[{},]/.test(glob))
      .map(([glob]) => glob),
  );
  return `{${[...new Set([...NEVER_SEARCHED, ...userExcludes])].join(',')}}`;
}

/** Said where the editor says "No definition found": not an error, and gone after a while. */
function statusMessage(text: string): void {
  vscode.window.setStatusBarMessage(text, STATUS_MESSAGE_MS);
}

/**
 * Hands each file's text to `onFile` (as an open editor has it, else from disk; unreadable or huge ones
 * left out), in the order given: which of two equal files wins must not depend on which read finished
 * first. Stops at MAX_TOTAL_BYTES. Files are read a few at a time; only those waiting for their turn are
 * held in memory.
 */
async function readFiles(
  uris: readonly vscode.Uri[],
  onFile: (file: SearchedFile) => void,
  token?: vscode.CancellationToken,
): Promise<{ files: number; budgetSpent: boolean }> {
  const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
  const decoder = new TextDecoder();
  const done: (SearchedFile | null | undefined)[] = new Array(uris.length);
  let next = 0;
  let handed = 0;
  let files = 0;
  let bytes = 0;
  const handOver = (): void => {
    for (; handed < uris.length && done[handed] !== undefined; handed++) {
      const file = done[handed];
      done[handed] = null;
      if (file) {
        files++;
        onFile(file);
      }
    }
  };
  const readNext = async (): Promise<void> => {
    while (next < uris.length && bytes < MAX_TOTAL_BYTES && !token?.isCancellationRequested) {
      const at = next++;
      const path = uris[at].toString();
      const document = open.get(path);
      let file: SearchedFile | null = null;
      if (document) file = { path, text: document.getText() };
      else {
        try {
          const content = await vscode.workspace.fs.readFile(uris[at]);
          bytes += content.byteLength;
          if (content.byteLength <= MAX_FILE_BYTES) file = { path, text: decoder.decode(content) };
        } catch {
          // Deleted or unreadable since it was listed: not where the prompt is.
        }
      }
      done[at] = file;
      handOver();
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, readNext));
  return { files, budgetSpent: next < uris.length && bytes >= MAX_TOTAL_BYTES };
}
