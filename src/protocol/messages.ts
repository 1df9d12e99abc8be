// Every message between the extension host and the webviews, declared once (GitLens-style):
// both sides import these types, so a renamed field is a compile error on both sides.
// The webview imports types only from this folder.
import type { LlmOperation, Span, StatusCode, TraceQuery, TraceSummary } from './model';
import type { ReceiverStatus, TransportStatus } from './receiverStatus';
import type { ReplayDraft, ReplayOriginal, ReplayRun } from './replay';

export type HostRole = 'starting' | 'owner' | 'follower';

/** What the span tree needs per row: small, so a 10k-span trace crosses postMessage quickly. */
export interface SpanRow {
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** ms from the trace start (numbers computed once on the host, DESIGN: layout numbers once per trace). */
  startOffsetMs: number;
  durationMs: number;
  status: StatusCode;
  kindIcon: SpanKindIcon;
  operation?: LlmOperation;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
  hasSource: boolean;
  /** Status ERROR or an `exception` event: the row gets the error marker. */
  error: boolean;
}

export type SpanKindIcon = 'llm' | 'tool' | 'retrieval' | 'agent' | 'embedding' | 'other';

/**
 * SpanRows as parallel columns, the form they cross postMessage in. A 10k-span trace as an array of
 * objects is ~2 MB of JSON, mostly repeated key names, and the transfer (extension host → workbench →
 * webview) dominated the time to open it; columns with a string table are ~3× smaller.
 * Encoded by src/views/spanRows.ts (packSpanRows), decoded by webview/src/sidebar/packedRows.ts.
 */
export interface PackedSpanRows {
  spanIds: string[];
  /** Per row: index of the parent row in this batch, -1 without a parent, -2 parent not in this batch (see parentIds). */
  parents: number[];
  /** Row index → parentSpanId, for parents outside the batch (deltas, orphans). */
  parentIds: Record<number, string>;
  /** Distinct names, models, kinds and statuses; rows refer to them by index (agent loops repeat a few names). */
  strings: string[];
  names: number[];
  /** Index in `strings` of the row's SpanKindIcon, and of its StatusCode. */
  kinds: number[];
  statuses: number[];
  /** ms, rounded to µs so the JSON stays short. */
  starts: number[];
  durations: number[];
  /** bit 0: error, bit 1: hasSource. */
  flags: number[];
  /** Row index → LLM fields, for the few rows that have them. */
  llm: Record<number, PackedLlm>;
}

export interface PackedLlm {
  operation?: LlmOperation;
  /** Index in `strings`. */
  model?: number;
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export interface EndpointInfo {
  httpUrl?: string;
  grpcUrl?: string;
}

/** A copy-able exporter set-up shown in the sidebar's empty state and by "Copy Exporter Environment Snippet". */
export interface EnvSnippet {
  id: 'python-grpc' | 'python-http' | 'node' | 'vercel-ai' | 'claude-code' | 'codex' | 'gemini-cli';
  label: string;
  /** One line on when to pick this snippet. */
  detail: string;
  text: string;
}

/** Everything the sidebar shows about the receiver, sent whole whenever any of it changes. */
export interface ReceiverView {
  /** Of the window that runs the receiver: this one, or with role `follower` the owner window (owner.json). */
  status: ReceiverStatus;
  role: HostRole;
  endpoint: EndpointInfo;
  snippets: EnvSnippet[];
}

/**
 * Why a follower window's list is not live, when the owner window's OTLP/HTTP receiver is not listening
 * (the JSON API followers read shares its port); undefined while it listens. One wording for the
 * sidebar and the status bar.
 */
export function ownerReceiverDown(http: TransportStatus): string | undefined {
  switch (http.state) {
    case 'listening':
      return undefined;
    case 'disabled':
      return 'The Spanlight window that owns the receiver has it turned off (spanlight.receiver.enabled).';
    case 'error':
      return `The Spanlight window that owns the receiver could not start it: ${http.message}`;
    default:
      return 'The Spanlight window that owns the receiver has stopped it.';
  }
}

// ── Sidebar: host → webview ──────────────────────────────────────────────
export type SidebarInbound =
  | { type: 'init'; receiver: ReceiverView; traces: TraceSummary[]; total: number; query: TraceQuery; selectedTraceId?: string }
  | { type: 'status'; receiver: ReceiverView }
  /**
   * A page of the list for `query` (the answer to a `query` message, or a refresh the webview cannot
   * derive itself, e.g. new traces while a filter is active). `query.offset` > 0 means "append".
   */
  | { type: 'traces'; traces: TraceSummary[]; total: number; query: TraceQuery }
  /**
   * Live deltas. `insert`: summaries are placed by start time and `total` is the new total (no filter is
   * active). `patch`: only summaries already listed are replaced (a filter is active; the host sends a
   * `traces` refresh for newcomers, because only the store can evaluate the text filter).
   */
  | { type: 'tracesChanged'; mode: 'insert' | 'patch'; upserted: TraceSummary[]; removed: string[]; total?: number }
  /** The full row set of the selected trace. Offsets are relative to `startTimeUnixNano`. */
  | { type: 'traceRows'; traceId: string; summary: TraceSummary; rows: PackedSpanRows; startTimeUnixNano: string }
  /** New or changed rows of the selected trace (spans streaming in), relative to the same start. */
  | { type: 'traceRowsDelta'; traceId: string; summary: TraceSummary; rows: PackedSpanRows; startTimeUnixNano: string }
  /** The host selected a trace (command, sample): select it and expect its `traceRows`. */
  | { type: 'selectTrace'; traceId: string }
  /** Focus the filter box; with `text`, filter by it (a span's session or user id, from the detail). */
  | { type: 'focusFilter'; text?: string }
  /**
   * A row's context menu ran one of its commands: the row it was opened on is no longer outlined. (The
   * page also clears it when it gets the focus back, which it does not when the command moves the focus
   * elsewhere, to an editor or a notification.)
   */
  | { type: 'menuDone' }
  | { type: 'error'; message: string };

// ── Sidebar: webview → host ──────────────────────────────────────────────
export type SidebarOutbound =
  /** The webview (re)loaded; it restores its last query and selection from its saved state. */
  | { type: 'ready'; query?: TraceQuery; selectedTraceId?: string }
  | { type: 'query'; query: TraceQuery }
  | { type: 'openTrace'; traceId: string }
  | { type: 'closeTrace' }
  | { type: 'openSpan'; traceId: string; spanId: string; preserveFocus: boolean }
  /** The span's source location in the editor (F12 on its row). */
  | { type: 'openSource'; traceId: string; spanId: string }
  /** The model call's replay (R on its row). */
  | { type: 'replay'; traceId: string; spanId: string }
  | { type: 'pin'; traceId: string; pinned: boolean }
  | { type: 'delete'; traceId: string }
  | { type: 'clearAll' }
  | { type: 'sendSample' }
  | { type: 'copy'; text: string; label: string }
  | { type: 'openSettings' }
  /** Spanlight: Search All Trace Text, for the filter's text. */
  | { type: 'searchAllText'; q: string }
  | { type: 'command'; command: WebviewCommand };

/**
 * What a row of the sidebar tells VS Code's context menu (`webview/context` in package.json): the JSON
 * of its `data-vscode-context`, merged with its ancestors' (a span row's trace comes from its tree).
 * The keys are the menus' `when` context; VS Code hands the merged object to the chosen command, which
 * checks the ids again (menuTarget in viewCommands.ts): it comes from the webview.
 */
export interface SidebarMenuContext {
  webviewSection?: 'trace' | 'span';
  traceId?: string;
  /** The trace is pinned: the menu offers Unpin instead of Pin. */
  tracePinned?: boolean;
  spanId?: string;
  /** The span has a source location, or is a model call (whose prompt Go to Source looks for): the menu offers Go to Source. */
  spanHasSource?: boolean;
  /** The span is a model call: the menu offers Replay. */
  spanIsModelCall?: boolean;
  /** No Cut/Copy/Paste on a row: there is no text to edit there. */
  preventDefaultContextMenuItems?: boolean;
}

/** The `data-vscode-context` attribute value of a sidebar element. */
export function menuContextAttribute(context: SidebarMenuContext): string {
  return JSON.stringify(context);
}

/**
 * The commands the sidebar may ask the host to run (its buttons). The host checks each request against
 * this list at run time too: a webview that trace content had compromised must not reach any other.
 */
export const WEBVIEW_COMMANDS = ['spanlight.startReceiver', 'spanlight.showLogs', 'spanlight.copyEndpoint', 'spanlight.exportTrace'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

export function isWebviewCommand(command: unknown): command is WebviewCommand {
  return (WEBVIEW_COMMANDS as readonly unknown[]).includes(command);
}

// ── Span detail panel ────────────────────────────────────────────────────
/** The lines of one exception event's stack trace that open in the editor (application frames). */
export interface StackLinks {
  /** Index of the event in the span's events. */
  event: number;
  /** Indexes of the lines of its `exception.stacktrace`. */
  lines: number[];
}

export type DetailInbound =
  /** `find`: text to reveal (long texts holding it expanded, each occurrence highlighted, the first scrolled to). */
  | { type: 'span'; span: Span; trace: TraceSummary; parentName?: string; stackLinks?: StackLinks[]; find?: string }
  | { type: 'empty'; message: string };

export type DetailOutbound =
  | { type: 'ready' }
  | { type: 'copy'; text: string; label: string }
  /** Go to Source (also F12, and for a model call without one "Find prompt in workspace": where its prompt is written). */
  | { type: 'openSource'; traceId: string; spanId: string }
  /** Navigate the panel to another span of the same trace (the parent link). */
  | { type: 'openSpan'; traceId: string; spanId: string }
  /** Escape: back to the span tree in the sidebar, where the span was picked. */
  | { type: 'back' }
  /** A stack trace line's link: line `line` of the `exception.stacktrace` of the span's event `event`. */
  | { type: 'openFrame'; traceId: string; spanId: string; event: number; line: number }
  /** Open the replay panel of this model call. */
  | { type: 'replay'; traceId: string; spanId: string }
  /** Filter the trace list by the span's session id, or its user id (read by the host from the stored span). */
  | { type: 'filterBySession'; traceId: string; spanId: string; by: 'session' | 'user' };

// ── Replay panel ─────────────────────────────────────────────────────────
export type ReplayInbound =
  /** The call to replay (again after the page reloads: the latest draft run, and the runs so far). */
  | {
      type: 'start';
      title: string;
      /** The replayed call's span (on the page, as the span detail has it: which call a tab is about). */
      spanId: string;
      draft: ReplayDraft;
      original: ReplayOriginal;
      warnings: string[];
      runs: ReplayRun[];
      running?: number;
      /** The draft is the one last sent (kept in the replay history), not the captured request. */
      restored: boolean;
      /** The call's saved variants, by name, in the order they were first saved. */
      variants: string[];
      /** The variant the draft was loaded from or saved as; absent: none. */
      variant?: string;
    }
  /** The saved variants changed (one saved or deleted); `selected`: the draft's variant now. */
  | { type: 'variants'; names: string[]; selected?: string; message: string }
  /** Run `id` was sent. */
  | { type: 'running'; id: number }
  /** Run `id`'s answer so far, as it streams in (a few times a second at most). */
  | { type: 'partial'; id: number; text: string }
  | { type: 'result'; run: ReplayRun }
  /** The draft was not sent, and why (not valid, no key, an untrusted workspace). */
  | { type: 'refused'; message: string };

export type ReplayOutbound =
  | { type: 'ready' }
  | { type: 'run'; draft: ReplayDraft }
  | { type: 'cancel' }
  /** Back to the captured request (the runs stay). */
  | { type: 'reset' }
  /** Keep the draft as a variant of the call (the host asks for its name). */
  | { type: 'saveVariant'; draft: ReplayDraft }
  /** Show a saved variant's draft in the form; '' is the captured request (as `reset`). */
  | { type: 'loadVariant'; name: string }
  /** Delete a saved variant (the host asks first). */
  | { type: 'deleteVariant'; name: string }
  /** The draft as the SDK call that sends it, to the clipboard (for the app's code). */
  | { type: 'copyCode'; draft: ReplayDraft; language: 'python' | 'typescript' }
  | { type: 'copy'; text: string; label: string };
